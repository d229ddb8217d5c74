"""Issue #11, item 2: `danhao demo --headless --screenshots DIR` runs unattended and leaves one
PNG per step.

Run as a person (or CI) would, in its own process: the demo starts its own helper on a
temporary database, the evidence replicas (layout "2026") and Chromium with the extension,
syncs the 1688 purchases and the 拼多多 orders (every page), confirms each pointed 发货 dialog with
a real click, opens the review pages, and exits 0. The test holds it to a time bound, reads the
summary line it prints, and checks every screenshot it lists is a real PNG of a real page.
"""
from __future__ import annotations

import os
import re
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
BOUND_S = 120          # the walk takes about 30 s; far beyond that something hangs
SUMMARY = re.compile(r"^演示完成 Demo done: (.*)$", re.M)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def run_bounded(args: list[str], env: dict) -> subprocess.CompletedProcess:
    """Run in its own process group; past BOUND_S the whole group (the demo and its Chromium) is killed."""
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=BOUND_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        pytest.fail(f"danhao demo did not finish within {BOUND_S} s:\n{(stdout + stderr)[-3000:]}")
    return subprocess.CompletedProcess(args, proc.returncode, stdout, stderr)


def test_headless_demo_walks_the_flow_and_leaves_one_png_per_step(tmp_path):
    shots = tmp_path / "shots"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
    env.pop("DISPLAY", None)   # what CI has: no display; --headless must not need one anyway
    home = tmp_path / "user-home"
    env["DANHAO_HOME"] = str(home)   # the user's data folder: the demo must never write there
    started = time.time()
    res = run_bounded([sys.executable, "-m", "helper", "demo", "--headless", "--screenshots", str(shots)], env)
    took = time.time() - started
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-3000:]
    print(f"\ndanhao demo took {took:.0f} s\n{res.stdout}")

    # The summary: both syncs read every order, and the walk filled and confirmed orders.
    m = SUMMARY.search(res.stdout)
    assert m, out[-3000:]
    summary = dict(pair.split("=") for pair in m.group(1).split())
    assert int(summary["purchases"]) == 25 and int(summary["orders"]) == 25, summary
    assert int(summary["filled"]) >= 1, summary
    assert int(summary["dialogs"]) == int(summary["filled"]) == int(summary["confirmed_by_person"]), summary

    # One PNG per step, listed by the demo, numbered in order, each a real page.
    listed = [Path(line.strip()) for line in res.stdout.splitlines() if line.strip().endswith(".png")]
    files = sorted(shots.glob("*.png"))
    assert sorted(listed) == files and len(files) == int(summary["screenshots"])
    assert len(files) >= 6
    assert [f.name[:3] for f in files] == [f"{i:02d}-" for i in range(1, len(files) + 1)]
    names = " ".join(f.name for f in files)
    for step in ("popup-sync-purchases", "popup-sync-orders", "dialog-01-", "panel-done", "review-dashboard"):
        assert step in names, (step, names)
    assert names.count("-dialog-") == int(summary["dialogs"])
    for f in files:
        width, height = png_size(f)
        assert width >= 300 and height >= 200, (f.name, width, height)
        assert f.stat().st_size > 5_000, (f.name, f.stat().st_size)   # a blank page compresses to ~1-3 kB

    # The demo's database was temporary and is gone; the user's data folder was never touched.
    db = re.search(r"Database: (\S+?\.db)", res.stdout)
    assert db and not Path(db.group(1)).exists() and str(home) not in db.group(1)
    assert not home.exists()
