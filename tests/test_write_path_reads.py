"""The write path's first reads, one query each (drafter.storage.contract_write_path), on both
backends: each gives what the several reads it replaces gave, through every change of the
state it reports (a later deadline, comments, a submission and its withdrawal, a signed-out
session, a disabled account or unit), and the rules built on them refuse what they refused."""

from __future__ import annotations

import pytest

from drafter import accounts, consulting
from drafter.errors import Conflict, Forbidden, InvalidInput, NotFound
from drafter.storage import open_store
from drafter.storage.contract_write_path import SessionAccount, UnitStanding

CLAUSE = "chuong-1/dieu-1/khoan-2"
ARTICLE = "chuong-1/dieu-1"


@pytest.fixture
def opened(backend_world):
    store = open_store(backend_world.db_path)
    yield store, backend_world
    store.close()


def _standing_the_old_way(store, consultation_id: int, unit_id: int) -> UnitStanding | None:
    if not store.is_invited(consultation_id, unit_id):
        return None
    return UnitStanding(
        store.unit_deadline(consultation_id, unit_id),
        store.count_unit_comments(consultation_id, unit_id),
        store.has_standing_submission(consultation_id, unit_id),
    )


def _add(store, world, name="tn-lead", n=0, key=CLAUSE):
    return consulting.add_comment(
        store, store.get_user(world.users[name]), world.consultation_id, key=key,
        kind="comment", text=f"Ý kiến số {n}", proposed_text=None, now=consulting.utc_now(),
    )  # fmt: skip


def test_unit_standing_follows_every_change_as_the_old_reads_did(opened):
    store, world = opened
    cid, tn = world.consultation_id, world.units["thai-nguyen"]
    lead = store.get_user(world.users["tn-lead"])

    def check(expected: UnitStanding | None, unit: int = tn) -> None:
        assert store.unit_standing(cid, unit) == expected
        assert _standing_the_old_way(store, cid, unit) == expected
        # and with the consultation, in one query
        assert store.write_standing(cid, unit) == (store.get_consultation(cid), expected)

    check(None, world.units["lao-cai"])  # not invited
    check(UnitStanding(None, 0, False))
    first = _add(store, world)
    _add(store, world, n=1)
    check(UnitStanding(None, 2, False))
    consulting.withdraw_comment(store, lead, first, consulting.utc_now())
    check(UnitStanding(None, 2, False))  # withdrawn comments still count for the quota
    with store.transaction():
        store.set_unit_deadline(cid, tn, "2099-01-01T00:00:00+00:00")
    check(UnitStanding("2099-01-01T00:00:00+00:00", 2, False))
    consultation = store.get_consultation(cid)
    consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())
    check(UnitStanding("2099-01-01T00:00:00+00:00", 2, True))
    consulting.withdraw_submission(store, lead, consultation, consulting.utc_now())
    check(UnitStanding("2099-01-01T00:00:00+00:00", 2, False))
    check(UnitStanding(None, 0, False), world.units["quang-nam"])  # the other unit untouched


def test_write_standing_reads_the_consultation_for_any_unit_or_none(opened):
    store, world = opened
    cid = world.consultation_id
    consultation = store.get_consultation(cid)
    assert store.write_standing(cid, None) == (consultation, None)  # an organizer
    assert store.write_standing(cid, 10**6) == (consultation, None)  # no such unit
    with pytest.raises(NotFound):
        store.write_standing(10**6, world.units["thai-nguyen"])
    with store.transaction():
        store.close_consultation(cid, now=consulting.utc_now())
    closed, standing = store.write_standing(cid, world.units["thai-nguyen"])
    assert closed == store.get_consultation(cid)
    assert closed.closed_at
    assert standing == UnitStanding(None, 0, False)


def test_session_account_is_the_user_with_its_epoch_and_its_units_state(opened):
    store, world = opened
    uid, tn = world.users["tn-lead"], world.units["thai-nguyen"]
    epoch = store.session_epoch(uid)
    assert store.session_account(uid) == SessionAccount(store.get_user(uid), epoch, False)
    organizer = world.users["organizer"]
    assert store.session_account(organizer) == SessionAccount(
        store.get_user(organizer), store.session_epoch(organizer), False
    )
    assert store.session_account(10**6) is None
    assert accounts.session_user(store, uid, epoch) == store.get_user(uid)
    assert accounts.session_user(store, uid, epoch + 1) is None  # another epoch: over
    assert accounts.session_user(store, uid, None) is None
    with store.transaction():
        store.set_unit_disabled(tn, consulting.utc_now())
    assert store.session_account(uid) == SessionAccount(store.get_user(uid), epoch, True)
    assert accounts.session_user(store, uid, epoch) is None  # its unit is deactivated
    assert not accounts.may_sign_in(store, store.get_user(uid))  # the same rule at sign-in
    with store.transaction():
        store.set_unit_disabled(tn, None)
        store.end_sessions(uid)
    assert accounts.session_user(store, uid, epoch) is None  # signed out everywhere
    assert accounts.session_user(store, uid, epoch + 1) == store.get_user(uid)


