"""The helper's one clock.

Every time the helper stamps or compares (upload time, event time, ship-by deadlines, trace
checks) comes from here. Inside a request or app context it is the app's ``CLOCK`` setting (a
``() -> float`` of unix seconds; tests inject a fixed one), elsewhere the wall clock. Reading
the wall clock directly is what made a test pass only before a certain date.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Callable

from flask import current_app, has_app_context


def source() -> Callable[[], float]:
    """The clock in force: the app's ``CLOCK`` inside an app context, else ``time.time``."""
    if has_app_context():
        return current_app.config.get("CLOCK") or time.time
    return time.time


def now() -> float:
    """Unix seconds."""
    return source()()


def now_dt() -> datetime:
    """Aware datetime in the machine's local offset (Beijing time for a seller in China)."""
    return datetime.fromtimestamp(now()).astimezone()


def now_iso() -> str:
    """ISO 8601 with offset, to the second: ``2026-11-25T09:12:03+08:00``."""
    return now_dt().isoformat(timespec="seconds")
