"""Password reset by e-mail, the Outbox page and reminders from the organizer's pages, with
the Flask test client and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from drafter import accounts, config, consulting, delivery, mailing, resets
from drafter.errors import Forbidden, NotFound
from drafter.model_mail import Mail
from drafter.notices import Site
from drafter.storage import open_store

from .consultation_fixture import PASSWORD, login, make_app
from .smtp_server import SmtpServer, link_in, text_of

SITE = Site("http://drafter.example")
NEUTRAL = "If an account with that user name or e-mail address exists"


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailed(world):
    """The world plus a Thái Nguyên delegate with an address, signed in nowhere yet."""
    store = open_store(world.db_path)
    world.users["tn-mail"], _ = accounts.create_delegate(
        store,
        world.units["thai-nguyen"],
        "tn-mail",
        "Nguyễn Thị Thư",
        password=PASSWORD,
        email="thu@tn.example",
    )
    store.close()
    return world


def _send(world, smtp) -> delivery.Report:
    store = open_store(world.db_path)
    target = config.smtp_target({"SMTP_URL": smtp.url})
    assert target is not None
    try:
        return delivery.deliver(store, target, "bo@drafter.example", everything=True)
    finally:
        store.close()


def _forgot(client, who: str):
    response = client.post("/forgot", data={"who": who}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_reset_by_user_name_or_address_sets_a_password_and_ends_other_sessions(mailed, smtp):
    app = make_app(mailed.db_path)
    other_browser = login(app, "tn-mail")
    assert other_browser.get(f"/c/{mailed.consultation_id}").status_code == 200
    visitor = app.test_client()
    visitor.get("/lang/en")
    assert "Forgot your password?" in visitor.get("/login").get_data(as_text=True)
    assert NEUTRAL in _forgot(visitor, "TN-MAIL")
    assert _send(mailed, smtp).sent == 1
    (message,) = smtp.to("thu@tn.example")
    assert "tn-mail" in text_of(message)
    path = link_in(message).removeprefix("http://localhost")
    assert path.startswith("/reset/")
    assert visitor.get(path).status_code == 200
    # The policy holds: a weak password is refused (400) and the link still works.
    weak = visitor.post(path, data={"password": "1234567890", "confirm": "1234567890"})
    assert weak.status_code == 400
    new = "another long passphrase"
    response = visitor.post(path, data={"password": new, "confirm": new})
    assert response.status_code == 302
    assert response.location.endswith("/login")
    # Single use; the other browser is signed out; the new password works, the old does not.
    assert visitor.get(path).status_code == 404
    assert other_browser.get(f"/c/{mailed.consultation_id}").status_code == 302
    fresh = app.test_client()
    assert (
        fresh.post("/login", data={"username": "tn-mail", "password": PASSWORD}).status_code == 401
    )
    assert fresh.post("/login", data={"username": "tn-mail", "password": new}).status_code == 302
    # By e-mail address (any case) too.
    assert NEUTRAL in _forgot(visitor, "Thu@TN.example")
    assert _send(mailed, smtp).sent == 1


def test_the_answer_never_tells_who_has_an_account(mailed, smtp):
    app = make_app(mailed.db_path)
    client = app.test_client()
    client.get("/lang/en")
    pages = [_forgot(client, who) for who in ("tn-mail", "nobody", "tn-lead", "x@y.z", "  ")]
    # The same page for an account, a stranger, one without address (but the form's token,
    # signed with the time).
    pages = [re.sub(r'name="csrf_token" value="[^"]*"', "", page) for page in pages]
    assert NEUTRAL in pages[0]
    assert len(set(pages)) == 1
    assert _send(mailed, smtp).sent == 1  # only tn-mail has an address


def test_a_new_link_revokes_the_old_and_requests_are_throttled(mailed, smtp):
    app = make_app(mailed.db_path)
    client = app.test_client()
    for _ in range(resets.MAX_PER_HOUR + 2):
        _forgot(client, "tn-mail")
    assert _send(mailed, smtp).sent == resets.MAX_PER_HOUR  # no flood of the mailbox
    links = [link_in(m).removeprefix("http://localhost") for m in smtp.to("thu@tn.example")]
    assert [client.get(link).status_code for link in links] == [404, 404, 200]
    store = open_store(mailed.db_path)
    actions = [e.action for e in store.list_audit()]
    assert actions.count("password.reset-request") == resets.MAX_PER_HOUR
    assert actions.count("password.reset-throttled") == 2
    store.close()


def test_an_expired_or_disabled_accounts_link_does_not_work(mailed, smtp):
    store = open_store(mailed.db_path)
    resets.request_reset(store, SITE, "tn-mail")
    (queued,) = store.list_mail()
    token = queued.mail.link.rsplit("/", 1)[1]
    assert resets.reset_user(store, token).username == "tn-mail"
    past = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0).isoformat()
    with store.transaction():
        store.conn.execute("UPDATE password_reset SET expires_at = ?", (past,))
    with pytest.raises(NotFound, match="not valid"):
        resets.reset_user(store, token)
    with store.transaction():
        store.conn.execute("UPDATE password_reset SET expires_at = '2999-01-01T00:00:00+00:00'")
    accounts.set_disabled(store, mailed.users["tn-mail"], True)
    with pytest.raises(NotFound, match="not valid"):
        resets.reset_password(store, token, "a fine passphrase", "a fine passphrase")
    store.close()


def test_without_smtp_the_outbox_page_shows_each_link_to_copy(mailed):
    app = make_app(mailed.db_path)
    organizer = login(app, "organizer")
    organizer.get("/lang/en")
    response = organizer.post(
        f"/admin/users/{mailed.users['tn-mail']}/invitation", data={"send": "1"}
    )
    assert response.status_code == 302
    page = organizer.get("/admin/outbox").get_data(as_text=True)
    assert "No mail server is configured" in page
    assert "thu@tn.example" in page
    assert 'value="http://localhost/invite/' in page
    # Without "send", a new link is made but nothing is queued.
    organizer.post(f"/admin/users/{mailed.users['tn-mail']}/invitation")
    store = open_store(mailed.db_path)
    assert len(store.list_mail()) == 1
    store.close()


def test_reminders_from_the_consultation_page(mailed, smtp):
    app = make_app(mailed.db_path)
    organizer = login(app, "organizer")
    organizer.get("/lang/en")
    c = mailed.consultation_id
    page = organizer.get(f"/admin/c/{c}").get_data(as_text=True)
    assert 'name="days"' in page
    response = organizer.post(f"/admin/c/{c}/reminders", data={"days": "5"}, follow_redirects=True)
    assert "Reminders go out 5 days before the deadline." in response.get_data(as_text=True)
    assert 'value="5"' in response.get_data(as_text=True)
    bad = organizer.post(f"/admin/c/{c}/reminders", data={"days": "99"}, follow_redirects=True)
    assert "1 to 60 days" in bad.get_data(as_text=True)
    done = organizer.post(f"/admin/c/{c}/remind", follow_redirects=True)
    assert "1 reminders are in the outbox." in done.get_data(as_text=True)
    assert _send(mailed, smtp).sent == 1
    assert link_in(smtp.to("thu@tn.example")[0]) == f"http://localhost/c/{c}"


def test_a_delegate_cannot_read_the_outbox_or_remind(mailed):
    app = make_app(mailed.db_path)
    lead = login(app, "tn-lead")
    assert lead.get("/admin/outbox").status_code == 403
    assert lead.post(f"/admin/c/{mailed.consultation_id}/remind").status_code == 403
    store = open_store(mailed.db_path)
    assert store.list_mail() == []
    lead_user = store.get_user(mailed.users["tn-lead"])
    with pytest.raises(Forbidden):
        mailing.outbox(store, lead_user)
    with pytest.raises(Forbidden):
        mailing.remind(store, SITE, mailed.consultation_id, user=lead_user)
    store.close()


def test_a_sent_link_is_not_kept_in_clear(mailed, smtp):
    app = make_app(mailed.db_path)
    _forgot(app.test_client(), "tn-mail")
    store = open_store(mailed.db_path)
    (queued,) = store.list_mail()
    assert queued.mail.link is not None
    assert queued.mail.link in queued.mail.text  # the organizer can copy it until it is sent
    assert _send(mailed, smtp).sent == 1
    (sent,) = store.list_mail()
    assert sent.state == "sent"
    assert sent.mail.link is None
    assert queued.mail.link not in sent.mail.text + sent.mail.html
    assert sent.mail.subject == queued.mail.subject
    store.close()


def test_a_forged_host_header_never_reaches_a_reset_link(mailed):
    """Links in mail come from BASE_URL: a request claiming another Host cannot send a
    password reset link to the attacker's site (the default is the served address)."""
    app = make_app(mailed.db_path, BASE_URL="")
    client = app.test_client()
    response = client.post("/forgot", data={"who": "tn-mail"}, headers={"Host": "evil.example"})
    assert response.status_code in (200, 302)
    store = open_store(mailed.db_path)
    queued = store.list_mail()
    store.close()
    texts = [m.mail.text + (m.mail.html or "") for m in queued]
    assert texts, "a reset link was queued (tn-mail has an address)"
    assert not any("evil.example" in t for t in texts)
    assert all("http://127.0.0.1:5000/reset/" in t for t in texts)


