"""The organizer's page of similar comments (Flask's test client on a real SQLite file): groups
with counts and units, answering a group, splitting, moving, and bad input as 4xx."""

from __future__ import annotations

import re

from drafter import consulting
from drafter.storage import open_store

from .consultation_fixture import PASSWORD, login, make_app

KEY = "chuong-1/dieu-3"
TOKEN = r'name="csrf_token" value="([^"]+)"'
SAME = (
    "Đề nghị bổ sung trách nhiệm của ủy viên đảng đoàn trong việc thực hiện nghị quyết.",
    "Dự thảo chưa quy định rõ trách nhiệm của từng ủy viên đảng đoàn; đề nghị bổ sung.",
)


def _submitted(world) -> tuple[int, int, int]:
    """Thái Nguyên and Quảng Nam each submit a comment making the same point; Quảng Nam a
    second, different one."""
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    ids = []
    for username, text in (("tn-lead", SAME[0]), ("qn-lead", SAME[1]),
                           ("qn-lead", "Đề nghị quy định việc lưu trữ hồ sơ của đảng đoàn.")):  # fmt: skip
        ids.append(
            consulting.add_comment(
                store,
                store.get_user(world.users[username]),
                consultation,
                key=KEY,
                kind="comment",
                text=text,
                proposed_text=None,
                now=consulting.utc_now(),
            )  # fmt: skip
        )
    for username in ("tn-lead", "qn-lead"):
        consulting.submit(
            store, store.get_user(world.users[username]), consultation, no_comments=False,
            now=consulting.utc_now(),
        )  # fmt: skip
    store.close()
    return ids[0], ids[1], ids[2]


def _group_of(world, comment_id: int) -> int:
    store = open_store(world.db_path)
    try:
        return next(
            g.id
            for g in store.comment_groups(world.consultation_id)
            if any(m.comment_id == comment_id for m in g.members)
        )
    finally:
        store.close()


def test_the_article_page_counts_the_groups_and_marks_grouped_comments(world):
    a, _b, _c = _submitted(world)
    client = login(make_app(world.db_path), "organizer")
    base = f"/admin/c/{world.consultation_id}"
    group = _group_of(world, a)
    article = client.get(f"{base}/a/{KEY}").get_data(as_text=True)
    assert "1 nhóm ý kiến tương tự về điều này" in article
    note = f'{base}/groups/{KEY}#group-{group}">Một trong 2 ý kiến tương tự'
    assert article.count(note) == 2  # on the two similar comments, not on the third
    english = login(make_app(world.db_path), "organizer")
    english.get("/lang/en")
    page = english.get(f"{base}/a/{KEY}").get_data(as_text=True)
    assert "1 group of similar comments on this article" in page


def test_groups_page_answer_split_and_move(world):
    a, b, c = _submitted(world)
    client = login(make_app(world.db_path), "organizer")
    base = f"/admin/c/{world.consultation_id}"
    page = client.get(f"{base}/groups/{KEY}").get_data(as_text=True)
    assert "2 đơn vị: “Đề nghị bổ sung trách nhiệm" in page
    assert "Tỉnh ủy Thái Nguyên, Tỉnh ủy Quảng Nam" in page
    article = client.get(f"{base}/a/{KEY}").get_data(as_text=True)
    assert f"{base}/groups/{KEY}" in article

    group = _group_of(world, a)
    response = client.post(
        f"{base}/groups/{group}/answer",
        data={"status": "partly", "explanation": "Tiếp thu một phần.", "key": KEY},
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/groups/{KEY}#group-{group}")
    store = open_store(world.db_path)
    assert [store.get_comment(i).answer.status for i in (a, b)] == ["partly", "partly"]
    assert store.get_comment(c).answer is None
    store.close()

    # Bad input: a 4xx with the reason, nothing answered.
    response = client.post(
        f"{base}/groups/{_group_of(world, c)}/answer",
        data={"status": "rejected", "explanation": "", "key": KEY},
    )
    assert response.status_code == 400
    assert "nội dung giải trình chưa có nội dung" in response.get_data(as_text=True)
    response = client.post(f"{base}/comments/{a}/group", data={"group": "x", "key": KEY})
    assert response.status_code == 404
    response = client.post(f"{base}/groups/{group}/split", data={"key": KEY})
    assert response.status_code == 400

    response = client.post(f"{base}/groups/{group}/split", data={"comment_ids": str(b), "key": KEY})
    assert response.status_code == 302
    assert _group_of(world, b) != group
    response = client.post(
        f"{base}/comments/{b}/group", data={"group": str(_group_of(world, c)), "key": KEY}
    )
    assert response.status_code == 302
    assert _group_of(world, b) == _group_of(world, c)
    page = client.get(f"{base}/groups/{KEY}").get_data(as_text=True)
    assert "do ban tổ chức xếp" in page or "placed by an organizer" in page


def test_group_forms_need_the_csrf_token(world):
    a, _b, _c = _submitted(world)
    client = make_app(world.db_path, WTF_CSRF_ENABLED=True).test_client()
    token = re.search(TOKEN, client.get("/login").get_data(as_text=True))[1]
    client.post("/login", data={"username": "organizer", "password": PASSWORD, "csrf_token": token})
    base = f"/admin/c/{world.consultation_id}"
    page = client.get(f"{base}/groups/{KEY}").get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 4  # answer, split, and a move form per comment
    token = re.search(TOKEN, page)[1]
    group = _group_of(world, a)
    for url, data in (
        (f"{base}/groups/{group}/answer", {"status": "accepted", "key": KEY}),
        (f"{base}/groups/{group}/split", {"comment_ids": str(a), "key": KEY}),
        (f"{base}/comments/{a}/group", {"group": "new", "key": KEY}),
        (f"{base}/place-groups", {"key": KEY}),
    ):
        assert client.post(url, data=data).status_code == 400, url
    store = open_store(world.db_path)
    assert store.get_comment(a).answer is None
    assert _group_of(world, a) == group
    store.close()
    answered = {"status": "accepted", "key": KEY, "csrf_token": token}
    assert client.post(f"{base}/groups/{group}/answer", data=answered).status_code == 302
