"""Every word of the extension goes through chrome.i18n: each key used in extension/ (and the
manifest) exists in _locales/zh_CN and _locales/en with the same placeholders, and each key in
the locales is used. The popup, options, panel and worker carry no Chinese text of their own."""
from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXT = REPO / "extension"
LOCALES = {lang: json.loads((REPO / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))
           for lang in ("zh_CN", "en")}
# The extension's own UI: the popup, options, the panel, the content entry, the worker and the
# i18n wrapper. Adapters and their page helpers (sites/, most of lib/) read the pages' words and
# have a `t(...)` of their own, so `t('…')` counts only here; getMessage, __MSG_…__ and data-i18n
# count everywhere in extension/.
UI = ("popup/", "options/", "background/", "content/panel.js", "content/main.js", "content/ship-pages.js",
      "content/detail-pages.js", "lib/i18n.js")
T_CALL = re.compile(r"\bt\(\s*'(\w+)'")
ANYWHERE = re.compile(r"""chrome\.i18n\.getMessage\(\s*'(\w+)'|__MSG_(\w+)__|data-i18n(?:-title|-placeholder)?="(\w+)\"""")
CJK = re.compile(r"[\u4e00-\u9fff]")


def ui_files():
    for path in sorted(EXT.rglob("*")):
        rel = path.relative_to(EXT).as_posix()
        if path.suffix in (".js", ".html") and rel.startswith(UI):
            yield path


def used_keys() -> set[str]:
    keys = set()
    for path in [*EXT.rglob("*.js"), *EXT.rglob("*.html"), REPO / "manifest.json"]:
        for m in ANYWHERE.finditer(path.read_text(encoding="utf-8")):
            keys.add(next(g for g in m.groups() if g))
    for path in ui_files():
        keys.update(T_CALL.findall(path.read_text(encoding="utf-8")))
    keys.discard("key")                          # the wrapper's own doc comment
    return keys


def test_manifest_names_its_default_locale():
    manifest = json.loads((REPO / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["default_locale"] == "zh_CN"
    assert manifest["name"].startswith("__MSG_") and manifest["description"].startswith("__MSG_")


def test_every_used_key_exists_in_both_locales_and_every_key_is_used():
    used = used_keys()
    assert len(used) > 50
    for lang, messages in LOCALES.items():
        assert sorted(used - set(messages)) == [], f"missing in {lang}"
        assert sorted(set(messages) - used) == [], f"unused in {lang}"


def test_both_locales_agree_on_placeholders_and_languages():
    zh, en = LOCALES["zh_CN"], LOCALES["en"]
    for key in zh:
        assert set(zh[key].get("placeholders", {})) == set(en[key].get("placeholders", {})), key
        for lang, entry in (("zh", zh[key]), ("en", en[key])):
            named = {n.lower() for n in re.findall(r"\$(\w+)\$", entry["message"])}
            assert named == set(entry.get("placeholders", {})), (lang, key)
        assert re.fullmatch(r"[A-Za-z0-9_]+", key)
        assert not CJK.search(en[key]["message"].replace("确认发货", "")), key   # the platform's button keeps its name
    assert sum(bool(CJK.search(v["message"])) for v in zh.values()) > len(zh) * 0.9


def test_the_helper_offline_message_says_what_to_do_in_both_languages():
    assert "danhao serve" in LOCALES["zh_CN"]["errHelperOffline"]["message"] and "双击" in LOCALES["zh_CN"]["errHelperOffline"]["message"]
    assert "danhao serve" in LOCALES["en"]["errHelperOffline"]["message"]
    assert LOCALES["zh_CN"]["reasonAlreadySubmitted"]["message"] == "已上传过，跳过"
    assert LOCALES["zh_CN"]["fillHint"]["message"] == "请核对后点击确认发货"


def test_ui_code_holds_no_words_of_its_own():
    """Chinese outside comments in the popup, options, panel or worker is a string that skipped chrome.i18n."""
    for path in ui_files():
        rel = path.relative_to(EXT).as_posix()
        if rel in ("content/main.js", "content/ship-pages.js", "content/detail-pages.js", "lib/i18n.js"):
            continue                              # they match the adapters' reason texts (data, not words)
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"//[^\n]*|/\*.*?\*/|<!--.*?-->", "", text, flags=re.S)
        assert not CJK.search(text), (rel, CJK.search(text) and text[max(0, CJK.search(text).start() - 40):CJK.search(text).start() + 20])
