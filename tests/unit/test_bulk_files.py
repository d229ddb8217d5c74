"""Issue #12, 批量发货: `danhao export --site SITE --format csv|xlsx` and the review pages' downloads.

The database is seeded through the real API for all seven seller sites (tests/support/bulk_shipping.py:
per site three ready shipments of one order, one of another, one confirmed on the platform, one
to review, one blocked). Every file, for every site and both formats, is read back the way a
spreadsheet would (csv / openpyxl, knowing only the layouts data file) and must carry exactly
the ready, not yet uploaded shipments: order id, the courier as that platform spells it, number.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helper import couriers, exports
from helper.app import create_app
from helper.cli import main
from helper.security import ensure_token
from helper.store import connect
from helper.web import words
from tests.support import bulk_shipping as B

FORMATS = ("csv", "xlsx")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bulk")
    db_path = folder / "danhao.db"
    app = create_app({"DB_PATH": str(db_path), "TESTING": True})
    db = connect(db_path)
    try:
        token = ensure_token(db)
    finally:
        db.conn.close()
    client = app.test_client()

    def post(path, body):
        r = client.post(path, json=body, headers={"X-Danhao-Token": token})
        assert r.status_code in (200, 201), (path, r.status_code, r.get_data(as_text=True)[:300])
        return r.get_json()

    seed = B.seed(post)
    return {"db": db_path, "app": app, "token": token, **seed}


def snapshot(db_path) -> dict:
    db = connect(db_path)
    try:
        return {t: [tuple(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY rowid")]
                for t in ("shipments", "events", "fill_results", "sales_orders")}
    finally:
        db.conn.close()


def export(db_path, out: Path, *args):
    return CliRunner().invoke(main, ["export", *args, "--out", str(out), "--db", str(db_path)])


def read(data: bytes, fmt: str, entry: dict):
    return B.read_csv(data, entry) if fmt == "csv" else B.read_xlsx(data, entry)


def cell_texts(data: bytes, fmt: str) -> list[str]:
    if fmt == "csv":
        return [c for line in B.csv_cells(data) for c in line]
    from openpyxl import load_workbook

    return [c.value for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]


# ------------------------------------------------------------------ the layouts data file

def test_every_seller_site_has_a_layout_marked_unverified_with_its_source():
    doc = B.layouts_doc()
    seller_sites = {s for s in words.SITES if s.endswith("-seller")}
    assert set(doc) == seller_sites == set(couriers.PLATFORM_OF_SITE) == set(B.SITES)
    assert set(exports.load_layouts()) == seller_sites and set(exports.TEMPLATES) == seller_sites
    lists = {p: {couriers.strip_decorations(o["label"]) for o in json.loads(
        (B.DATA / f"platform_options_{p}.json").read_text(encoding="utf-8"))["options"]} for p in ("taobao", "douyin")}
    for site, entry in doc.items():
        assert entry["unverified"] is True and "No public source" in entry["based_on"], site
        assert entry["platform"] == couriers.PLATFORM_OF_SITE[site]
        assert sorted(c["field"] for c in entry["columns"]) == ["courier", "number", "order_id"], site
        assert entry["several_numbers"]["mode"] in ("rows", "join") and entry["sheet"]
        labels = entry["courier_labels"]["labels"]
        assert all(couriers.exists(cid) for cid in labels), site
        if entry["platform"] in lists:
            # every label is one the platform's own list spells (decorations such as (常用) removed)
            assert labels and set(labels.values()) <= lists[entry["platform"]], site
            assert "tests/data/platform_options_" in entry["courier_labels"]["source"]
        else:
            assert labels == {} and "no list" in entry["courier_labels"]["source"], site


# ------------------------------------------------------------------ every site, both formats

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("site", B.SITES)
def test_the_command_line_file_reads_back_to_the_ready_unuploaded_shipments(seeded, tmp_path, site, fmt):
    before = snapshot(seeded["db"])
    out = tmp_path / f"file.{fmt}"
    result = export(seeded["db"], out, "--site", site, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert f"Wrote {len(seeded['expected'][site])} shipments (2 orders)" in result.stdout
    assert "unverified" in result.stderr
    data = out.read_bytes()
    assert read(data, fmt, B.layouts_doc()[site]) == seeded["expected"][site]
    cells = cell_texts(data, fmt)
    for number in seeded["excluded"][site]:   # confirmed on the platform, or waiting for review
        assert not any(number in c for c in cells), (site, number)
    assert snapshot(seeded["db"]) == before, "an export changed the database"


def test_ids_and_numbers_stay_text_in_both_formats(seeded, tmp_path):
    export(seeded["db"], tmp_path / "t.csv", "--site", "taobao-seller", "--format", "csv")
    lines = B.csv_cells((tmp_path / "t.csv").read_bytes())
    assert lines[1][0] == "\t4123456789012345601" and lines[1][2] == "\t73012345670101"   # Excel keeps 19 digits
    export(seeded["db"], tmp_path / "t.xlsx", "--site", "taobao-seller", "--format", "xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "t.xlsx")["批量发货"]
    first = [c for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert [c.value for c in first] == ["4123456789012345601", "中通快递", "73012345670101"]
    assert all(c.data_type == "s" and c.number_format == "@" for c in first)


def test_formula_looking_text_is_neutralised(seeded, tmp_path):
    from openpyxl import load_workbook

    # 微信小店 order "-A1" (a formula in Excel: minus cell A1), from the API
    export(seeded["db"], tmp_path / "w.csv", "--site", "wechat-seller", "--format", "csv")
    lines = B.csv_cells((tmp_path / "w.csv").read_bytes())
    assert {line[0] for line in lines[1:]} >= {"'-A1"}
    export(seeded["db"], tmp_path / "w.xlsx", "--site", "wechat-seller", "--format", "xlsx")
    cells = {c.value: c for row in load_workbook(tmp_path / "w.xlsx").active.iter_rows() for c in row}
    assert cells["-A1"].data_type == "s" and cells["-A1"].quotePrefix is True
    # a person's corrected layouts file with hostile header and label text
    doc = json.loads(B.LAYOUTS.read_text(encoding="utf-8"))
    hostile_label, hostile_header = '=HYPERLINK("http://x","点我")', "@订单号|x"
    entry = doc["sites"]["pdd-seller"]
    entry["columns"][0]["header"] = hostile_header
    entry["courier_labels"]["labels"]["zto"] = hostile_label
    layouts = tmp_path / "layouts.json"
    layouts.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    expected = sorted((o, hostile_label if c == "中通快递" else c, n) for o, c, n in seeded["expected"]["pdd-seller"])
    for fmt in FORMATS:
        out = tmp_path / f"h.{fmt}"
        result = export(seeded["db"], out, "--site", "pdd-seller", "--format", fmt, "--layouts", str(layouts))
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        assert read(data, fmt, entry) == expected     # the exact text comes back
        texts = cell_texts(data, fmt)
        if fmt == "csv":
            assert "'" + hostile_label in texts and "'@订单号\\|x" in texts
            assert not any(t[:1] in ("=", "+", "-", "@") for t in texts), texts
        else:
            book = load_workbook(io.BytesIO(data))
            risky = [c for row in book.active.iter_rows() for c in row if c.value[:1] in ("=", "@", "+", "-")]
            assert {c.value for c in risky} == {hostile_label, hostile_header}
            assert all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_several_numbers_in_one_cell_when_a_layout_joins_them(seeded, tmp_path):
    doc = json.loads(B.LAYOUTS.read_text(encoding="utf-8"))
    entry = doc["sites"]["douyin-seller"]
    entry["several_numbers"] = {"mode": "join", "separator": ","}
    layouts = tmp_path / "layouts.json"
    layouts.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for fmt in FORMATS:
        out = tmp_path / f"j.{fmt}"
        assert export(seeded["db"], out, "--site", "douyin-seller", "--format", fmt, "--layouts", str(layouts)).exit_code == 0
        data = out.read_bytes()
        assert read(data, fmt, entry) == seeded["expected"]["douyin-seller"]
        cells = [c.lstrip("\t") for c in cell_texts(data, fmt)]
        # order A: 中通 on its line, both 圆通 numbers in one cell; order B alone
        assert "YT7512348800211,YT7512348800212" in cells and len(cells) == 3 * 4


# ------------------------------------------------------------------ refusals

@pytest.mark.parametrize("args", [["--site", "nope", "--format", "csv"], ["--site", "pdd-buyer", "--format", "xlsx"],
                                  ["--site", "pdd-seller", "--format", "pdf"], ["--format", "csv"]])
def test_bad_site_or_format_is_one_line_and_writes_nothing(seeded, tmp_path, args):
    out = tmp_path / "out" / "file"
    out.parent.mkdir()
    result = export(seeded["db"], out, *args)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("错误：") and " / Error: " in message, message
    assert list(out.parent.iterdir()) == []


def test_an_existing_file_is_kept_and_a_broken_layouts_file_is_refused(seeded, tmp_path):
    out = tmp_path / "keep.csv"
    out.write_text("mine", encoding="utf-8")
    result = export(seeded["db"], out, "--site", "pdd-seller")
    assert result.exit_code == 2 and "--force" in result.stderr and out.read_text(encoding="utf-8") == "mine"
    assert export(seeded["db"], out, "--site", "pdd-seller", "--force").exit_code == 0
    assert B.read_csv(out.read_bytes(), B.layouts_doc()["pdd-seller"]) == seeded["expected"]["pdd-seller"]
    doc = json.loads(B.LAYOUTS.read_text(encoding="utf-8"))
    doc["sites"]["pdd-seller"]["columns"].pop()   # no number column
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = export(seeded["db"], tmp_path / "x.csv", "--site", "pdd-seller", "--layouts", str(broken))
    assert result.exit_code == 2 and "number" in result.stderr and "\n" not in result.stderr.strip()
    assert not (tmp_path / "x.csv").exists()


def test_a_database_that_does_not_exist_is_not_created(tmp_path):
    result = export(tmp_path / "none.db", tmp_path / "x.csv", "--site", "pdd-seller")
    assert result.exit_code == 2 and not (tmp_path / "none.db").exists() and not (tmp_path / "x.csv").exists()


# ------------------------------------------------------------------ the review pages

@pytest.fixture
def signed_in(seeded):
    client = seeded["app"].test_client()
    assert client.post("/login", data={"token": seeded["token"]}).status_code == 302
    return client


@pytest.mark.parametrize("site", B.SITES)
def test_the_review_pages_download_both_formats(seeded, signed_in, site):
    before = snapshot(seeded["db"])
    entry = B.layouts_doc()[site]
    r = signed_in.get(f"/exports/bulk-shipping.csv?site={site}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert f"danhao-{site}-bulk-shipping.csv" in r.headers["Content-Disposition"]
    assert B.read_csv(r.get_data(), entry) == seeded["expected"][site]
    r = signed_in.get(f"/exports/bulk-shipping.xlsx?site={site}")
    assert r.status_code == 200 and r.mimetype == exports.MIMETYPES["xlsx"]
    assert f"danhao-{site}-bulk-shipping.xlsx" in r.headers["Content-Disposition"]
    assert B.read_xlsx(r.get_data(), entry) == seeded["expected"][site]
    assert snapshot(seeded["db"]) == before, "a GET changed the database"


def test_the_bulk_shipping_page_lists_every_site_with_counts_and_links(seeded, signed_in):
    r = signed_in.get("/exports")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    for site in B.SITES:
        assert f'data-site="{site}"' in html and f"/exports/bulk-shipping.xlsx?site={site}" in html
        assert f"/exports/bulk-shipping.csv?site={site}" in html
        assert words.site_name(site) in html
    assert html.count("版式未经核实") == len(B.SITES) and html.count("2 个订单") == len(B.SITES)
    assert signed_in.get("/exports/bulk-shipping.xlsx?site=nope").status_code == 400
    assert seeded["app"].test_client().get("/exports/bulk-shipping.xlsx?site=pdd-seller").status_code == 302  # sign in first


def test_a_mistake_in_the_layouts_file_shows_on_the_page_and_a_correction_needs_no_restart(
        seeded, signed_in, tmp_path, monkeypatch):
    layouts = tmp_path / "layouts.json"
    doc = json.loads(B.LAYOUTS.read_text(encoding="utf-8"))
    layouts.write_text(B.LAYOUTS.read_text(encoding="utf-8")[:-30], encoding="utf-8")   # cut short
    monkeypatch.setattr(exports, "LAYOUTS_FILE", layouts)
    for path in ("/exports", "/exports/bulk-shipping.xlsx?site=pdd-seller"):
        r = signed_in.get(path)
        assert r.status_code == 500 and "批量发货版式文件有误" in r.get_data(as_text=True), path
    assert signed_in.get("/shipments").status_code == 200   # the rest of the helper works
    doc["sites"]["pdd-seller"]["columns"][0]["header"] = "订单编号（已改正）"
    layouts.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = signed_in.get("/exports/bulk-shipping.xlsx?site=pdd-seller")
    assert r.status_code == 200
    assert B.read_xlsx(r.get_data(), doc["sites"]["pdd-seller"]) == seeded["expected"]["pdd-seller"]
    assert "订单编号（已改正）" in signed_in.get("/exports").get_data(as_text=True)


def test_the_api_csv_is_the_same_file(seeded):
    r = seeded["app"].test_client().get("/api/v1/exports/bulk-shipping?site=jd-seller",
                                        headers={"X-Danhao-Token": seeded["token"]})
    assert r.status_code == 200
    assert B.read_csv(r.get_data(), B.layouts_doc()["jd-seller"]) == seeded["expected"]["jd-seller"]
