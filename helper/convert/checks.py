"""The explained decisions attached to a shipment.

Every decision the engine takes is a *check*: a stable code, a level and a message in
Chinese (first, the sellers' language) and English. The shipment status follows from the
levels alone, so the reasons shown to the user are exactly the reasons for the status.
"""
from __future__ import annotations

LEVELS = ("ok", "warn", "review", "block")


def check(code: str, level: str, zh: str, en: str) -> dict:
    """``{"code", "level", "message": {"zh", "en"}}``"""
    if level not in LEVELS:
        raise ValueError(f"unknown check level {level!r}")
    return {"code": code, "level": level, "message": {"zh": zh, "en": en}}


def status_of(checks: list[dict]) -> str:
    """blocked if any block, else review if any review, else ready."""
    levels = {c["level"] for c in checks}
    if "block" in levels:
        return "blocked"
    if "review" in levels:
        return "review"
    return "ready"


__all__ = ["LEVELS", "check", "status_of"]
