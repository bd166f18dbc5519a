"""The audit log and the sign-in rate limits."""

from __future__ import annotations

from drafter import accounts
from drafter.storage import open_store

from .consultation_fixture import PASSWORD


def test_failed_sign_ins_are_throttled_per_account_and_address(app, world):
    client = app.test_client()
    for _ in range(accounts.FREE_TRIES):
        response = client.post("/login", data={"username": "tn-lead", "password": "wrong"})
        assert response.status_code == 401
    # From this address, this account waits (even with the right password), with a clear
    # message and a Retry-After header.
    response = client.post("/login", data={"username": "tn-lead", "password": PASSWORD})
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])  # 15 s from the last failure, less the time
    assert 10 <= wait <= 15  # taken since (a loaded machine may take a second or two)
    assert str(wait) in response.get_data(as_text=True)
    # Another account from the same address still signs in.
    response = client.post("/login", data={"username": "qn-lead", "password": PASSWORD})
    assert response.status_code == 302


def test_one_address_failing_for_many_accounts_is_throttled(app, world):
    client = app.test_client()
    for i in range(accounts.ADDRESS_FREE_TRIES):
        client.post("/login", data={"username": f"guess-{i}", "password": "wrong"})
    response = client.post("/login", data={"username": "qn-lead", "password": PASSWORD})
    assert response.status_code == 429
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": "qn-lead", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert response.status_code == 302


def test_success_clears_the_failures_of_that_address(app, world):
    client = app.test_client()
    for _ in range(accounts.FREE_TRIES - 1):
        client.post("/login", data={"username": "tn-lead", "password": "wrong"})
    assert (
        client.post("/login", data={"username": "tn-lead", "password": PASSWORD}).status_code == 302
    )
    store = open_store(world.db_path)
    try:
        failures = store.login_failures(username="tn-lead", address="127.0.0.1", since="2000")
    finally:
        store.close()
    assert failures.pair == 0


def test_audit_log_records_who_did_what(app, world):
    member, lead, organizer = (app.test_client() for _ in range(3))
    for client, name in ((member, "tn-member"), (lead, "tn-lead"), (organizer, "organizer")):
        client.post("/login", data={"username": name, "password": PASSWORD})
    c = world.consultation_id
    member.post(
        f"/c/{c}/comments", data={"target": "chuong-1/dieu-3", "kind": "comment", "text": "Một"}
    )
    comment_id = open_store(world.db_path).list_comments(c)[0].id
    member.post(f"/c/{c}/comments/{comment_id}/edit", data={"kind": "comment", "text": "Hai"})
    lead.post(f"/c/{c}/submit")
    organizer.post(
        f"/admin/comments/{comment_id}/answer", data={"status": "noted", "explanation": ""}
    )
    organizer.post(f"/admin/c/{c}/close")
    entries = open_store(world.db_path).list_audit(consultation_id=c)
    actions = [(e.action, e.username) for e in reversed(entries)]
    assert actions == [
        ("comment.create", "tn-member"),
        ("comment.edit", "tn-member"),
        ("submission.create", "tn-lead"),
        ("comment.answer", "organizer"),
        ("consultation.close", "organizer"),
    ]
    page = organizer.get(f"/admin/audit?c={c}").get_data(as_text=True)
    assert "comment.edit" in page
    assert "TN-MEMBER" in page
    assert member.get("/admin/audit").status_code == 403


def test_the_audit_log_reads_as_sentences_with_links(app, world):
    """Each entry is a translated phrase naming the unit that acted, with a link to what it
    changed; the stored codes stay out of sight."""
    import re

    lead = app.test_client()
    assert (
        lead.post("/login", data={"username": "tn-lead", "password": PASSWORD}).status_code == 302
    )
    response = lead.post(
        f"/c/{world.consultation_id}/comments",
        data={"target": "chuong-1/dieu-3", "kind": "comment", "text": "Đề nghị làm rõ."},
    )
    assert response.status_code == 302
    assert lead.post(f"/c/{world.consultation_id}/submit").status_code == 302
    organizer = app.test_client()
    organizer.post("/login", data={"username": "organizer", "password": PASSWORD})
    page = organizer.get("/admin/audit").get_data(as_text=True)  # Vietnamese by default
    assert "Tỉnh ủy Thái Nguyên đã gửi ý kiến" in page
    assert "submission.create" not in re.sub(r'data-action="[^"]*"', "", page)
    assert "(1 ý kiến)" in page
    assert "(Ý kiến, Điều 3)" in page  # the kind and the provision, in words
    assert "chuong-1/dieu-3" not in page
    link = re.search(r'<a href="(/admin/comments/(\d+))">ý kiến số \2</a>', page)
    assert link, "the comment is a link"
    opened = organizer.get(link[1])
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(
        f"/a/chuong-1/dieu-3?comment={link[2]}#comment-{link[2]}"
    )  # the page that holds it
    organizer.get("/lang/en")
    english = organizer.get("/admin/audit").get_data(as_text=True)
    assert "Tỉnh ủy Thái Nguyên sent its comments" in english


def test_every_recorded_action_reads_as_a_sentence():
    """No action code of the code base reaches the audit page raw: each has its phrase."""
    import re
    from pathlib import Path

    from drafter.web.audit_log import PHRASES

    package = Path(__file__).resolve().parent.parent / "drafter"
    codes = set()
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'add_audit\(\s*[^,()]+,\s*"([a-z_.-]+)"', source))
        codes |= set(re.findall(r'audit\(\s*store,\s*\w+,\s*"([a-z_.-]+)"', source))
        codes |= set(re.findall(r'"((?:user|unit)\.(?:disable|enable))"', source))
    assert len(codes) > 30
    assert sorted(codes - set(PHRASES)) == []
