"""``danhao bench``: the benchmark figures of issue #5, one module per section.

- ``detect``  — engine throughput beside the ``tracking-numbers`` anchor (``detect.py``, ``corpus.py``)
- ``ingest``  — sales orders per second through HTTP beside plain sqlite3 (``ingest.py``)
- ``convert`` — latency of 100-order convert requests with 100k orders stored (``convert.py``)
- ``scale``   — size, ingest and review-page queries at 10k / 100k / 1M orders (``scale.py``)
- ``browser`` — the extension's extract and fill cost per row in Chromium (``browser.py``)

Everything talks to 127.0.0.1 only and lives in temporary folders removed at the end.
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import time


def machine() -> dict:
    model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu_count": os.cpu_count(), "cpu_model": model or platform.machine(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(terse=True)}


def run(*, browser: bool = True, sizes=None, detect_size: int | None = None, ingest_orders: int = 3000,
        convert_at: int | None = 100_000, convert_requests: int = 40, log=None) -> dict:
    """All sections; smaller arguments make a quick run (the unit tests use tiny ones)."""
    from . import browser as browser_section, corpus, detect, ingest, scale

    log = log or (lambda msg: None)
    started = time.perf_counter()
    out: dict = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine()}
    log("detect …")
    out["detect"] = detect.run(detect_size or corpus.DEFAULT_SIZE)
    log("ingest …")
    out["ingest"] = ingest.run(ingest_orders)
    sizes = scale.SIZES if sizes is None else sizes
    out["scale"], out["convert"] = scale.run(sizes, convert_at=convert_at if convert_at in sizes else None,
                                             convert_requests=convert_requests, log=log)
    if out["convert"] is None:
        out["convert"] = {"p50_ms": None, "p99_ms": None, "note": f"needs {convert_at:,} in the scale sizes"}
    if browser:
        log("browser …")
        try:
            out["browser"] = browser_section.run()
        except Exception as err:   # no Chromium / Playwright: say so, keep the other figures
            out["browser"] = {"extract_ms_per_row": None, "fill_ms_per_row": None, "error": str(err)[:300]}
    out["indexes_added_by_bench"] = list(scale.EXTRA_INDEXES)
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def table(result: dict) -> str:
    """The readable form of ``run()``'s figures."""
    m = result["machine"]
    lines = [f"Danhao bench — {result['date']}",
             f"machine: {m['cpu_count']} × {m['cpu_model']}, Python {m['python']}, SQLite {m['sqlite']}", ""]
    d = result["detect"]
    lines += ["detect   (corpus {corpus_size:,})".format(**d),
              f"  danhao        {d['per_s']:>10,} /s   false confident  {d['false_confident_rate']:.4f}",
              f"  anchor        {d.get('anchor_per_s') or 0:>10,} /s   false valid      "
              f"{(d.get('anchor_false_valid_rate') or 0):.4f}",
              f"  speedup       {d.get('speedup')}   (target ≥ 1.0: not slower than the tracking-numbers regex list)", ""]
    i = result["ingest"]
    lines += ["ingest   (HTTP, batches of 100)",
              f"  helper        {i['per_s']:>10,} orders/s",
              f"  sqlite ceiling{i['sqlite_ceiling_per_s']:>10,} orders/s   vs ceiling {i['vs_ceiling']}  (target ≥ 0.25)", ""]
    c = result["convert"]
    lines += [f"convert  (100 orders/request, {c.get('stored_orders') or '?'} stored)",
              f"  p50 {c['p50_ms']} ms   p99 {c['p99_ms']} ms   (target p99 ≤ 50)", ""]
    lines += ["scale    orders      db MB   ingest/s   by_status p99   by_number p99   due_24h p99  (ms)"]
    for n, e in result["scale"].items():
        q = e["queries"]
        lines.append(f"         {int(n):>9,} {e['db_mb']:>8} {e['ingest_per_s']:>10,} "
                     f"{q['by_status']['p99_ms']:>15} {q['by_number']['p99_ms']:>15} {q['due_24h']['p99_ms']:>13}")
    lines.append("")
    if "browser" in result:
        b = result["browser"]
        lines += ["browser  (pdd-seller replica)",
                  f"  extract {b['extract_ms_per_row']} ms/row   fill {b['fill_ms_per_row']} ms/row  (target ≤ 50)"
                  + (f"   error: {b['error']}" if b.get("error") else ""),
                  f"  2026 layout, 500 rows: extract from the page's reply {b.get('extract_reply_ms_per_row')} ms/row, "
                  f"from the DOM {b.get('extract_dom_ms_per_row')} ms/row (target ≤ 1)",
                  f"  observer on the page's own requests: {b.get('request_ms_with_observer')} vs "
                  f"{b.get('request_ms_without')} ms without (+{b.get('observer_overhead_ms')} ms)", ""]
    lines.append(f"took {result['seconds']} s")
    return "\n".join(lines)


__all__ = ["run", "table", "machine"]
