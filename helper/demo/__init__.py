"""`danhao demo`: the whole flow without a shop (issue #11, item 2).

A throwaway world on this computer, torn down at exit:
- the helper (in this process, waitress on 127.0.0.1) on a fresh database in a temporary folder
  (DANHAO_HOME points there too: the user's real data is never opened);
- the replica 拼多多 order list and 1688 已买到的货品 pages (layout "2026", the 1688 purchases tied to
  the 拼多多 orders) over TLS on 127.0.0.1, answering at the real host names inside the demo's
  browser only (`--host-resolver-rules`);
- the system's Chromium (never a downloaded one) with the extension loaded and already paired.

`visible()` leaves the browser to the person; `walk()` plays the whole flow, the demo acting as
the person who confirms each pointed 确认发货 (a real click, never auto-submit), and saves a
screenshot per step. Both need the `test` extra (Playwright, cryptography) and the source
checkout's tests/ folder (the replica pages live there).
"""
from __future__ import annotations

import importlib.util
import os
import signal
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]          # the source checkout = the unpacked extension
CHROMIUM_DEFAULT = "/usr/bin/chromium"


class DemoUnavailable(RuntimeError):
    """What is missing, in one line (Chinese, then English), with what to do."""


def chromium_path() -> str:
    return os.environ.get("DANHAO_CHROMIUM") or CHROMIUM_DEFAULT


def missing() -> str | None:
    """One line saying what to install, or None when the demo can run."""
    if not (ROOT / "manifest.json").is_file() or not (ROOT / "tests" / "support" / "replicas").is_dir():
        return ("演示需要源码目录（含 manifest.json 和 tests/）：请在源码目录里运行 pip install -e \".[test]\" 后再运行 danhao demo / "
                "The demo needs the source checkout (manifest.json and tests/): run pip install -e \".[test]\" "
                "inside it, then danhao demo")
    absent = [name for name in ("playwright", "cryptography") if importlib.util.find_spec(name) is None]
    if absent:
        return (f"缺少 {'、'.join(absent)}：请在源码目录运行 pip install -e \".[test]\"（不会下载浏览器） / "
                f"Missing {', '.join(absent)}: run pip install -e \".[test]\" in the source checkout "
                "(no browser is downloaded)")
    browser = chromium_path()
    if not Path(browser).exists():
        return (f"找不到 Chromium（{browser}）：请安装 Chromium（Debian/Ubuntu：sudo apt-get install chromium）"
                f"或把 DANHAO_CHROMIUM 设为浏览器程序的路径 / Chromium not found at {browser}: install it "
                "(Debian/Ubuntu: sudo apt-get install chromium) or set DANHAO_CHROMIUM to the browser's path")
    return None


def has_display() -> bool:
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def prepare() -> None:
    """Raise DemoUnavailable when something is missing; make tests/ importable."""
    problem = missing()
    if problem:
        raise DemoUnavailable(problem)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


STOP = threading.Event()


def stop_on_ctrl_c() -> None:
    """The first Ctrl+C only asks the demo to stop (it then closes the browser and deletes its
    data at a safe point, never inside a browser call); a second one interrupts at once."""
    def first(signum, frame):
        STOP.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    signal.signal(signal.SIGINT, first)


def check_stop() -> None:
    if STOP.is_set():
        raise KeyboardInterrupt
