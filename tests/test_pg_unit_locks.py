"""One unit's comment writes (``store.transaction(unit=…)``) on PostgreSQL: they run beside
those of other units, and one at a time with those of the same unit and with every other
writer; on SQLite every writer still runs alone.  Waiting is seen without timing: the waiting
side gives up after 300 ms of waiting for a lock (``lock_timeout``), a StorageError."""

from __future__ import annotations

import threading
import time
from contextlib import AbstractContextManager

import pytest

from drafter import consulting
from drafter.errors import StorageError
from drafter.storage import open_store

TN, QN = 7, 8  # unit ids: the locks need no rows


@pytest.fixture
def pair(pg_url):
    """Two PostgreSQL stores (two workers' connections); the second gives up after 300 ms
    of waiting for a lock."""
    holder, waiter = open_store(pg_url), open_store(pg_url)
    waiter.pg.raw.execute("SET lock_timeout = '300ms'")
    try:
        yield holder, waiter
    finally:
        waiter.pg.raw.execute("RESET lock_timeout")
        holder.close()
        waiter.close()


def _held(block: AbstractContextManager[None]) -> AbstractContextManager[None]:
    block.__enter__()
    return block


def _runs(store, **kwargs) -> bool:
    """Whether a write transaction with `kwargs` runs now (False: it had to wait)."""
    try:
        with store.transaction(**kwargs):
            store.create_unit(f"u{time.monotonic_ns()}", "Đơn vị", "province")
    except StorageError:
        return False
    return True


@pytest.mark.parametrize(
    ("held", "asked", "runs"),
    [
        ({"unit": TN}, {"unit": QN}, True),  # two units' comment writes: side by side
        ({"unit": TN}, {"unit": TN}, False),  # one unit's: one at a time
        ({"unit": TN}, {}, False),  # any other writer waits for a unit's comment write
        ({}, {"unit": QN}, False),  # and a unit's comment write for any other writer
        ({}, {}, False),
        ({"unit": TN}, {"serialized": False}, True),  # the claims of background work
    ],
)
def test_who_waits_for_whom(pair, held, asked, runs):
    holder, waiter = pair
    block = _held(holder.transaction(**held))
    try:
        assert _runs(waiter, **asked) is runs
    finally:
        block.__exit__(None, None, None)
    assert _runs(waiter, **asked)  # once the holder is done, it runs


def test_a_unit_id_past_the_int4_keys_still_locks(pair):
    holder, waiter = pair
    block = _held(holder.transaction(unit=2**31 + TN))
    try:
        assert not _runs(waiter, unit=2**31 + TN)
        assert _runs(waiter, unit=2**31 + QN)
    finally:
        block.__exit__(None, None, None)


def test_a_block_inside_a_unit_block_may_ask_for_no_more(pair):
    holder, _waiter = pair
    with holder.transaction(unit=TN):
        with holder.transaction(unit=TN):  # the same unit: a savepoint
            holder.create_unit("a", "A", "province")
        for more in ({}, {"unit": QN}):
            with pytest.raises(RuntimeError, match="asks for more"), holder.transaction(**more):
                pass
    assert [u.code for u in holder.list_units()] == ["a"]
    # A writer's block may hold a unit's writes (a savepoint).
    with holder.transaction(), holder.transaction(unit=QN):
        holder.create_unit("b", "B", "province")
    assert sorted(u.code for u in holder.list_units()) == ["a", "b"]


def test_a_unit_block_reads_what_the_writer_before_it_committed(pair):
    """A unit's comment write that waited for another writer reads that writer's commit (the
    check-then-write of the use cases relies on it)."""
    holder, waiter = pair
    waiter.pg.raw.execute("RESET lock_timeout")
    seen: list[int] = []
    inside = threading.Event()

    def comment_writer() -> None:
        inside.wait()
        with waiter.transaction(unit=QN):
            seen.append(len(waiter.list_units()))

    thread = threading.Thread(target=comment_writer)
    thread.start()
    with holder.transaction():
        holder.create_unit("a", "A", "province")
        inside.set()
        time.sleep(0.3)  # the comment writer is waiting for the lock now
        holder.create_unit("b", "B", "province")
    thread.join(timeout=30)
    assert seen == [2]


def test_on_sqlite_a_unit_block_still_runs_alone(tmp_path):
    first = open_store(tmp_path / "drafter.sqlite")
    inside = threading.Event()
    seen: list[int] = []
    ended: list[float] = []

    def other_unit() -> None:
        second = open_store(tmp_path / "drafter.sqlite", migrate=False)
        inside.wait()
        with second.transaction(unit=QN):
            seen.append(len(second.list_units()))
            ended.append(time.monotonic())
        second.close()

    thread = threading.Thread(target=other_unit)
    thread.start()
    try:
        with first.transaction(unit=TN):
            first.create_unit("a", "A", "province")
            inside.set()
            time.sleep(0.3)
            first.create_unit("b", "B", "province")
            committed = time.monotonic()
        thread.join(timeout=30)
        assert seen == [2]
        assert ended[0] >= committed
    finally:
        first.close()


def test_two_units_comment_at_once_and_every_comment_is_kept(backend_world):
    """Both units' delegates write comments from several threads at once (each with its own
    store, as workers have): every comment is stored, and each unit's counters add up."""
    world = backend_world
    names = ("tn-lead", "tn-member", "qn-lead")
    errors: list[BaseException] = []
    made: dict[str, list[int]] = {name: [] for name in names}
    start = threading.Barrier(len(names))

    def write(name: str) -> None:
        store = open_store(world.db_path, migrate=False)
        try:
            user = store.get_user(world.users[name])
            start.wait()
            for n in range(15):
                made[name].append(
                    consulting.add_comment(
                        store,
                        user,
                        world.consultation_id,
                        key="chuong-1/dieu-1",
                        kind="comment",
                        text=f"Ý kiến {name} {n}",
                        proposed_text=None,
                        now=consulting.utc_now(),
                    )  # fmt: skip
                )
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=write, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    store = open_store(world.db_path, migrate=False)
    try:
        ids = [i for name in names for i in made[name]]
        assert len(set(ids)) == 45
        tn, qn = world.units["thai-nguyen"], world.units["quang-nam"]
        stored = store.list_comments(world.consultation_id)
        assert sorted(c.id for c in stored if c.id in set(ids)) == sorted(ids)
        for unit, count in ((tn, 30), (qn, 15)):
            standing = store.unit_standing(world.consultation_id, unit)
            assert standing is not None
            assert standing.comments_created == count
            [progress] = store.unit_progress(world.consultation_id, unit_id=unit)
            assert progress.live_comments == count
    finally:
        store.close()
