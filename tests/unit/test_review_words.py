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


def test_a_fill_reason_is_shown_as_words_without_its_code():
    """The extension's fill reasons are "code: 中文 / English"; the log's sentence shows the words in
    the page's language, never the code (a new user found `one_number_per_order:` in the sentence)."""
    e = {"kind": "fill.skipped", "data": {"reason": "one_number_per_order: 该订单已填写另一个运单号 / the order already has another number"}}
    assert words.event_sentence(e) == "跳过填写：该订单已填写另一个运单号"
    assert words.event_sentence(e, "en") == "Skipped: the order already has another number"
    e = {"kind": "fill.failed", "data": {"reason": "not_confirmed: 平台拒绝：快递单号与所选物流商不匹配 / the platform refused the ship"}}
    assert words.event_sentence(e) == "填写失败：平台拒绝：快递单号与所选物流商不匹配"
    # A reason without a code, or words that merely contain a colon, stay whole.
    e = {"kind": "fill.failed", "data": {"reason": "平台提示：请先验证 / the platform asks first"}}
    assert words.event_sentence(e) == "填写失败：平台提示：请先验证"
