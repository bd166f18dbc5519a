"""One SQLite connection per worker thread, kept from request to request: requests of one
thread share it, other threads have their own, writes made elsewhere are seen at once, and a
request that fails leaves no connection behind for the next one."""

from __future__ import annotations

import threading

import pytest

from drafter import consulting
from drafter.storage import open_store
from drafter.web import get_store

from .consultation_fixture import login, make_app

DIEU_5 = "chuong-2/dieu-5"


def _store_of_request(app, client, url):
    """Return the store this thread holds after a request to `url`."""
    assert client.get(url).status_code == 200
    return getattr(app.extensions["drafter.stores"], "store", None)


def test_requests_of_one_thread_share_one_connection(app, world):
    member = login(app, "tn-member")
    first = _store_of_request(app, member, f"/c/{world.consultation_id}")
    second = _store_of_request(app, member, f"/c/{world.consultation_id}/a/{DIEU_5}")
    assert first is not None
    assert second is first
    first.conn.execute("SELECT 1")  # still open after its request ended

    other: list = []

    def in_another_thread():
        with app.app_context():
            other.append(get_store())

    worker = threading.Thread(target=in_another_thread)
    worker.start()
    worker.join()
    assert other[0] is not first  # a SQLite connection is never shared between threads


def test_a_kept_connection_sees_what_others_wrote(app, world):
    member = login(app, "tn-member")
    page = member.get(f"/c/{world.consultation_id}/a/{DIEU_5}").get_data(as_text=True)
    assert "Viết bởi một tiến trình khác." not in page
    store = open_store(world.db_path, migrate=False)  # as the CLI or another process would
    try:
        consulting.add_comment(
            store, store.get_user(world.users["tn-lead"]),
            store.get_consultation(world.consultation_id), key=DIEU_5, kind="comment",
            text="Viết bởi một tiến trình khác.", proposed_text=None, now=consulting.utc_now(),
        )  # fmt: skip
    finally:
        store.close()
    page = member.get(f"/c/{world.consultation_id}/a/{DIEU_5}").get_data(as_text=True)
    assert "Viết bởi một tiến trình khác." in page


def test_a_failed_request_closes_its_connection(world):
    app = make_app(world.db_path, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        get_store()
        raise RuntimeError("boom")

    member = login(app, "tn-member")
    kept = _store_of_request(app, member, f"/c/{world.consultation_id}")
    assert member.get("/boom").status_code == 500
    with pytest.raises(Exception, match="closed"):
        kept.conn.execute("SELECT 1")
    fresh = _store_of_request(app, member, f"/c/{world.consultation_id}")
    assert fresh is not kept
    fresh.conn.execute("SELECT 1")
