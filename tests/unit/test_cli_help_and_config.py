"""Issue #11, item 9: the command line explains itself Chinese first, checks settings before
writing them, shows defaults, and long commands show progress.

- Every command and group (found by walking `danhao`, so new commands are covered too): its
  `--help` works, its text and every option's text start in Chinese and keep an English part,
  it has an example, and the command list shows each summary whole (no "...").
- `danhao config set` with a bad value: one line Chinese then English, exit 2, nothing
  written (a new database is not even created); the same values are refused by the API.
- `danhao config list` shows every default, and the defaults are the ones the code uses.
- `danhao bench` draws its progress through `rich` on standard error, stdout stays clean.
"""
from __future__ import annotations

import inspect
import io
import json
import re
import sqlite3
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from helper.cli import main
from helper.settings import DEFAULTS, PUBLIC_SETTINGS, SECRET_SETTINGS

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")


def walk(group: click.Group, path=()):
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(walk(main))


def chinese_first(text: str | None) -> bool:
    text = (text or "").strip()
    first_letter = re.search(r"[A-Za-z\u3400-\u9fff]", text)
    return bool(first_letter) and bool(CJK.match(first_letter.group())) and bool(re.search(r"[A-Za-z]{3}", text))


@pytest.mark.parametrize("path,command", COMMANDS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_help_is_complete_and_chinese_first(path, command):
    res = CliRunner().invoke(main, [*path, "--help"], terminal_width=100)
    assert res.exit_code == 0, res.output
    assert chinese_first(command.help), f"danhao {' '.join(path)}: help starts in Chinese, then English"
    assert re.search(r"Example|示例", (command.help or "") + (command.epilog or "")), "an example"
    flat = " ".join(res.output.split())
    ctx = click.Context(command, info_name="danhao")
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and not param.hidden:
            assert chinese_first(param.help), f"{param.opts}: help Chinese first"
            assert " ".join(param.help.split()) in flat, f"{param.opts}: help shown whole"
        if isinstance(param, click.Argument):
            assert param.make_metavar(ctx) in res.output.splitlines()[0]
    assert "显示本帮助并退出" in res.output


def test_the_command_list_shows_every_summary_whole():
    res = CliRunner().invoke(main, ["--help"], terminal_width=80)
    listing = res.output.split("Commands:")[1]
    assert "..." not in listing, listing
    for name, command in main.commands.items():
        summary = command.get_short_help_str(limit=200)
        assert chinese_first(summary), name
        assert re.search(rf"^  {re.escape(name)}\s+{re.escape(summary)}$", listing, re.M), (name, summary)
    sub = CliRunner().invoke(main, ["config", "--help"], terminal_width=80).output.split("Commands:")[1]
    assert "..." not in sub


# ------------------------------------------------------------------ config set

BAD_VALUES = [
    ("refresh_interval_min", "abc"), ("refresh_interval_min", "0"), ("refresh_interval_min", "29"),
    ("refresh_interval_min", "1.5"), ("refresh_interval_min", "-60"), ("refresh_interval_min", "99999999999"),
    ("kdniao_daily_quota", "many"), ("kdniao_daily_quota", "-1"), ("kdniao_daily_quota", "５００"),
    ("allow_fill_without_pickup", "maybe"), ("allow_fill_without_pickup", "2"),
    ("kuaidi100_url", "ftp://poll.kuaidi100.com"), ("kdniao_url", "api.kdniao.com/x"), ("17track_url", "http://"),
    ("allowed_hosts", "http://shop-pc"), ("allowed_hosts", "shop pc"), ("allowed_hosts", "shop-pc:8080"),
    ("operator", "小王\n小李"),
]


def cli(*args):
    return CliRunner().invoke(main, list(args))


def stored_settings(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT name, value FROM settings"))


def changed_events(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'settings.changed'").fetchone()[0]


@pytest.mark.parametrize("name,value", BAD_VALUES)
def test_a_bad_value_is_one_bilingual_line_exit_2_and_writes_nothing(tmp_path, name, value):
    fresh = tmp_path / "new" / "danhao.db"
    res = cli("config", "set", name, value, "--db", str(fresh))
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and res.stdout == "", res.output
    assert lines[0].startswith("错误：") and "/ Error:" in lines[0] and name in lines[0]
    assert not fresh.exists() and not fresh.parent.exists(), "a refused value creates no database"

    db = tmp_path / "danhao.db"
    assert cli("config", "set", "operator", "小王", "--db", str(db)).exit_code == 0
    before, events = stored_settings(db), changed_events(db)
    res = cli("config", "set", name, value, "--db", str(db))
    assert res.exit_code == 2
    assert stored_settings(db) == before and changed_events(db) == events


@pytest.mark.parametrize("name,value,stored", [
    ("refresh_interval_min", " 120 ", "120"), ("refresh_interval_min", "30", "30"),
    ("kdniao_daily_quota", "0", "0"), ("kdniao_daily_quota", "3000", "3000"),
    ("allow_fill_without_pickup", "1", "1"), ("allow_fill_without_pickup", "0", "0"),
    ("allow_fill_without_pickup", "yes", "1"), ("allow_fill_without_pickup", "False", "0"),
    ("kuaidi100_url", "http://127.0.0.1:8123", "http://127.0.0.1:8123"),
    ("17track_url", "https://api.17track.net/track/v2.2", "https://api.17track.net/track/v2.2"),
    ("allowed_hosts", "shop-pc, 192.168.1.5", "shop-pc,192.168.1.5"),
    ("operator", "小王 (店长)", "小王 (店长)"), ("kdniao_ebusiness_id", "1700001", "1700001"),
])
def test_good_values_are_stored_in_their_plain_form(tmp_path, name, value, stored):
    db = tmp_path / "danhao.db"
    res = cli("config", "set", name, value, "--db", str(db))
    assert res.exit_code == 0, res.output
    assert stored_settings(db)[name] == stored
    assert cli("config", "set", name, "", "--db", str(db)).exit_code == 0
    assert name not in stored_settings(db)


def test_an_unknown_name_is_exit_2_and_names_the_list(tmp_path):
    res = cli("config", "set", "refresh_interval", "60", "--db", str(tmp_path / "d.db"))
    assert res.exit_code == 2 and "Unknown setting refresh_interval" in res.stderr and "config list" in res.stderr
    assert not (tmp_path / "d.db").exists()


def test_the_api_refuses_the_same_values(api):
    for name, value in BAD_VALUES:
        if name in ("kuaidi100_url", "kdniao_url", "17track_url", "allowed_hosts"):
            continue     # machine-only: the API refuses them whatever the value (403)
        r = api.put("/api/v1/settings", body={name: value})
        assert r.status_code == 400, (name, value)
        error = r.get_json()["error"]
        assert error["code"] == "invalid_setting" and error["details"]["field"] == name
    r = api.put("/api/v1/settings", body={"refresh_interval_min": "120", "allow_fill_without_pickup": "true"})
    assert r.status_code == 200
    assert r.get_json()["settings"]["refresh_interval_min"] == "120"
    assert r.get_json()["settings"]["allow_fill_without_pickup"] == "1"


# ------------------------------------------------------------------ config list

def test_config_list_shows_every_setting_with_its_default(tmp_path, monkeypatch):
    for name in PUBLIC_SETTINGS:
        monkeypatch.delenv("DANHAO_" + name.upper(), raising=False)
    db = tmp_path / "danhao.db"
    out = cli("config", "list", "--db", str(db)).output
    rows = dict(line.split(" = ", 1) for line in out.splitlines())
    assert list(rows) == [*PUBLIC_SETTINGS, *SECRET_SETTINGS]
    assert rows["refresh_interval_min"] == "360  （默认 / default）"
    assert rows["kdniao_daily_quota"] == "500  （默认 / default）"
    assert rows["allow_fill_without_pickup"] == "0  （默认 / default）"
    assert rows["kuaidi100_url"].startswith("https://poll.kuaidi100.com/")
    assert rows["operator"] == "（未设置 / not set）" and rows["kuaidi100_key"] == "（未设置 / not set）"
    cli("config", "set", "refresh_interval_min", "60", "--db", str(db))
    cli("config", "set", "17track_token", "t0ken-secret", "--db", str(db))
    monkeypatch.setenv("DANHAO_KDNIAO_DAILY_QUOTA", "900")
    out = cli("config", "list", "--db", str(db)).output
    assert "refresh_interval_min = 60  （默认 / default 360）" in out
    assert "17track_token = set" in out and "t0ken-secret" not in out
    assert "kdniao_daily_quota = 500  （默认 / default）  （环境变量 DANHAO_KDNIAO_DAILY_QUOTA 优先" in out


def test_the_shown_defaults_are_the_ones_the_code_uses():
    from helper.tracking import TrackingConfig
    from helper.verify import Verifier

    config = TrackingConfig()
    assert DEFAULTS["kuaidi100_url"] == config.kuaidi100_url and DEFAULTS["kdniao_url"] == config.kdniao_url
    assert DEFAULTS["17track_url"] == config.track17_url
    assert int(DEFAULTS["kdniao_daily_quota"]) == config.kdniao_daily_quota
    params = inspect.signature(Verifier.__init__).parameters
    assert int(DEFAULTS["refresh_interval_min"]) == params["refresh_min"].default
    assert (DEFAULTS["allow_fill_without_pickup"] == "1") == params["allow_no_pickup"].default
    for name, text in PUBLIC_SETTINGS.items():
        if "默认" in text and name in DEFAULTS:
            assert DEFAULTS[name] in text, name


# ------------------------------------------------------------------ progress

def test_rich_is_a_declared_dependency():
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(re.match(r"rich\b", d) for d in deps)


def fake_run(**kwargs):
    log = kwargs["log"]
    for message in ("detect …", "ingest …", "scale 10,000: built in 1.0 s", "scale 100,000: built in 9.0 s",
                    "scale 1,000,000: built in 90.0 s"):
        log(message)
    return {"fake": True, "browser": kwargs["browser"]}


def test_bench_shows_progress_on_stderr_and_keeps_stdout_clean(monkeypatch):
    import helper.bench as bench

    monkeypatch.setattr(bench, "run", fake_run)
    monkeypatch.setattr(bench, "table", lambda result: "TABLE")
    res = CliRunner().invoke(main, ["bench", "--no-browser"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == "TABLE"
    assert res.stderr.splitlines() == ["[1/5] detect …", "[2/5] ingest …", "[3/5] scale 10,000: built in 1.0 s",
                                       "[4/5] scale 100,000: built in 9.0 s", "[5/5] scale 1,000,000: built in 90.0 s"]
    res = CliRunner().invoke(main, ["bench", "--json", "--no-browser"])
    assert json.loads(res.stdout) == {"fake": True, "browser": False} and res.stderr == ""


def test_the_progress_bar_is_drawn_on_a_terminal():
    from helper.progress import StageProgress

    out = io.StringIO()
    with StageProgress(3, "性能基准 / bench", file=out, force_terminal=True) as progress:
        assert progress.live
        progress.step("detect …")
        progress.step("ingest …")
    text = out.getvalue()
    assert "性能基准 / bench" in text and "3/3" in text and "━" in text
