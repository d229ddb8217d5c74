"""`danhao bench` at tiny sizes: the figures have the documented shape and sane values.

No timing assertions (a test never asserts a time); the corpus is checked for being the same
on every run and for carrying valid UPU S10 numbers.
"""
from __future__ import annotations

import sqlite3

import pytest

from helper.bench import bulk, corpus, detect, ingest, machine, scale, table
from helper.convert.validate import is_valid_s10


def test_corpus_is_deterministic_and_mixed():
    a, b = corpus.build(2000, seed=5), corpus.build(2000, seed=5)
    assert a == b
    assert corpus.build(2000, seed=6) != a
    assert corpus.random_numbers(500, 5) == corpus.random_numbers(500, 5)
    kinds = {it.kind for it in a}
    assert {"zto", "yto", "sf", "jt", "s10", "ups", "fedex", "usps", "dhl"} <= kinds
    assert any(it.raw != it.number for it in a)            # noisy input is there
    assert any(it.courier_text for it in a)
    assert len(corpus.build()) >= 20_000


def test_corpus_s10_numbers_validate():
    s10 = [it.number for it in corpus.build(5000, seed=9) if it.number[-2:].isalpha() and len(it.number) == 13
           and it.number[:2].isalpha()]
    assert len(s10) > 100
    assert all(is_valid_s10(n) for n in s10)


def test_detect_section_shape():
    d = detect.run(size=300, rounds=1)
    assert set(d) >= {"per_s", "anchor_per_s", "speedup", "false_confident_rate", "anchor_false_valid_rate",
                      "corpus_size"}
    assert d["corpus_size"] == 300 and d["per_s"] > 0
    assert d["false_confident_rate"] == 0
    if d["anchor_per_s"] is not None:
        assert d["speedup"] > 0 and 0 <= d["anchor_false_valid_rate"] <= 1


def test_ingest_section_shape(tmp_path):
    i = ingest.run(200, workdir=tmp_path)
    assert set(i) >= {"per_s", "sqlite_ceiling_per_s", "vs_ceiling"}
    assert i["per_s"] > 0 and i["sqlite_ceiling_per_s"] > 0 and i["vs_ceiling"] > 0


def test_bulk_build_uses_the_real_schema(tmp_path):
    path = tmp_path / "b.db"
    samples = bulk.build(path, 300)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM sales_orders").fetchone()[0] == 300
    assert conn.execute("SELECT count(*) FROM purchase_orders WHERE match_method = 'remark'").fetchone()[0] == 300
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"sales_site_status_created", "sales_ship_by", "shipments_number", "events_order"} <= names
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(samples["pending_ids"]) == bulk.pending_count(300) and samples["numbers"]


def test_scale_and_convert_sections_shape(tmp_path):
    figures, conv = scale.run(sizes=(400, 3000), workdir=tmp_path, ingest_orders=200, convert_at=3000,
                              convert_requests=1)
    assert set(figures) == {"400", "3000"}
    for entry in figures.values():
        assert entry["db_mb"] > 0 and entry["ingest_per_s"] > 0
        assert set(entry["queries"]) == {"by_status", "by_number", "due_24h"}
        assert entry["queries"]["by_number"]["rows"] >= 1
        assert entry["queries"]["by_status"]["rows"] > 0
    assert conv["p50_ms"] > 0 and conv["p99_ms"] >= conv["p50_ms"] and conv["stored_orders"] == 3000


def test_table_renders_every_section():
    fake = {"date": "2026-11-25T09:00:00+08:00", "machine": machine(), "seconds": 1.0,
            "detect": {"per_s": 1, "anchor_per_s": 1, "speedup": 1.0, "false_confident_rate": 0.0,
                       "anchor_false_valid_rate": 0.1, "corpus_size": 1},
            "ingest": {"per_s": 1, "sqlite_ceiling_per_s": 2, "vs_ceiling": 0.5},
            "convert": {"p50_ms": 1.0, "p99_ms": 2.0, "stored_orders": 100000},
            "scale": {"10000": {"db_mb": 1.0, "ingest_per_s": 1, "queries": {
                k: {"p99_ms": 1.0} for k in ("by_status", "by_number", "due_24h")}}},
            "browser": {"extract_ms_per_row": 1.0, "fill_ms_per_row": 2.0}}
    text = table(fake)
    for word in ("detect", "ingest", "convert", "scale", "browser", "10,000"):
        assert word in text


@pytest.mark.parametrize("args", [["bench", "--help"]])
def test_command_is_registered_with_an_example(args):
    from click.testing import CliRunner

    from helper.cli import main

    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "Example:" in result.output and "danhao bench" in result.output
