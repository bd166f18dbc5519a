"""The organizer's roster and people pages, and changing one's password, through Flask's test
client with CSRF on, on a real SQLite file."""

from __future__ import annotations

import io
import re

import pytest

from drafter import accounts, consulting
from drafter.storage import open_store

from .consultation_fixture import PASSWORD, make_app

HEADER = "unit_code,unit_name,username,full_name,email,role\n"
NEW_PASSWORD = "ba con mèo xanh dạo phố"


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


class Browser:
    """A test client that signs in and sends every form with the page's CSRF token."""

    def __init__(self, app, username: str | None = None, password: str = PASSWORD):
        self.client = app.test_client()
        if username is not None:
            response = self.post("/login", {"username": username, "password": password})
            assert response.status_code == 302, response.get_data(as_text=True)[:300]

    def get(self, url):
        return self.client.get(url)

    def post(self, url, data=None, *, page="/login", **kwargs):
        token = _token(self.client.get(page).get_data(as_text=True))
        return self.client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


@pytest.fixture
def app(world):
    return make_app(world.db_path, WTF_CSRF_ENABLED=True)


def upload(browser, name: str, data: bytes):
    return browser.post(
        "/admin/roster",
        {"file": (io.BytesIO(data), name)},
        page="/admin/roster",
        content_type="multipart/form-data",
    )


