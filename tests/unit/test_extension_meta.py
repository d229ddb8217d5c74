"""Every site adapter is wired up: a manifest content-script entry, fixture pages with the
expected extraction, and an id that matches its file name (the site id names them all)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((REPO / "manifest.json").read_text(encoding="utf-8"))
SITES_JS = REPO / "extension" / "sites"
ADAPTERS = sorted(p for p in SITES_JS.glob("*.js") if p.name not in ("registry.js", "endpoints.js"))
LOAD_ORDER_HEAD = ["extension/lib/", "extension/sites/registry.js"]
LOAD_ORDER_TAIL = ["extension/content/panel.js", "extension/content/main.js"]


def test_there_are_adapters():
    assert {p.stem for p in ADAPTERS} >= {"pdd-seller", "alibaba-buyer", "douyin-seller"}


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: p.stem)
def test_adapter_is_registered_and_wired(path):
    src = path.read_text(encoding="utf-8")
    ids = re.findall(r"registerAdapter\(\{\s*id:\s*'([^']+)'", src)
    assert ids == [path.stem], "one registerAdapter per file, id = file name"
    assert re.search(r"\bfetch\(|XMLHttpRequest|chrome\.storage|chrome\.runtime", src) is None, \
        "adapters do no network and no storage"
    assert f"'{path.stem}': [" in (SITES_JS / "endpoints.js").read_text(encoding="utf-8"), \
        "the adapter lists the page replies it reads in endpoints.js"
    entries = [cs for cs in MANIFEST["content_scripts"] if f"extension/sites/{path.name}" in cs["js"]]
    assert len(entries) == 1, "exactly one content-script entry loads the adapter"
    js = entries[0]["js"]
    # Shared code first, the adapter next, the content entry last.
    assert all(f.startswith("extension/lib/") for f in js[:js.index("extension/sites/registry.js")])
    # …then the panel, the page walks a site may use (content/ship-pages.js, detail-pages.js), the entry.
    at = js.index(f"extension/sites/{path.name}")
    assert js[at + 1] == LOAD_ORDER_TAIL[0] and js[-1] == LOAD_ORDER_TAIL[-1]
    assert all(re.fullmatch(r"extension/content/[a-z-]+-pages\.js", f) for f in js[at + 2:-1]), js[at + 2:-1]
    for f in js:
        assert (REPO / f).is_file(), f
    # The adapter's URL patterns fall inside the manifest's matches for it.
    matches = re.search(r"matches:\s*\[([^\]]*)\]", src).group(1)
    for pattern in re.findall(r"'([^']+)'", matches):
        assert any(pattern.startswith(m.rstrip("*")) for m in entries[0]["matches"]), pattern
    fixtures = sorted((REPO / "tests" / "fixtures" / "sites" / path.stem).rglob("expected-extract.json"))
    assert fixtures, f"fixture folder with expected-extract.json for {path.stem}"
    for fixture in fixtures:
        assert json.loads(fixture.read_text(encoding="utf-8"))["pages"][0], f"expected orders for page 1: {fixture}"


def test_manifest_is_mv3_and_narrow():
    m = MANIFEST
    assert m["manifest_version"] == 3
    assert m["name"] == "__MSG_extName__" and m["version"] == "0.1.0" and m["default_locale"] == "zh_CN"
    names = json.loads((REPO / "_locales" / "zh_CN" / "messages.json").read_text(encoding="utf-8"))
    assert names["extName"]["message"] == "Danhao 单号"
    # Only the helper's pages on loopback may hand the extension a token (one-click pairing).
    assert m["externally_connectable"] == {"matches": ["http://127.0.0.1/*", "http://localhost/*"]}
    assert m["background"] == {"service_worker": "extension/background/service-worker.js", "type": "module"}
    assert set(m["permissions"]) == {"storage", "tabs", "scripting", "alarms", "webNavigation"}
    text = json.dumps(m)
    assert "<all_urls>" not in text and "*://*/*" not in text
    assert {"http://127.0.0.1/*", "http://localhost/*"} <= set(m["host_permissions"])
    for cs in m["content_scripts"]:
        for pattern in cs["matches"]:
            assert pattern.startswith("https://"), pattern
            assert "127.0.0.1" not in pattern and "localhost" not in pattern
            # Content scripts run only where the extension may also call out.
            assert pattern in m["host_permissions"], pattern
    for rel in [m["background"]["service_worker"], m["action"]["default_popup"], m["options_ui"]["page"],
                *m["icons"].values(), *m["action"]["default_icon"].values()]:
        assert (REPO / rel).is_file(), rel


def test_page_observer_runs_in_the_page_world_first_and_only_on_adapter_hosts():
    scripts = MANIFEST["content_scripts"]
    main = [cs for cs in scripts if cs.get("world") == "MAIN"]
    assert len(main) == 1
    assert main[0]["js"] == ["extension/sites/endpoints.js", "extension/content/page-observer.js"]
    assert main[0]["run_at"] == "document_start"
    receiver = [cs for cs in scripts if "extension/content/page-data.js" in cs["js"]]
    assert len(receiver) == 1 and receiver[0]["run_at"] == "document_start" and "world" not in receiver[0]
    adapter_hosts = {m for cs in scripts if any(f.startswith("extension/sites/") and f not in (
        "extension/sites/endpoints.js", "extension/sites/registry.js") for f in cs["js"]) for m in cs["matches"]}
    assert set(main[0]["matches"]) == set(receiver[0]["matches"]) == adapter_hosts


def test_host_permissions_are_exactly_the_adapters_hosts_and_loopback():
    adapter_hosts = {m for cs in MANIFEST["content_scripts"] for m in cs["matches"]}
    assert set(MANIFEST["host_permissions"]) == adapter_hosts | {"http://127.0.0.1/*", "http://localhost/*"}
    assert "https://air.1688.com/*" in adapter_hosts      # where 1688's order list lives since 2024


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: p.stem)
def test_every_adapter_has_an_evidence_replica_a_redesign_and_the_older_layout(path):
    from tests.support.replica_server import SITE_CLASSES, SITES_DIR, layouts_of

    layouts = layouts_of(path.stem)
    assert {"2026", "2026-changed"} <= set(layouts)
    if path.stem in ("pdd-seller", "alibaba-buyer"):   # the first replicas stay as the older layout
        assert "legacy" in layouts
    for layout in layouts:
        cls = SITE_CLASSES[(path.stem, layout)]
        folder = SITES_DIR / path.stem / cls.subfolder if cls.subfolder else SITES_DIR / path.stem
        assert (folder / "expected-extract.json").is_file(), (layout, folder)
        assert cls.main_url.startswith("https://"), layout
    changed = SITE_CLASSES[(path.stem, "2026-changed")]
    module = __import__(changed.__module__, fromlist=["CHANGES"])
    kinds = {c["expect"] for c in module.CHANGES}
    assert kinds == {"survive", "report"}, "a redesign has changes to survive and one to report"
