"""The roster: CSV and XLSX files written here, checked line by line, imported all or nothing,
imported again without duplicates, exported and read back; the CLI on a real SQLite file."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from drafter import accounts, roster, rosterfile
from drafter.cli import cli
from drafter.errors import Conflict, InvalidInput
from drafter.storage import open_store

HEADER = "unit_code,unit_name,username,full_name,email,role\n"
GOOD = (
    HEADER
    + "thai-nguyen,Tỉnh ủy Thái Nguyên,tn.lead,Nguyễn Văn An,An@TN.gov.vn,lead\n"
    + "thai-nguyen,,tn.member,Trần Thị Bình,,member\n"
    + "bac-ninh,Tỉnh ủy Bắc Ninh,,,,\n"
    + "bo-tu-phap,Bộ Tư pháp,btp_1,Lê Văn Cường,cuong@moj.gov.vn,LEAD\n"
)


def csv_bytes(text: str, *, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(rows, *, second_sheet=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    if second_sheet is not None:
        other = workbook.create_sheet("Khác")
        for row in second_sheet:
            other.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def snapshot(store):
    """Return every unit and account as plain tuples (to compare before and after)."""
    return (
        [(u.code, u.name, u.kind, u.disabled) for u in store.list_units()],
        [(u.username, u.display_name, u.email, u.is_lead, u.unit_id) for u in store.list_users()],
    )


def problems(preview):
    return [(p.line, p.column, p.error.template) for p in preview.problems]


# -- importing ----------------------------------------------------------------------------------
def test_check_writes_nothing_then_import_writes_everything(store):
    before = snapshot(store)
    preview = roster.check(store, "roster.csv", csv_bytes(GOOD, bom=True))
    assert preview.ok, problems(preview)
    assert (preview.count("unit", "create"), preview.count("delegate", "create")) == (3, 3)
    assert snapshot(store) == before
    outcome = roster.import_file(store, "roster.csv", csv_bytes(GOOD, bom=True))
    result = outcome.result
    assert (result.units_created, result.delegates_created) == (3, 3)
    tn = store.find_unit("thai-nguyen")
    assert tn.name == "Tỉnh ủy Thái Nguyên"
    assert tn.kind == "province"
    lead = store.find_login("tn.lead").user
    assert (lead.display_name, lead.email, lead.is_lead, lead.unit_id) == (
        "Nguyễn Văn An", "an@tn.gov.vn", True, tn.id,
    )  # fmt: skip
    assert store.find_login("btp_1").user.is_lead  # "LEAD" is read as lead
    assert not store.find_login("tn.member").user.is_lead
    assert store.find_unit("bac-ninh") is not None
    assert store.list_users(store.find_unit("bac-ninh").id) == []
    actions = [e.action for e in store.list_audit()]
    assert actions.count("unit.create") == 3
    assert actions.count("delegate.create") == 3
    assert "roster.import" in actions


def test_importing_again_updates_and_never_duplicates(store):
    roster.import_file(store, "r.csv", csv_bytes(GOOD))
    before = snapshot(store)
    again = roster.import_file(store, "r.csv", csv_bytes(GOOD))
    assert again.result.units_created == again.result.units_updated == 0
    assert again.result.delegates_created == again.result.delegates_updated == 0
    assert snapshot(store) == before
    changed = (
        HEADER
        + "thai-nguyen,Thái Nguyên (mới),tn.lead,Nguyễn Văn An B,an.b@tn.gov.vn,member\n"
        + "thai-nguyen,,tn.member,,,lead\n"  # blank cells keep the name and address
    )
    result = roster.import_file(store, "r2.csv", csv_bytes(changed)).result
    assert (result.units_updated, result.delegates_updated, result.delegates_created) == (1, 2, 0)
    assert store.find_unit("thai-nguyen").name == "Thái Nguyên (mới)"
    lead = store.find_login("tn.lead").user
    assert (lead.display_name, lead.email, lead.is_lead) == (
        "Nguyễn Văn An B", "an.b@tn.gov.vn", False,
    )  # fmt: skip
    member = store.find_login("tn.member").user
    assert (member.display_name, member.is_lead) == ("Trần Thị Bình", True)
    assert len(store.list_units()) == 3
    assert len(store.list_users()) == 3


@pytest.mark.parametrize(
    ("line", "column", "template_part"),
    [
        ("Bắc Giang,Tỉnh Bắc Giang,,,,", "unit_code", "unit code"),
        ("bac-giang,Tỉnh Bắc Giang,Nguyễn Văn A,Nguyễn Văn A,,member", "username", "user name"),
        ("bac-giang,Tỉnh Bắc Giang,nva,Nguyễn Văn A,not-an-address,member", "email", "e-mail"),
        ("bac-giang,Tỉnh Bắc Giang,nva,Nguyễn Văn A,,chairman", "role", "role"),
        ("bac-giang,Tỉnh Bắc Giang,nva,Nguyễn Văn A,,", "role", "role"),
        ("b,Một chữ,,,,", "unit_code", "unit code"),
        ("bac-giang,,,,,", "unit_name", "new unit needs a name"),
        ("bac-giang,Tỉnh Bắc Giang,nva,,,member", "full_name", "full name"),
        ("bac-giang,Tỉnh Bắc Giang,,Nguyễn Văn A,,member", "username", "no user name"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_written(store, line, column, template_part):
    text = HEADER + "thai-nguyen,Tỉnh ủy Thái Nguyên,tn.lead,Nguyễn Văn An,,lead\n" + line + "\n"
    outcome = roster.import_file(store, "r.csv", csv_bytes(text))
    assert outcome.result is None
    found = problems(outcome.preview)
    assert [(p[0], p[1]) for p in found] == [(3, column)], found
    assert template_part in found[0][2]
    assert store.list_units() == []
    assert store.list_users() == []


def test_a_units_name_may_be_on_a_later_line(store):
    accounts.create_unit(store, "lao-cai", "Lào Cai", "province")
    text = (
        HEADER
        + "ha-noi,,hn.1,Hà,,lead\n"
        + "ha-noi,Thành ủy Hà Nội,hn.2,Nội,,member\n"
        + "lao-cai,,lc.1,Cai,,lead\n"
        + "lao-cai,Tỉnh ủy Lào Cai,lc.2,Lào,,member\n"
    )
    result = roster.import_file(store, "r.csv", csv_bytes(text)).result
    assert (result.units_created, result.units_updated) == (1, 1)
    assert store.find_unit("ha-noi").name == "Thành ủy Hà Nội"
    assert store.find_unit("lao-cai").name == "Tỉnh ủy Lào Cai"


def test_duplicates_within_the_file(store):
    text = (
        HEADER
        + "thai-nguyen,Tỉnh ủy Thái Nguyên,tn.lead,A,,lead\n"
        + "thai-nguyen,Tỉnh ủy Thái Nguyên,TN.LEAD,A,,lead\n"  # user names ignore case
        + "bac-ninh,Bắc Ninh,,,,\n"
        + "bac-ninh,Bắc Ninh,,,,\n"
        + "lao-cai,Lào Cai,lc1,C,,lead\n"
        + "lao-cai,Tỉnh Lào Cai,lc2,D,,member\n"  # one code, two names
    )
    preview = roster.check(store, "r.csv", csv_bytes(text))
    assert [(p[0], p[1]) for p in problems(preview)] == [
        (3, "username"), (5, "unit_code"), (7, "unit_name"),
    ]  # fmt: skip
    assert preview.problems[0].error.params["line"] == 2


def test_existing_accounts_are_not_taken_over(store):
    accounts.create_organizer(store, "admin", "Ban Tổ chức", "ba con mèo xanh đi")
    unit = accounts.create_unit(store, "quang-nam", "Quảng Nam", "province")
    accounts.create_delegate(store, unit, "qn.lead", "Q", is_lead=True)
    text = HEADER + "thai-nguyen,Thái Nguyên,admin,X,,lead\nthai-nguyen,,qn.lead,Q,,lead\n"
    preview = roster.check(store, "r.csv", csv_bytes(text))
    assert [(p[0], p[1]) for p in problems(preview)] == [(2, "username"), (3, "username")]
    assert "organizer" in preview.problems[0].error.template


def test_malformed_csv(store):
    text = HEADER + 'thai-nguyen,"Tỉnh ủy "Thái" Nguyên,tn,A,,lead\n'
    preview = roster.check(store, "r.csv", csv_bytes(text))
    assert not preview.ok
    assert preview.lines == []
    assert preview.problems[0].line == 2
    assert "not valid CSV" in preview.problems[0].error.template
    unterminated = HEADER + 'thai-nguyen,"Thái Nguyên,tn,A,,lead\n'
    assert (
        "not valid CSV"
        in roster.check(store, "r.csv", csv_bytes(unterminated)).problems[0].error.template
    )


@pytest.mark.parametrize(
    ("data", "name", "template_part"),
    [
        (b"unit_code,unit_name,username,full_name,email\nx,y,z,w,v\n", "r.csv", "first line"),
        (b"code,name,user,full_name,email,role\n", "r.csv", "first line"),
        ("unit_code,unit_name\nthái,Thái\n".encode("cp1258"), "r.csv", "UTF-8"),
        (b"", "r.csv", "no rows"),
        (b"anything", "r.txt", ".csv or .xlsx"),
        (b"a" * (rosterfile.MAX_BYTES + 1), "r.csv", "too large"),
        (HEADER.encode() + b"a,b,c,d,e,member,extra\n", "r.csv", "more cells"),
    ],
)
def test_file_problems(store, data, name, template_part):
    preview = roster.check(store, name, data)
    assert not preview.ok
    assert template_part in preview.problems[0].error.template


def test_semicolons_and_a_bom_as_excel_writes_them(store):
    text = GOOD.replace(",", ";")
    preview = roster.check(store, "r.csv", csv_bytes(text, bom=True))
    assert preview.ok
    assert preview.count("delegate", "create") == 3


def test_too_many_rows(store, monkeypatch):
    monkeypatch.setattr(rosterfile, "MAX_ROWS", 3)
    text = HEADER + "".join(f"u-{i},Đơn vị {i},,,,\n" for i in range(4))
    preview = roster.check(store, "r.csv", csv_bytes(text))
    assert "more than" in preview.problems[0].error.template
    rows = [rosterfile.COLUMNS] + [(f"u-{i}", f"Đơn vị {i}") for i in range(4)]
    assert "more than" in roster.check(store, "r.xlsx", xlsx_bytes(rows)).problems[0].error.template


# -- XLSX -------------------------------------------------------------------------------------
def test_xlsx_first_sheet_only_cells_as_text(store):
    rows = [
        ("role", "unit_code", "unit_name", "username", "full_name", "email"),  # any order
        ("lead", "thai-nguyen", "Tỉnh ủy Thái Nguyên", "tn.lead", "Nguyễn Văn An", None),
        ("member", "thai-nguyen", None, 20250001, "Trần Thị Bình", None),
    ]
    data = xlsx_bytes(rows, second_sheet=[rosterfile.COLUMNS, ("evil", "E", "e", "E", "", "lead")])
    outcome = roster.import_file(store, "roster.xlsx", data)
    assert outcome.preview.ok, problems(outcome.preview)
    assert store.find_login("20250001").user.display_name == "Trần Thị Bình"
    assert store.find_unit("evil") is None
    # A formula is never computed: the cell reads as the value the file stored (none here).
    rows.append(("member", "thai-nguyen", None, "f.1", '=CONCAT("Ng","uyễn")', None))
    preview = roster.check(store, "roster.xlsx", xlsx_bytes(rows))
    assert problems(preview) == [(4, "full_name", "A new delegate needs a full name.")]


@pytest.mark.parametrize(
    "hostile",
    ["not a zip", "truncated", "bomb", "entities", "empty zip", "huge"],
)
def test_hostile_xlsx_is_refused_quickly(store, hostile):
    good = xlsx_bytes([rosterfile.COLUMNS, ("thai-nguyen", "Thái Nguyên", "", "", "", "")])
    if hostile == "not a zip":
        data = b"<html>not a workbook</html>"
    elif hostile == "truncated":
        data = good[: len(good) // 2]
    elif hostile == "huge":
        data = good + b"\0" * rosterfile.MAX_BYTES
    else:
        buffer = io.BytesIO()
        with (
            zipfile.ZipFile(good and io.BytesIO(good)) as source,
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist() if hostile != "empty zip" else []:
                body = source.read(info)
                if hostile == "entities" and info.filename == "xl/worksheets/sheet1.xml":
                    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    head, _, rest = body.partition(b"?>")
                    body = head + b"?>" + dtd + rest if rest else dtd + body
                    assert b"<!DOCTYPE" in body
                target.writestr(info, body)
            if hostile == "bomb":
                target.writestr("xl/padding.xml", b" " * (rosterfile.MAX_UNZIPPED + 1))
        data = buffer.getvalue()
    preview = roster.check(store, "r.xlsx", data)
    assert not preview.ok
    assert preview.lines == []
    assert store.list_units() == []


def test_a_sheet_declaring_a_million_rows_is_read_as_what_it_holds(store):
    good = xlsx_bytes([rosterfile.COLUMNS, ("thai-nguyen", "Thái Nguyên", "", "", "", "")])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(
                    b'<dimension ref="A1:F2"/>', b'<dimension ref="A1:XFD1048576"/>'
                )
                assert b"XFD1048576" in body
            target.writestr(info, body)
    preview = roster.check(store, "r.xlsx", buffer.getvalue())
    assert preview.ok
    assert [line.unit_code for line in preview.lines] == ["thai-nguyen"]


# -- consultations, invitations, all or nothing -------------------------------------------------
def test_consultation_invitations_and_links(template_world, tmp_path):
    from .consultation_fixture import copy_world

    world = copy_world(template_world, tmp_path)
    store = open_store(world.db_path)
    text = (
        HEADER
        + "thai-nguyen,,tn.new,Người Mới,moi@tn.vn,member\nlao-cai,,,,,\nha-noi,Hà Nội,hn.1,H,,lead\n"
    )
    result = roster.import_file(
        store, "r.csv", csv_bytes(text), consultation_id=world.consultation_id, invite=True
    ).result
    assert result.units_invited == 2  # thai-nguyen was invited already
    assert store.is_invited(world.consultation_id, world.units["lao-cai"])
    assert sorted(u.username for u, _t in result.invitations) == ["hn.1", "tn.new"]
    for user, token in result.invitations:
        assert accounts.invitation_user(store, token).id == user.id
    with store.transaction():
        store.close_consultation(world.consultation_id, now="2000-01-01T00:00:00+00:00")
    with pytest.raises(Conflict):
        roster.import_file(store, "r.csv", csv_bytes(text), consultation_id=world.consultation_id)
    store.close()


def test_a_failure_while_writing_leaves_no_trace(store, monkeypatch):
    roster.import_file(store, "r.csv", csv_bytes(HEADER + "lao-cai,Lào Cai,,,,\n"))
    before = snapshot(store)
    audit_before = len(store.list_audit())
    calls = []
    real = store.create_user

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "create_user", failing)
    with pytest.raises(RuntimeError):
        roster.import_file(store, "r.csv", csv_bytes(GOOD))
    assert snapshot(store) == before
    assert len(store.list_audit()) == audit_before


# -- export --------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reads_back_unchanged(store, fmt):
    text = GOOD + 'ha-noi,=HYPERLINK("http://x"),hn.1,+84 Lê,-@x.vn,member\n'
    assert roster.import_file(store, "r.csv", csv_bytes(text)).result is not None
    data = roster.export(store, fmt)
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        assert b"'=HYPERLINK" in data
    before = snapshot(store)
    again = roster.import_file(store, f"export.{fmt}", data)
    assert again.preview.ok, problems(again.preview)
    assert again.result.units_updated == again.result.delegates_updated == 0
    assert snapshot(store) == before
    assert store.find_unit("ha-noi").name == '=HYPERLINK("http://x")'


# -- the command line ----------------------------------------------------------------------------
def run(db_path, *args, expect=0):
    result = CliRunner().invoke(cli, ["--db", str(db_path), *map(str, args)])
    assert result.exit_code == expect, result.output + result.stderr
    return result


def test_cli_import_dry_run_errors_and_export(db_path, tmp_path):
    good = tmp_path / "roster.csv"
    good.write_bytes(csv_bytes(GOOD))
    out = run(db_path, "roster", "import", good, "--dry-run").output
    assert "Would create 3 unit(s)" in out
    assert open_store(db_path).list_units() == []
    out = run(db_path, "roster", "import", good, "--invite").output
    assert "Units: 3 created, 0 updated. Delegates: 3 created, 0 updated." in out
    assert out.count("/invite/") == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(HEADER + "Bắc Giang,Bắc Giang,Nguyễn Văn A,A,,member\n"))
    result = run(db_path, "roster", "import", bad, expect=1)
    assert "bad.csv:2:unit_code:" in result.stderr
    assert "bad.csv:2:username:" in result.stderr
    assert "nothing was imported" in result.stderr
    assert len(open_store(db_path).list_units()) == 3
    out = run(db_path, "roster", "export").output
    assert out.splitlines()[0] == HEADER.strip()
    assert "thai-nguyen,Tỉnh ủy Thái Nguyên,tn.lead" in out
    xlsx_file = tmp_path / "out" / "roster.xlsx"
    run(db_path, "roster", "export", "-o", xlsx_file)
    assert zipfile.is_zipfile(xlsx_file)
    out = run(db_path, "roster", "import", xlsx_file).output
    assert "Units: 0 created, 0 updated. Delegates: 0 created, 0 updated." in out


def test_cli_as_a_real_process(db_path, tmp_path):
    good = tmp_path / "roster.csv"
    good.write_bytes(csv_bytes(GOOD))
    done = subprocess.run(
        [sys.executable, "-m", "drafter", "--db", str(db_path), "roster", "import", str(good)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(open_store(db_path).list_users()) == 3


# -- the checks shared with the forms --------------------------------------------------------------
@pytest.mark.parametrize(
    "code", ["Bắc Giang", "bac giang", "b", "a" * 41, "bac_giang", "bắc-giang"]
)
def test_unit_codes_refused(store, code):
    with pytest.raises(InvalidInput, match="unit code"):
        accounts.create_unit(store, code, "Tỉnh Bắc Giang", "province")
    assert store.list_units() == []


@pytest.mark.parametrize("name", ["Nguyễn Văn A", "nguyen van a", "ab", "a" * 41, "a/b", "a@b"])
def test_usernames_refused(store, name):
    unit = accounts.create_unit(store, "Bac-Giang", "Tỉnh Bắc Giang", "province")
    assert store.get_unit(unit).code == "bac-giang"
    with pytest.raises(InvalidInput, match="user name"):
        accounts.create_delegate(store, unit, name, "Nguyễn Văn A")
    assert store.list_users() == []


def test_good_codes_and_usernames(store):
    unit = accounts.create_unit(store, "thai-nguyen", "Thái Nguyên", "province")
    for name in ("nguyen.van.a", "N_V-A", "abc"):
        accounts.create_delegate(store, unit, name, "Nguyễn Văn A", email="")
    assert len(store.list_users(unit)) == 3


@pytest.mark.parametrize("command", [["roster"], ["roster", "import"], ["roster", "export"]])
def test_roster_commands_have_help(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 3


def test_cli_import_can_email_the_new_delegates_their_links(db_path, tmp_path, monkeypatch):
    """`--invite --send` queues one invitation per new delegate with an address, in the
    import's transaction; the printed links point to DRAFTER_BASE_URL."""
    monkeypatch.setenv("DRAFTER_BASE_URL", "https://gopy.example.vn")
    good = tmp_path / "roster.csv"
    good.write_bytes(csv_bytes(GOOD))
    out = run(db_path, "roster", "import", good, "--invite", "--send").output
    assert out.count("https://gopy.example.vn/invite/") == 3
    store = open_store(db_path)
    queued = store.list_mail()
    store.close()
    assert sorted(m.mail.recipient for m in queued) == ["an@tn.gov.vn", "cuong@moj.gov.vn"]
    assert all(m.mail.kind == "invitation" for m in queued)
    links = {line.split("\t")[1] for line in out.splitlines() if "\t" in line}
    assert all(any(link in m.mail.text for link in links) for m in queued)


def test_a_line_without_the_unit_name_shows_the_stored_name(store):
    roster.import_file(store, "a.csv", csv_bytes(GOOD))
    preview = roster.check(
        store, "b.csv", csv_bytes(HEADER + "thai-nguyen,,tn.x,Lê Văn X,,member\n")
    )
    assert preview.ok
    assert [line.unit_name for line in preview.lines] == ["Tỉnh ủy Thái Nguyên"]