def test_roster_upload_preview_confirm(app, world):
    organizer = Browser(app, "organizer")
    store = open_store(world.db_path)
    units_before = store.list_units()
    bad = (
        HEADER
        + "ha-noi,Thành ủy Hà Nội,hn.lead,Nguyễn Văn Hà,ha@hanoi.vn,lead\n"
        + "Bắc Giang,Tỉnh ủy Bắc Giang,Nguyễn Văn A,Nguyễn Văn A,,member\n"
    )
    response = upload(organizer, "danh-sach.csv", bad.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="problem"' in page
    assert "Mã đơn vị “Bắc Giang” không hợp lệ" in page  # Vietnamese, with line and column
    assert "Tên đăng nhập “Nguyễn Văn A” không hợp lệ" in page
    assert "Xác nhận" not in page  # no confirm button
    assert store.list_units() == units_before
    good = bad.replace(
        "Bắc Giang,Tỉnh ủy Bắc Giang,Nguyễn Văn A", "bac-giang,Tỉnh ủy Bắc Giang,nguyen.van.a"
    )
    response = upload(organizer, "danh-sach.csv", good.encode())
    assert response.status_code == 302
    preview_url = response.location
    page = organizer.get(preview_url).get_data(as_text=True)
    assert "Thành ủy Hà Nội" in page
    assert "Đơn vị: 2 mới, 0 cập nhật. Đại biểu: 2 mới, 0 cập nhật." in page
    assert store.find_unit("ha-noi") is None  # nothing live before the confirmation
    response = organizer.post(
        preview_url + "/confirm",
        {"consultation_id": str(world.consultation_id), "invite": "1"},
        page=preview_url,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    links = re.findall(r"http://localhost/invite/[\w-]+", page)
    assert len(links) == 2
    hanoi = store.find_unit("ha-noi")
    assert store.is_invited(world.consultation_id, hanoi.id)
    assert store.find_login("nguyen.van.a").user.unit_id == store.find_unit("bac-giang").id
    # The link works: the new delegate sets a password and signs in.
    invite = links[0].removeprefix("http://localhost")
    newcomer = Browser(app)
    response = newcomer.post(
        invite, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=invite
    )
    assert response.status_code == 302
    # Confirming twice imports once.
    again = organizer.post(preview_url + "/confirm", {}, page="/admin/roster")
    assert again.status_code == 404
    assert len(store.list_units()) == len(units_before) + 2
    store.close()


def test_roster_discard_and_export(app, world):
    organizer = Browser(app, "organizer")
    response = upload(organizer, "r.csv", (HEADER + "ha-noi,Hà Nội,,,,\n").encode())
    url = response.location
    assert organizer.post(url + "/discard", page=url).status_code == 302
    assert organizer.get(url).status_code == 404
    store = open_store(world.db_path)
    assert store.find_unit("ha-noi") is None
    csv_file = organizer.get("/admin/roster/export.csv")
    assert csv_file.headers["Content-Disposition"] == 'attachment; filename="roster.csv"'
    text = csv_file.get_data().decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER.strip()
    assert "thai-nguyen,Tỉnh ủy Thái Nguyên,tn-lead,TN-LEAD,,lead" in text
    xlsx_file = organizer.get("/admin/roster/export.xlsx")
    assert xlsx_file.get_data()[:2] == b"PK"
    # What was downloaded reads back as "no change".
    response = upload(organizer, "roster.xlsx", xlsx_file.get_data())
    page = organizer.get(response.location).get_data(as_text=True)
    assert "Đơn vị: 0 mới, 0 cập nhật. Đại biểu: 0 mới, 0 cập nhật." in page
    store.close()


def test_a_hostile_upload_is_a_422_not_a_500(app):
    organizer = Browser(app, "organizer")
    for name, data in (
        ("r.xlsx", b"PK\x03\x04 not really"),
        ("r.csv", b'unit_code,unit_name,username,full_name,email,role\n"a,b\n'),
        ("r.csv", b"\xff\xfe\x00bad"),
    ):
        response = upload(organizer, name, data)
        assert response.status_code == 422, name
        assert 'class="problem"' in response.get_data(as_text=True)
    assert organizer.post("/admin/roster", {}, page="/admin/roster").status_code == 400


def test_unit_code_and_username_forms_refuse_accents(app, world):
    organizer = Browser(app, "organizer")
    response = organizer.post(
        "/admin/units",
        {"code": "Bắc Giang", "name": "Tỉnh ủy Bắc Giang", "kind": "province"},
        page="/admin/units",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Mã đơn vị “Bắc Giang” không hợp lệ" in page
    # The browser's patterns are valid (escaped hyphen, as the "v" flag needs) and say the same.
    assert 'pattern="[A-Za-z0-9\\-]{2,40}"' in page
    assert 'pattern="[A-Za-z0-9._\\-]{3,40}"' in page
    response = organizer.post(
        f"/admin/units/{world.units['thai-nguyen']}/delegates",
        {"username": "Nguyễn Văn A", "display_name": "Nguyễn Văn A"},
        page="/admin/units",
    )
    assert response.status_code == 302
    page = organizer.get("/admin/units").get_data(as_text=True)
    assert "Tên đăng nhập “Nguyễn Văn A” không hợp lệ" in page
    store = open_store(world.db_path)
    assert store.find_unit("bắc giang") is None
    assert store.find_login("Nguyễn Văn A") is None


def test_edit_unit_and_delegate(app, world):
    organizer = Browser(app, "organizer")
    unit_id = world.units["thai-nguyen"]
    url = f"/admin/units/{unit_id}/edit"
    response = organizer.post(url, {"name": "", "kind": "province"}, page=url)
    assert response.status_code == 400
    response = organizer.post(url, {"name": "Thái Nguyên mới", "kind": "ministry"}, page=url)
    assert response.status_code == 302
    store = open_store(world.db_path)
    unit = store.get_unit(unit_id)
    assert (unit.name, unit.kind, unit.code) == ("Thái Nguyên mới", "ministry", "thai-nguyen")
    member = world.users["tn-member"]
    url = f"/admin/users/{member}/edit"
    form = {"display_name": "Trần Văn Mới", "email": "bad address", "unit_id": str(unit_id)}
    assert organizer.post(url, form, page=url).status_code == 400
    form |= {"email": "Moi@TN.vn", "is_lead": "1", "unit_id": str(world.units["lao-cai"])}
    assert organizer.post(url, form, page=url).status_code == 302
    user = store.get_user(member)
    assert (user.display_name, user.email, user.is_lead, user.unit_id) == (
        "Trần Văn Mới", "moi@tn.vn", True, world.units["lao-cai"],
    )  # fmt: skip
    assert organizer.get(f"/admin/users/{world.users['organizer']}/edit").status_code == 404
    actions = [e.action for e in store.list_audit()]
    assert "unit.update" in actions
    assert "delegate.update" in actions
    store.close()


def test_deactivating_a_unit_keeps_its_delegates_out_and_loses_nothing(app, world):
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    lead = store.get_user(world.users["tn-lead"])
    comment = consulting.add_comment(
        store, lead, consultation, key="chuong-1/dieu-1", kind="comment", text="Ý kiến còn đây",
        proposed_text=None, now=consulting.utc_now(),
    )  # fmt: skip
    delegate = Browser(app, "tn-member")
    assert delegate.get("/c/").status_code == 200
    organizer = Browser(app, "organizer")
    unit_id = world.units["thai-nguyen"]
    assert organizer.post(f"/admin/units/{unit_id}/disable", page="/admin/units").status_code == 302
    assert store.get_unit(unit_id).disabled
    assert "ngừng hoạt động" in organizer.get("/admin/units").get_data(as_text=True)
    # The signed-in delegate is out at the next request; nobody of the unit can sign in.
    response = delegate.get("/c/")
    assert response.status_code == 302
    assert "/login" in response.location
    assert (
        Browser(app).post("/login", {"username": "tn-lead", "password": PASSWORD}).status_code
        == 401
    )
    assert accounts.sign_in(store, "tn-member", PASSWORD, "10.0.0.9") is None
    # Another unit is not affected; the comment is still there.
    Browser(app, "qn-lead")
    assert store.get_comment(comment).text == "Ý kiến còn đây"
    assert organizer.post(f"/admin/units/{unit_id}/enable", page="/admin/units").status_code == 302
    Browser(app, "tn-lead")  # signs in again
    actions = [e.action for e in store.list_audit()]
    assert "unit.disable" in actions
    assert "unit.enable" in actions
    store.close()


def test_a_deactivated_units_invitation_link_does_not_work(app, world):
    store = open_store(world.db_path)
    unit_id = world.units["lao-cai"]
    _user_id, token = accounts.create_delegate(store, unit_id, "lc.new", "Người Mới")
    organizer = Browser(app, "organizer")
    organizer.post(f"/admin/units/{unit_id}/disable", page="/admin/units")
    assert Browser(app).get(f"/invite/{token}").status_code == 404
    organizer.post(f"/admin/units/{unit_id}/enable", page="/admin/units")
    assert Browser(app).get(f"/invite/{token}").status_code == 200
    store.close()


def test_change_password(app, world):
    here = Browser(app, "tn-member")
    elsewhere = Browser(app, "tn-member")
    url = "/account/password"
    assert "Mật khẩu hiện tại" in here.get(url).get_data(as_text=True)
    wrong = here.post(
        url, {"current": "not it", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=url
    )
    assert wrong.status_code == 400
    assert "Mật khẩu hiện tại không đúng." in wrong.get_data(as_text=True)
    differ = here.post(
        url, {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": "x"}, page=url
    )
    assert differ.status_code == 400
    weak = here.post(
        url, {"current": PASSWORD, "password": "1234567890", "confirm": "1234567890"}, page=url
    )
    assert weak.status_code == 400
    done = here.post(
        url, {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=url
    )
    assert done.status_code == 302
    assert here.get("/c/").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/c/").status_code == 302  # the other session has ended
    assert (
        Browser(app).post("/login", {"username": "tn-member", "password": PASSWORD}).status_code
        == 401
    )
    Browser(app, "tn-member", NEW_PASSWORD)
    store = open_store(world.db_path)
    assert "password.change" in [e.action for e in store.list_audit()]
    store.close()


def test_change_password_needs_signing_in(app):
    response = Browser(app).get("/account/password")
    assert response.status_code == 302
    assert "/login" in response.location


def test_wrong_current_passwords_are_throttled_like_sign_ins(world):
    from drafter.errors import InvalidInput, TooManyAttempts

    store = open_store(world.db_path)
    user = store.get_user(world.users["tn-member"])
    for _ in range(accounts.FREE_TRIES):
        with pytest.raises(InvalidInput):
            accounts.change_password(store, user, "wrong", NEW_PASSWORD, NEW_PASSWORD, address="a")
    with pytest.raises(TooManyAttempts):
        accounts.change_password(store, user, PASSWORD, NEW_PASSWORD, NEW_PASSWORD, address="a")
    assert accounts.authenticate(store, "tn-member", PASSWORD) is not None  # unchanged
    store.close()


def test_a_stale_preview_never_confirms_a_later_file(world):
    """Numbers of pending rosters and uploads are never reused: after a roster is confirmed,
    the next upload gets a new number, so an old preview's confirm button finds nothing."""
    from drafter.storage import open_store

    store = open_store(world.db_path)
    organizer = world.users["organizer"]
    with store.transaction():
        first = store.add_pending_roster(organizer, "a.csv", b"x", now="2026-01-01T00:00:00+00:00")
        store.delete_pending_roster(first)
        second = store.add_pending_roster(organizer, "b.csv", b"y", now="2026-01-01T00:00:00+00:00")
        upload = store.add_pending_upload(organizer, "a.md", b"x", draft_id=None, title="",
                                          now="2026-01-01T00:00:00+00:00")  # fmt: skip
        store.delete_pending_upload(upload)
        again = store.add_pending_upload(organizer, "b.md", b"y", draft_id=None, title="",
                                         now="2026-01-01T00:00:00+00:00")  # fmt: skip
    store.close()
    assert second > first
    assert again > upload