def test_the_language_a_delegate_chooses_is_the_language_of_their_mail(mailed):
    app = make_app(mailed.db_path)
    client = login(app, "tn-mail")
    assert client.get("/lang/en").status_code == 302
    store = open_store(mailed.db_path)
    try:
        assert store.get_user(mailed.users["tn-mail"]).language == "en"
    finally:
        store.close()


def test_the_outbox_pages_through_every_message_and_filters_the_waiting_ones(mailed):
    store = open_store(mailed.db_path)
    organizer = store.get_user(mailed.users["organizer"])
    with store.transaction():
        for n in range(205):
            store.queue_mail(
                Mail("reminder", f"u{n}@x.example", "vi", f"Thư {n}", "t", "<p>t</p>"),
                now=consulting.utc_now(),
            )
    first = mailing.outbox(store, organizer, page=1)
    second = mailing.outbox(store, organizer, page=2)
    store.close()
    assert len(first.messages) == 200
    assert first.more
    assert len(second.messages) == 5
    assert not second.more
    assert {m.id for m in first.messages}.isdisjoint(m.id for m in second.messages)
    app = make_app(mailed.db_path)
    client = login(app, "organizer")
    page = client.get("/admin/outbox?waiting=1&page=2").get_data(as_text=True)
    assert "Thư 0" in page
    assert client.get("/admin/outbox?page=999999999999").status_code == 200
