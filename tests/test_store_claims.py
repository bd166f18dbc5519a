"""Claims of background work (the outbox, export jobs) and the digest's activity query, on
each backend: a row claimed by one worker is never handed to another, and the named
parameters of these statements reach PostgreSQL rewritten."""

from __future__ import annotations

from drafter.model_mail import Mail

from .test_store_contract import NOW, _world, backend  # noqa: F401

LATER = "2030-01-01T00:10:00+00:00"


def test_a_queued_message_is_claimed_once(backend):  # noqa: F811
    with backend.transaction():
        mail_id = backend.queue_mail(
            Mail("reminder", "a@example.org", "vi", "Nhắc hạn", "text", "<p>html</p>"), now=NOW
        )
    with backend.transaction():
        first = backend.claim_mail("worker-1", now=NOW, until=LATER)
    with backend.transaction():
        second = backend.claim_mail("worker-2", now=NOW, until=LATER)
    assert [m.id for m in first] == [mail_id]
    assert second == []
    with backend.transaction():  # the lease ran out: another worker may take it
        third = backend.claim_mail("worker-2", now=LATER, until="2030-01-01T00:20:00+00:00")
    assert [m.id for m in third] == [mail_id]


def test_an_export_job_is_claimed_once(backend):  # noqa: F811
    ids = _world(backend)
    with backend.transaction():
        job_id = backend.add_export_job(
            ids["consultation"], "consolidated.docx", ids["user"], now=NOW
        )
    with backend.transaction():
        first = backend.claim_export_job("worker-1", now=NOW, until=LATER)
    with backend.transaction():
        second = backend.claim_export_job("worker-2", now=NOW, until=LATER)
    assert first is not None
    assert first.id == job_id
    assert second is None


def test_activity_since_counts_on_both_backends(backend):  # noqa: F811
    ids = _world(backend)
    rows = backend.activity_since("2000-01-01T00:00:00+00:00")
    assert all(consultation for consultation, _s, _c in rows)
    assert backend.activity_since("2999-01-01T00:00:00+00:00") == []
    assert ids["consultation"]
