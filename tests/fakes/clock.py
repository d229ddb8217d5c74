"""A clock the tests move by hand: the helper's `CLOCK` setting (unix seconds)."""
from __future__ import annotations

from datetime import datetime


class Clock:
    def __init__(self, start: str = "2026-11-25T10:00:00+08:00"):
        self.t = datetime.fromisoformat(start).timestamp()

    def __call__(self) -> float:
        return self.t

    def hours(self, h: float) -> None:
        self.t += h * 3600
