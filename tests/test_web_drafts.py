"""The read-only draft pages, through Flask's client and over real HTTP (waitress)."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest
from waitress.server import create_server

from drafter import accounts, create_app
from drafter.importing import import_file
from drafter.storage import open_store


@pytest.fixture
def app(db_path, sample_v1, sample_v2):
    store = open_store(db_path)
    first = import_file(store, sample_v1)
    import_file(store, sample_v2, draft_id=first.draft.id)
    accounts.create_organizer(store, "organizer", "Ban Tổ chức", "correct horse battery")
    store.close()
    return create_app({"TESTING": True, "DATABASE": str(db_path), "WTF_CSRF_ENABLED": False})


@pytest.fixture
def client(app):
    client = app.test_client()
    response = client.post(
        "/login", data={"username": "organizer", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    return client


def test_index_lists_drafts(client):
    page = client.get("/drafts/").get_data(as_text=True)
    assert "Quy định về chức năng, nhiệm vụ" in page
    assert "2 phiên bản" in page


def test_draft_page_shows_toc_and_version_changes(client):
    page = client.get("/drafts/1?version=2").get_data(as_text=True)
    assert 'href="/drafts/1/v2/articles/chuong-1/dieu-4"' in page
    assert "bổ sung mới" in page
    assert "đã bỏ" in page
    assert "chuyển sang chương khác" in page
    old = client.get("/drafts/1?version=1").get_data(as_text=True)
    assert "Điều 16. " in old


def test_article_page_with_navigation(client):
    page = client.get("/drafts/1/v1/articles/chuong-2/dieu-4").get_data(as_text=True)
    assert "Nhiệm vụ của đảng đoàn" in page
    assert 'id="chuong-2/dieu-4/khoan-1/diem-dd"' in page
    assert 'rel="prev" href="/drafts/1/v1/articles/chuong-1/dieu-3"' in page
    assert 'rel="next" href="/drafts/1/v1/articles/chuong-2/dieu-5"' in page


@pytest.mark.parametrize(
    "url",
    [
        "/drafts/9",
        "/drafts/1?version=7",
        "/drafts/1/v1/articles/chuong-9/dieu-99",
        "/drafts/1/v1/articles/chuong-2",
        "/nowhere",
    ],
)
def test_missing_is_404_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Lỗi 404" in response.get_data(as_text=True)


def test_served_over_http_by_waitress(app):
    """The real WSGI server: an anonymous visitor is sent to sign in, a signed-in organizer
    reads the draft, static files are served locally."""
    import http.cookiejar

    server = create_server(app, host="127.0.0.1", port=0, threads=2, asyncore_loop_timeout=0.1)
    port = server.effective_port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    try:
        with opener.open(f"http://127.0.0.1:{port}/drafts/1", timeout=10) as response:
            assert response.url.endswith("/login?next=/drafts/1?")  # redirected to sign in
        data = b"username=organizer&password=correct+horse+battery"
        with opener.open(f"http://127.0.0.1:{port}/login", data=data, timeout=10) as response:
            assert response.status == 200
        with opener.open(f"http://127.0.0.1:{port}/drafts/1", timeout=10) as response:
            assert response.status == 200
            assert "Mục lục" in response.read().decode("utf-8")
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/style.css", timeout=10
        ) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as caught:
            opener.open(f"http://127.0.0.1:{port}/drafts/42", timeout=10)
        assert caught.value.code == 404
        caught.value.close()
    finally:
        # Close the sockets from inside the server's own loop (closing them from here races
        # with its select()), let the loop end, then stop the worker threads.
        from waitress import wasyncore

        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()
        thread.join(timeout=5)
