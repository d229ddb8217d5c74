"""Issue #11, item 6: the README tells the truth.

- The "Supported sites" table is the one list of supported pages, and each row exists four
  times over: an adapter in extension/sites/, content scripts in manifest.json for exactly the
  row's hosts, replica pages in tests/fixtures/sites/<id>/ and browser tests naming the site.
- No document links out of the repository: no `../` in the user's documents, every relative
  link and every repository path they quote exists inside the repository, no web links
  except the helper's own loopback address.
- A Windows quick start and a troubleshooting section quote the program's real messages.
- The first two commands are `scripts/run` and `scripts/test`, and both are there to run.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
MANIFEST = json.loads((REPO / "manifest.json").read_text(encoding="utf-8"))
SHARED_SCRIPTS = {"registry.js", "endpoints.js"}
USER_DOCS = [REPO / "README.md", REPO / "CHANGELOG.md", *sorted((REPO / "docs").rglob("*.md"))]
NOT_OURS = {".venv", ".git", ".pytest_cache", "node_modules", "dist", "danhao.egg-info", "__pycache__"}


def section(title_start: str) -> str:
    """The README text under the `##`/`###` heading that starts with ``title_start``."""
    match = re.search(rf"^(#+) {re.escape(title_start)}.*$", README, re.M)
    assert match, f"README has a section {title_start!r}"
    level = len(match.group(1))
    rest = README[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[:end.start()] if end else rest


def supported_rows() -> list[dict]:
    text = section("Supported sites")
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[:3] == ["site id", "site", "hosts"], header
    rows = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        row = dict(zip(header, cells))
        row["id"] = row["site id"].strip("`")
        row["host_set"] = set(re.findall(r"`([^`]+)`", row["hosts"]))
        rows.append(row)
    return rows


def adapter_ids() -> set[str]:
    return {p.stem for p in (REPO / "extension" / "sites").glob("*.js") if p.name not in SHARED_SCRIPTS}


def host_of(pattern: str) -> str:
    return re.match(r"https://([^/]+)/", pattern).group(1)


def manifest_hosts_of(site: str) -> set[str]:
    entries = [cs for cs in MANIFEST["content_scripts"] if f"extension/sites/{site}.js" in cs["js"]]
    return {host_of(m) for cs in entries for m in cs["matches"]}


# ------------------------------------------------------------------ supported sites

def test_the_table_lists_exactly_the_adapters():
    ids = [row["id"] for row in supported_rows()]
    assert len(ids) == len(set(ids)), "one row per site"
    # A replica folder may come before its adapter (a site being built); an adapter never
    # comes without its row, and a row never without its adapter.
    assert set(ids) == adapter_ids()
    wired = {Path(f).stem for cs in MANIFEST["content_scripts"] for f in cs["js"]
             if f.startswith("extension/sites/") and Path(f).name not in SHARED_SCRIPTS}
    assert wired == set(ids), "manifest.json loads an adapter for every row and no other"


@pytest.mark.parametrize("row", supported_rows(), ids=lambda r: r["id"])
def test_each_row_has_its_content_scripts_replicas_and_browser_tests(row):
    site = row["id"]
    assert row["host_set"] and row["host_set"] == manifest_hosts_of(site), \
        "the row's hosts are exactly where manifest.json loads the adapter"
    assert all(host in row["page"] for host in row["host_set"]) or row["page"], row
    folder = REPO / "tests" / "fixtures" / "sites" / site
    assert list(folder.rglob("expected-extract.json")), f"what the replicas of {site} must give"
    assert list(folder.rglob("*.html")), f"replica pages for {site}"
    named = [p.name for p in (REPO / "tests" / "browser").glob("test_*.py")
             if re.search(rf"['\"]{re.escape(site)}['\"]", p.read_text(encoding="utf-8"))]
    assert named, f"a browser test names {site}"


def test_content_scripts_run_only_on_the_tables_hosts():
    listed = set().union(*(row["host_set"] for row in supported_rows()))
    scripted = {host_of(m) for cs in MANIFEST["content_scripts"] for m in cs["matches"]}
    assert scripted == listed
    sites = {host_of(p) for p in MANIFEST["host_permissions"] if p.startswith("https://")}
    assert sites == listed, "no host permission for a site the table does not list"


def test_there_is_one_site_table_and_no_promise_of_more():
    site_tables = re.findall(r"^\| site\b.*\|$", README, re.M)
    assert len(site_tables) == 1, site_tables
    assert "Pages it works on" not in README
    intro = README.split("## ", 1)[0]
    assert "planned, not built" in intro and "Supported sites" in intro


# ------------------------------------------------------------------ no links out of the repository

def markdown_files() -> list[Path]:
    return [p for p in REPO.rglob("*.md") if not (set(p.relative_to(REPO).parts) & NOT_OURS)]


LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)[^)]*\)|<(?:a|img)\s[^>]*(?:href|src)=\"([^\"]+)\"")
QUOTED_PATH = re.compile(r"`((?:docs|tests|helper|extension|scripts|_locales)/[^`\s]*)`")


def links(text: str) -> list[str]:
    return [a or b for a, b in LINK.findall(text)]


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_user_documents_never_point_outside_the_repository(doc):
    text = doc.read_text(encoding="utf-8")
    assert "../" not in text and "..\\" not in text, "no ../ paths"
    for target in links(text):
        if target.startswith("#"):
            continue
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):
            assert re.match(r"https?://(127\.0\.0\.1|localhost)[:/]", target), f"a link out of the repository: {target}"
            continue
        path = (doc.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(REPO) and path.exists(), target
    for quoted in QUOTED_PATH.findall(text):
        if doc.name == "CHANGELOG.md" or re.search(r"[<>…*{}]|\.\.\.", quoted):
            continue        # history may name removed files; placeholders name no file
        clean = quoted.split("::")[0].split("#")[0].rstrip("/.,;:")
        assert (REPO / clean).exists(), f"{doc.name} names {quoted}, which is not in the repository"


def test_no_markdown_file_reaches_outside_the_repository():
    for doc in markdown_files():
        text = doc.read_text(encoding="utf-8")
        for rel in re.findall(r"((?:\.\./)+[^\s`)\"']*)", text):
            assert (doc.parent / rel).resolve().is_relative_to(REPO), f"{doc}: {rel}"
        for target in links(text):
            if not re.match(r"[a-z][a-z0-9+.-]*:|#", target, re.I):
                path = (doc.parent / target.split("#")[0]).resolve()
                assert path.is_relative_to(REPO) and path.exists(), f"{doc}: {target}"


def test_the_link_checker_catches_what_it_should():
    assert links("see [notes](../outside/notes.md) and ![x](docs/a.png) <a href=\"https://e.com\">") == \
        ["../outside/notes.md", "docs/a.png", "https://e.com"]
    assert QUOTED_PATH.findall("`docs/performance.md` and `tests/browser/test_flow.py`") == \
        ["docs/performance.md", "tests/browser/test_flow.py"]


# ------------------------------------------------------------------ first commands, Windows, troubleshooting

def test_the_first_two_commands_are_scripts_run_and_scripts_test_and_they_exist():
    first_heading = README.index("\n## ")
    block = re.search(r"```[a-z]*\n(.*?)```", README, re.S)
    assert block and block.start() < first_heading, "the commands come before any section"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands[:2] == ["scripts/run", "scripts/test"], commands
    for command in [*commands, "scripts/install-venv"]:
        script = REPO / command.split()[0]
        assert script.is_file() and os.access(script, os.X_OK), command
    run = (REPO / "scripts" / "run").read_text(encoding="utf-8")
    assert "danhao serve" in run and "install-venv" in run
    test = (REPO / "scripts" / "test").read_text(encoding="utf-8")
    assert "pytest" in test and "chromium" in test and "fonts-wqy-microhei" in test
    from helper.cli import serve

    port = next(p for p in serve.params if p.name == "port")
    assert f"http://127.0.0.1:{port.default}" in block.group(1)


def test_windows_quick_start():
    text = section("Windows quick start")
    for needed in ("python.org", "Add python.exe to PATH", "py -m pip install .", "danhao serve",
                   "py -m helper serve", "Ctrl+C", "%APPDATA%\\Danhao", "danhao.db", "DANHAO_HOME",
                   "danhao autostart on"):
        assert needed in text, needed
    from helper.autostart import Target

    t = Target(platform="windows", home=Path("C:/Users/me"), env={"APPDATA": "C:/Users/me/AppData/Roaming"})
    assert t.data_dir().as_posix().endswith("AppData/Roaming/Danhao")


def test_troubleshooting_quotes_the_real_messages():
    text = section("Troubleshooting")
    for needed in ("助手未运行", "helper offline", "页面已改版", "quota", "额度", "已被占用", "port",
                   "验证码", "captcha", "py -m helper"):
        assert needed in text, needed
    from helper.cli_errors import listen_error
    import errno

    err = OSError(errno.EADDRINUSE, "in use")
    assert "端口 17890 已被占用" in listen_error("127.0.0.1", 17890, err).message
    assert "--port 17891" in listen_error("127.0.0.1", 17890, err).message
    assert "查询额度已用完" in (REPO / "helper" / "tracking" / "errors.py").read_text(encoding="utf-8")
    pdd = (REPO / "extension" / "sites" / "pdd-seller.js").read_text(encoding="utf-8")
    assert "拼多多要求安全验证（验证码）" in pdd
    extension_text = "".join(p.read_text(encoding="utf-8", errors="replace")
                             for p in [*(REPO / "extension").rglob("*.js"), *REPO.glob("_locales/*/messages.json")])
    assert "页面已改版：找不到" in extension_text
