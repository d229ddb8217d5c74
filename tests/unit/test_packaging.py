"""Issue #11, item 8: one version number, and a zip with only the extension's files.

`scripts/package-extension` is run for real (its own interpreter, output in a temporary
folder) on the repository, and its file rules are run on a copy of the repository salted
with what must never ship (tests, helper, .venv, __pycache__, editor files).
"""
from __future__ import annotations

import json
import re
import runpy
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "package-extension"
PACKAGER = runpy.run_path(str(SCRIPT))


def test_helper_extension_and_pyproject_carry_one_version():
    import helper

    manifest = json.loads((REPO / "manifest.json").read_text(encoding="utf-8"))["version"]
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert helper.__version__ == manifest == pyproject
    assert re.fullmatch(r"\d+(\.\d+){0,3}", manifest), "Chrome takes 1-4 dot-separated integers"
    assert set(PACKAGER["versions"](REPO).values()) == {manifest}


def allowed(name: str) -> bool:
    return name == "manifest.json" or name.startswith(("extension/", "_locales/"))


def test_the_script_builds_the_zip_of_the_extension_only(tmp_path):
    res = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    version = json.loads((REPO / "manifest.json").read_text(encoding="utf-8"))["version"]
    target = tmp_path / f"danhao-extension-{version}.zip"
    assert str(target) in res.stdout and list(tmp_path.iterdir()) == [target]
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
        manifest = json.loads(zf.read("manifest.json"))
    assert all(allowed(n) for n in names), [n for n in names if not allowed(n)]
    assert not [n for n in names if "__pycache__" in n or n.endswith((".py", ".pyc")) or "/." in n]
    # The zip is the repository's extension, file for file: nothing missing, nothing added.
    expected = {"manifest.json"} | {p.relative_to(REPO).as_posix() for top in ("extension", "_locales")
                                     for p in (REPO / top).rglob("*") if p.is_file()
                                     and "__pycache__" not in p.parts and not p.name.startswith(".")}
    assert set(names) == expected
    assert PACKAGER["manifest_references"](manifest) <= set(names)
    if manifest.get("default_locale"):
        assert f"_locales/{manifest['default_locale']}/messages.json" in names


def test_nothing_but_the_extension_goes_in_even_from_a_cluttered_tree(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("manifest.json", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "extension", root / "extension", ignore=shutil.ignore_patterns("_locales"))
    (root / "helper").mkdir()
    shutil.copy(REPO / "helper" / "__init__.py", root / "helper" / "__init__.py")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    locale = manifest.get("default_locale", "zh_CN")
    (root / "_locales" / locale).mkdir(parents=True)
    (root / "_locales" / locale / "messages.json").write_text("{}", encoding="utf-8")
    clutter = ["tests/unit/test_x.py", ".venv/lib/site.py", "extension/__pycache__/x.cpython-311.pyc",
               "extension/popup/.DS_Store", "extension/lib/dom.js.map", "extension/tests/spec.js",
               "dist/old.zip", "helper/cli.py", "docs/a.md", "node_modules/x/index.js", "extension/.git/HEAD"]
    for rel in clutter:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    target = PACKAGER["build"](tmp_path / "out", root)
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        dates = {info.date_time for info in zf.infolist()}
    assert not names & set(clutter)
    assert all(allowed(n) for n in names)
    assert f"_locales/{locale}/messages.json" in names and "extension/popup/popup.html" in names
    assert dates == {(2020, 1, 1, 0, 0, 0)}, "fixed dates: the same sources give the same zip"
    first = target.read_bytes()
    assert PACKAGER["build"](tmp_path / "out", root).read_bytes() == first


def test_the_script_refuses_two_version_numbers(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(REPO / "extension", root / "extension")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    manifest = json.loads((REPO / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = "9.9.9"
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (root / "helper").mkdir()
    shutil.copy(REPO / "helper" / "__init__.py", root / "helper" / "__init__.py")
    with pytest.raises(SystemExit, match="versions differ"):
        PACKAGER["build"](tmp_path / "out", root)
    assert not (tmp_path / "out").exists()
