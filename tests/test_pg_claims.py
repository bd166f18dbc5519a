"""Background work claimed by several workers at once, each on its own connection: every
message and every export job is taken exactly once (both backends), and on PostgreSQL a claim
neither waits for the writers' lock nor for a row another worker holds (``FOR UPDATE SKIP
LOCKED``): it takes another row."""

from __future__ import annotations

import threading
import uuid

import psycopg
import pytest

from drafter.errors import StorageError
from drafter.model_mail import Mail
from drafter.storage import open_store
from drafter.storage.postgres.connection import WRITE_LOCK

from .test_store_contract import NOW, _world

LATER = "2030-01-01T00:10:00+00:00"
WORKERS = 6


def _mail(n: int) -> Mail:
    return Mail("reminder", f"u{n}@example.org", "vi", "Nhắc hạn", "text", "<p>html</p>")


def _claimer(worker: int) -> str:
    """A new claimer for each claim, as the use cases make one (the contract's claimer)."""
    return f"w{worker}-{uuid.uuid4().hex}"


def _race(location: str, take) -> list[list[int]]:
    """Run `take(store, worker)` in WORKERS threads, each with its own store (connection),
    all let go at once, until each finds nothing; return the ids each one took."""
    taken: list[list[int]] = [[] for _ in range(WORKERS)]
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def work(worker: int) -> None:
        store = open_store(location, migrate=False)
        try:
            start.wait()
            while ids := take(store, worker):
                taken[worker].extend(ids)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return taken


def test_concurrent_workers_claim_every_message_exactly_once(backend_location):
    store = open_store(backend_location)
    try:
        with store.transaction():
            queued = [store.queue_mail(_mail(n), now=NOW) for n in range(240)]
    finally:
        store.close()

    def take(store, worker):
        with store.transaction(serialized=False):
            return [m.id for m in store.claim_mail(_claimer(worker), now=NOW, until=LATER, limit=7)]

    taken = _race(backend_location, take)
    every = [i for ids in taken for i in ids]
    assert sorted(every) == queued  # each once: no message lost, none sent twice
    assert len(set(every)) == len(every)


def test_concurrent_workers_claim_every_export_job_exactly_once(backend_location):
    store = open_store(backend_location)
    try:
        ids = _world(store)
        with store.transaction():
            jobs = [
                store.add_export_job(ids["consultation"], "consolidated.docx", ids["user"], now=NOW)
                for _ in range(60)
            ]
    finally:
        store.close()

    def take(store, worker):
        with store.transaction(serialized=False):
            job = store.claim_export_job(_claimer(worker), now=NOW, until=LATER)
        return [job.id] if job else []

    taken = _race(backend_location, take)
    every = [i for ids in taken for i in ids]
    assert sorted(every) == jobs
    assert len(set(every)) == len(every)


@pytest.fixture
def impatient(pg_url):
    """A PostgreSQL store whose statements give up after 300 ms of waiting for any lock."""
    store = open_store(pg_url)
    store.pg.raw.execute("SET lock_timeout = '300ms'")
    store.pg.raw.execute("SET statement_timeout = '5s'")
    try:
        yield store
    finally:
        store.pg.raw.execute("RESET lock_timeout")
        store.pg.raw.execute("RESET statement_timeout")
        store.close()


def _holder(url: str, table: str, row: int) -> psycopg.Connection:
    """Another worker's connection, in a long transaction that holds the writers' lock and
    the row `row` of `table` (a message being sent, a job being run)."""
    holder = psycopg.connect(url)
    holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
    holder.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", (row,))
    return holder


def test_a_claim_skips_a_message_another_worker_holds_without_waiting(pg_url, impatient):
    store = impatient
    with store.transaction():
        first, second = (store.queue_mail(_mail(n), now=NOW) for n in range(2))
    holder = _holder(pg_url, "outbox", first)
    try:
        with store.transaction(serialized=False):
            claimed = store.claim_mail("w2", now=NOW, until=LATER)
        assert [m.id for m in claimed] == [second]
        # The same claim in a serialized transaction queues behind the writer: it gives up.
        with pytest.raises(StorageError), store.transaction():
            store.claim_mail("w3", now=NOW, until=LATER)
    finally:
        holder.rollback()  # the other worker lets go of its row without claiming it
        holder.close()
    with store.transaction(serialized=False):
        assert [m.id for m in store.claim_mail("w4", now=NOW, until=LATER)] == [first]


def test_a_claim_skips_an_export_job_another_worker_holds_without_waiting(pg_url, impatient):
    store = impatient
    ids = _world(store)
    with store.transaction():
        first, second = (
            store.add_export_job(ids["consultation"], "consolidated.docx", ids["user"], now=NOW)
            for _ in range(2)
        )
    holder = _holder(pg_url, "export_job", first)
    try:
        with store.transaction(serialized=False):
            job = store.claim_export_job("w2", now=NOW, until=LATER)
        assert job is not None
        assert job.id == second
        assert job.started_at == NOW
        with store.transaction(serialized=False):  # the first is held, the second claimed
            assert store.claim_export_job("w3", now=NOW, until=LATER) is None
        with store.transaction(serialized=False):  # the second's lease ran out: free again
            again = store.claim_export_job("w3", now=LATER, until="2030-01-01T00:20:00+00:00")
        assert again is not None
        assert again.id == second
    finally:
        holder.rollback()
        holder.close()
