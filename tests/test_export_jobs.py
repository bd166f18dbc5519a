"""Long exports as background jobs: asked for on the web, claimed once (two workers racing
on their own connections), their progress on the job's page (a <progress> element refreshed
by a meta refresh, no script), the download when ready, a translated message when one fails,
and small consultations' exports still made at once."""

from __future__ import annotations

import io
import re
import threading
import zipfile

import pytest

from drafter import consulting, export_jobs
from drafter.storage import open_store

from .consultation_fixture import login, make_app


@pytest.fixture
def submitted(world):
    """Both units have commented and submitted."""
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    now = consulting.utc_now()
    for name, key in (("tn-lead", "chuong-1/dieu-3"), ("qn-lead", "chuong-2/dieu-4")):
        user = store.get_user(world.users[name])
        consulting.add_comment(
            store, user, consultation, key=key, kind="comment",
            text=f"Ý kiến xuất tệp của {name}", proposed_text=None, now=now,
        )  # fmt: skip
        consulting.submit(store, user, consultation, no_comments=False, now=now)
    store.close()
    return world


def _ready_audits(db) -> list[str]:
    store = open_store(db, migrate=False)
    try:
        rows = store.conn.execute(
            "SELECT details FROM audit WHERE action = 'export.ready' ORDER BY id"
        ).fetchall()
        return [r[0] for r in rows]
    finally:
        store.close()


def test_a_long_export_is_prepared_in_the_background_and_downloaded(submitted):
    app = make_app(submitted.db_path, EXPORT_SYNC_LIMIT=1)  # 2 submitted comments: long
    organizer = login(app, "organizer")
    c = submitted.consultation_id
    offer = organizer.get(f"/admin/c/{c}/export/consolidated.docx")
    assert offer.status_code == 200
    assert offer.mimetype == "text/html"
    page = offer.get_data(as_text=True)
    assert "2 ý kiến đã gửi" in page
    assert f'action="/admin/c/{c}/export/consolidated.docx/job"' in page
    asked = organizer.post(f"/admin/c/{c}/export/consolidated.docx/job")
    assert asked.status_code == 302
    job_url = asked.headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    # asked twice while it waits: the same job
    assert (
        organizer.post(f"/admin/c/{c}/export/consolidated.docx/job").headers["Location"] == job_url
    )
    waiting = organizer.get(job_url).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "<progress" in waiting
    assert "Đang chờ đến lượt" in waiting
    assert "<script" not in waiting
    assert organizer.get(f"{job_url}/file").status_code == 404  # not ready yet

    store = open_store(submitted.db_path, migrate=False)
    try:
        assert export_jobs.run_next(store, zone="Asia/Ho_Chi_Minh") == job_id
        assert export_jobs.run_next(store, zone="Asia/Ho_Chi_Minh") is None  # nothing waits
    finally:
        store.close()
    ready = organizer.get(job_url).get_data(as_text=True)
    assert "http-equiv" not in ready
    assert "Tệp đã sẵn sàng" in ready
    assert f'href="{job_url}/file"' in ready
    download = organizer.get(f"{job_url}/file")
    assert download.status_code == 200
    assert download.mimetype.endswith("wordprocessingml.document")
    assert "gop-y.docx" in download.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.data)) as docx:
        comments = docx.read("word/comments.xml").decode("utf-8")
    assert "Ý kiến xuất tệp của tn-lead" in comments
    assert "Ý kiến xuất tệp của qn-lead" in comments
    assert _ready_audits(submitted.db_path) == [f"consolidated.docx (job {job_id})"]
    # A delegate sees no job.
    assert login(app, "tn-lead").get(job_url).status_code == 403


def test_the_progress_shows_on_the_page(submitted):
    app = make_app(submitted.db_path, EXPORT_SYNC_LIMIT=0)
    organizer = login(app, "organizer")
    c = submitted.consultation_id
    job_url = organizer.post(f"/admin/c/{c}/export/by-unit.zip/job").headers["Location"]
    store = open_store(submitted.db_path, migrate=False)
    try:
        with store.transaction():
            claimed = store.claim_export_job(
                "a-worker", now="2026-01-01T00:00:00+00:00", until="2999-01-01T00:00:00+00:00"
            )
        assert claimed is not None
        assert store.export_job_progress(claimed.id, "a-worker", done=1, total=2)
        assert not store.export_job_progress(claimed.id, "another", done=2, total=2)
    finally:
        store.close()
    page = organizer.get(job_url).get_data(as_text=True)
    assert re.search(r'<progress id="job-progress" value="1" max="2">', page)
    assert "Đang chuẩn bị: 1/2 bước" in page


def test_two_workers_never_run_one_job(submitted):
    store = open_store(submitted.db_path, migrate=False)
    organizer = store.get_user(submitted.users["organizer"])
    c = submitted.consultation_id
    with store.transaction():
        for _ in range(3):  # queued directly: the web reuses a waiting job of the same export
            for name in export_jobs.BACKGROUND:
                store.add_export_job(c, name, organizer.id, now=consulting.utc_now())
    store.close()
    ran: list[list[int]] = [[], []]

    def work(slot: int) -> None:
        own = open_store(submitted.db_path, migrate=False)  # each worker its connection
        try:
            while (job_id := export_jobs.run_next(own, zone="Asia/Ho_Chi_Minh")) is not None:
                ran[slot].append(job_id)
        finally:
            own.close()

    threads = [threading.Thread(target=work, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    done = ran[0] + ran[1]
    assert sorted(done) == sorted(set(done))  # no job twice
    assert len(done) == 9
    audits = _ready_audits(submitted.db_path)
    assert len(audits) == 9
    assert len(set(audits)) == 9
    check = open_store(submitted.db_path, migrate=False)
    try:
        jobs = check.list_export_jobs(c, limit=20)
        assert all(j.ready for j in jobs)
        assert all(j.done == j.total and j.total > 0 for j in jobs)
        assert all(check.export_job_data(j.id) for j in jobs)
    finally:
        check.close()


def test_a_failed_export_says_why_in_the_readers_language(submitted):
    store = open_store(submitted.db_path, migrate=False)
    organizer = store.get_user(submitted.users["organizer"])
    with store.transaction():  # a job the web would refuse: an export that does not exist
        job_id = store.add_export_job(
            submitted.consultation_id, "nothing.docx", organizer.id, now=consulting.utc_now()
        )
    assert export_jobs.run_next(store, zone="Asia/Ho_Chi_Minh") == job_id
    store.close()
    app = make_app(submitted.db_path)
    client = login(app, "organizer")
    response = client.get(f"/admin/exports/{job_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Không có tệp xuất “nothing.docx”." in page
    assert 'role="alert"' in page
    assert "http-equiv" not in page
    assert client.get(f"/admin/exports/{job_id}/file").status_code == 404
    assert _ready_audits(submitted.db_path) == []
    # asking for an export that does not exist is refused at once
    refused = client.post(f"/admin/c/{submitted.consultation_id}/export/nothing.docx/job")
    assert refused.status_code == 404


def test_a_small_consultations_export_is_made_at_once(submitted):
    app = make_app(submitted.db_path)  # the default limit: 1,000 submitted comments
    response = login(app, "organizer").get(
        f"/admin/c/{submitted.consultation_id}/export/by-unit.zip"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