def test_provisions_alone_are_the_nodes_without_their_children(opened):
    store, world = opened
    version = store.get_consultation(world.consultation_id).version_id
    found = store.provisions_alone(version, [CLAUSE, ARTICLE, ARTICLE, "chuong-9/dieu-99"])
    assert set(found) == {CLAUSE, ARTICLE}  # a key the version lacks is left out
    for key, node in found.items():
        whole = store.get_node(version, key)
        assert (node.id, node.kind, node.number, node.title, node.text, node.key) == (
            whole.id, whole.kind, whole.number, whole.title, whole.text, whole.key,
        )  # fmt: skip
        assert node.children == []
    assert store.get_node(version, ARTICLE).children  # the whole article has its clauses
    assert store.provisions_alone(version, []) == {}


def test_the_rules_on_these_reads_refuse_what_they_refused(opened):
    store, world = opened
    cid = world.consultation_id
    with pytest.raises(Forbidden, match="not invited"):
        _add(store, world, name="lc-lead")
    with pytest.raises(Forbidden, match="Organizers"):
        _add(store, world, name="organizer")
    with pytest.raises(NotFound):
        _add(store, world, key="chuong-9/dieu-99")
    with pytest.raises(InvalidInput, match="target"):
        _add(store, world, key="chuong-1")  # a chapter is not a target
    with pytest.raises(NotFound):
        consulting.add_comment(
            store, store.get_user(world.users["tn-lead"]), 10**6, key=CLAUSE, kind="comment",
            text="Ý kiến", proposed_text=None, now=consulting.utc_now(),
        )  # fmt: skip
    on_clause = store.get_comment(_add(store, world))
    assert (on_clause.node_key, on_clause.article_key) == (CLAUSE, ARTICLE)
    general = store.get_comment(_add(store, world, key=None))
    assert general.node_id is None
    lead = store.get_user(world.users["tn-lead"])
    with pytest.raises(Conflict, match="most it may"):
        consulting.add_comment(
            store, lead, cid, key=CLAUSE, kind="comment", text="Ý kiến", proposed_text=None,
            now=consulting.utc_now(), quota=2,
        )  # fmt: skip
    consulting.submit(
        store, lead, store.get_consultation(cid), no_comments=False, now=consulting.utc_now()
    )
    with pytest.raises(Conflict, match="submitted"):
        _add(store, world, n=5)
    with pytest.raises(Conflict, match="deadline"):
        consulting.add_comment(
            store, store.get_user(world.users["qn-lead"]), cid, key=CLAUSE, kind="comment",
            text="Ý kiến", proposed_text=None, now="2999-01-01T00:00:00+00:00",
        )  # fmt: skip
    assert store.unit_standing(cid, world.units["thai-nguyen"]) == UnitStanding(None, 2, True)


def test_a_new_comment_has_one_search_row_and_an_edit_replaces_it(opened):
    store, world = opened
    lead = store.get_user(world.users["tn-lead"])

    def rows(comment_id: int) -> list[str]:
        return [
            r[0]
            for r in store.conn.execute(
                "SELECT body FROM search_index WHERE kind = 'comment' AND ref_id = ?",
                (comment_id,),
            ).fetchall()
        ]

    comment_id = consulting.add_comment(
        store, lead, world.consultation_id, key=CLAUSE, kind="comment",
        text="Đề nghị bổ sung chữ ký số", proposed_text=None, now=consulting.utc_now(),
    )  # fmt: skip
    assert rows(comment_id) == ["de nghi bo sung chu ky so\n"]
    consulting.edit_comment(
        store, lead, comment_id, kind="comment", text="Đề nghị bổ sung hộp thư điện tử",
        proposed_text=None, now=consulting.utc_now(),
    )  # fmt: skip
    assert rows(comment_id) == ["de nghi bo sung hop thu dien tu\n"]
    consulting.submit(
        store, lead, store.get_consultation(world.consultation_id), no_comments=False,
        now=consulting.utc_now(),
    )  # fmt: skip
    assert not [h for h in store.search("chu ky so") if h.kind == "comment"]
    hits = [h for h in store.search("hop thu dien tu") if h.kind == "comment"]
    assert [h.ref_id for h in hits] == [comment_id]
