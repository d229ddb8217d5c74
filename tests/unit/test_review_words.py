"""Every check code and event kind the helper can produce has words on the review pages
(a seller reads 单号格式少见, never courier_format_unusual)."""
import re
from pathlib import Path

from helper.web import words

HELPER = Path(words.__file__).resolve().parents[1]


def produced(pattern: str) -> set[str]:
    found = set()
    for path in HELPER.rglob("*.py"):
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_every_check_code_has_words():
    codes = produced(r"check\(\s*\"([a-z_]+)\"") | produced(r"\"code\":\s*\"([a-z_]+)\",\s*\"level\"")
    assert codes, "the scan found the checks"
    missing = sorted(c for c in codes if c not in words.CHECKS)
    assert not missing, missing


def test_every_event_kind_has_words():
    kinds = produced(r"events\.record\(\s*db,\s*\"([a-z_.]+)\"") | {"page.changed", "page.reply_changed"}
    missing = sorted(k for k in kinds if k not in words.EVENT_KINDS)
    assert not missing, missing
