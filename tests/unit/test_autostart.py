"""Issue #11, item 7: `danhao autostart on|off|status` for Windows, macOS and Linux.

Nothing is registered for real: the platform, the home folder, the environment and the
Python path are injected (`Target`), and every command goes to a fake runner that records
it. What is checked: each platform's generated file, that files land only under the home
folder, that `on`/`off` twice change nothing the second time, and that `--dry-run` prints
the plan and writes nothing.
"""
from __future__ import annotations

import plistlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from helper import autostart as auto
from helper.cli import main

PY_WIN = r"C:\Users\小王\AppData\Local\Programs\Python\Python312\python.exe"
PY_POSIX = "/home/me/danhao/.venv/bin/python"


class FakeSystem:
    """Records commands; `launchctl list` / `systemctl is-enabled` / `schtasks /Query` answer
    from what was registered before."""

    def __init__(self):
        self.calls: list[tuple[str, ...]] = []
        self.registered = False

    def __call__(self, argv):
        argv = tuple(argv)
        self.calls.append(argv)
        if argv[:2] == ("launchctl", "list") or "is-enabled" in argv or argv[:2] == ("schtasks", "/Query"):
            return (0, "") if self.registered else (1, "not found")
        if argv[:2] == ("launchctl", "load") or "enable" in argv or argv[:2] == ("schtasks", "/Create"):
            self.registered = True
        if argv[:2] == ("launchctl", "unload") or "disable" in argv or argv[:2] == ("schtasks", "/Delete"):
            self.registered = False
        return 0, ""

    def changes(self):
        return [c for c in self.calls if not (c[:2] in (("launchctl", "list"), ("schtasks", "/Query"))
                                              or "is-enabled" in c)]


def target(platform, home, **kw):
    env = kw.pop("env", {})
    python = kw.pop("python", PY_WIN if platform == "windows" else PY_POSIX)
    return auto.Target(platform=platform, home=home, env=env, python=python, **kw)


@pytest.mark.parametrize("sys_platform,kind", [("win32", "windows"), ("cygwin", "windows"), ("darwin", "macos"),
                                               ("linux", "linux"), ("freebsd14", "linux")])
def test_platform_kind(sys_platform, kind):
    assert auto.platform_kind(sys_platform) == kind


# ------------------------------------------------------------------ generated files

def test_windows_startup_file(tmp_path):
    t = target("windows", tmp_path, env={"DANHAO_HOME": r"D:\店铺\danhao data"})
    path = t.file()
    assert path == tmp_path / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "Danhao.cmd"
    text = auto.windows_cmd(t)
    lines = text.split("\r\n")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert lines[0] == "@echo off" and lines[1] == "chcp 65001 >nul"      # UTF-8: non-ASCII user names
    assert 'set "DANHAO_HOME=D:\\店铺\\danhao data"' in lines
    assert lines[-2] == f'start "Danhao" /min "{PY_WIN}" -m helper serve --port 17890'
    # %APPDATA% wins over the home folder's default place
    roaming = tmp_path / "Roaming"
    assert target("windows", tmp_path, env={"APPDATA": str(roaming)}).file().is_relative_to(roaming)


def test_windows_task_scheduler_entry(tmp_path):
    t = target("windows", tmp_path, method="task", port=18000)
    assert t.file() is None and auto.file_content(t) is None
    argv = auto.windows_task_command(t)
    assert argv[:4] == ["schtasks", "/Create", "/TN", "Danhao"]
    assert argv[argv.index("/TR") + 1] == f'"{PY_WIN}" -m helper serve --port 18000'
    assert ["/SC", "ONLOGON"] == argv[argv.index("/SC"):argv.index("/SC") + 2]
    assert "LIMITED" in argv and argv[-1] == "/F"           # no admin rights, replaces an older entry
    with_home = auto.windows_task_command(target("windows", tmp_path, method="task", env={"DANHAO_HOME": r"D:\d"}))
    assert with_home[with_home.index("/TR") + 1].startswith('cmd /c set "DANHAO_HOME=D:\\d" && ')


def test_macos_launch_agent(tmp_path):
    t = target("macos", tmp_path, env={"DANHAO_HOME": "/Users/me/Danhao data"})
    assert t.file() == tmp_path / "Library" / "LaunchAgents" / "com.danhao.helper.plist"
    plist = plistlib.loads(auto.launch_agent(t).encode("utf-8"))
    assert plist["Label"] == "com.danhao.helper"
    assert plist["ProgramArguments"] == [PY_POSIX, "-m", "helper", "serve", "--port", "17890"]
    assert plist["RunAtLoad"] is True and plist["KeepAlive"] == {"SuccessfulExit": False}
    assert plist["EnvironmentVariables"]["DANHAO_HOME"] == "/Users/me/Danhao data"
    assert plist["StandardErrorPath"] == "/Users/me/Danhao data/helper.log" == plist["StandardOutPath"]
    default = plistlib.loads(auto.launch_agent(target("macos", tmp_path)).encode())
    assert default["StandardOutPath"] == str(tmp_path / "Library" / "Application Support" / "Danhao" / "helper.log")
    assert "DANHAO_HOME" not in default["EnvironmentVariables"]


def test_linux_systemd_user_unit(tmp_path):
    t = target("linux", tmp_path, env={"DANHAO_HOME": "/home/me/my data 100%"}, python="/opt/py $x/bin/python")
    assert t.file() == tmp_path / ".config" / "systemd" / "user" / "danhao.service"
    unit = auto.systemd_unit(t)
    sections = [line for line in unit.splitlines() if line.startswith("[")]
    assert sections == ["[Unit]", "[Service]", "[Install]"]
    assert 'ExecStart="/opt/py $$x/bin/python" -m helper serve --port 17890' in unit.splitlines()
    assert 'Environment="DANHAO_HOME=/home/me/my data 100%%"' in unit.splitlines()   # % is a specifier
    assert "Restart=on-failure" in unit and "WantedBy=default.target" in unit
    plain = auto.systemd_unit(target("linux", tmp_path))
    assert f"ExecStart={PY_POSIX} -m helper serve --port 17890" in plain.splitlines()
    assert "DANHAO_HOME" not in plain
    xdg = tmp_path / "xdg"
    assert target("linux", tmp_path, env={"XDG_CONFIG_HOME": str(xdg)}).file() == xdg / "systemd" / "user" / "danhao.service"


# ------------------------------------------------------------------ on / off, twice

CASES = [("windows", {}), ("windows", {"method": "task"}), ("macos", {}), ("linux", {})]


@pytest.mark.parametrize("platform,kw", CASES, ids=["windows", "windows-task", "macos", "linux"])
def test_on_and_off_are_idempotent_and_stay_in_the_home_folder(tmp_path, platform, kw):
    home = tmp_path / "home"
    home.mkdir()
    t = target(platform, home, **kw)
    system = FakeSystem()

    steps, message = auto.plan("on", t, system)
    assert steps and "on" in message
    for step in steps:
        if step.path is not None:
            assert step.path.is_relative_to(home), step
    auto.apply(steps, system)
    if t.file() is not None:
        assert t.file().read_bytes().decode("utf-8") == auto.file_content(t)
    assert auto.is_registered(t, system)
    before = sorted(p for p in tmp_path.rglob("*"))

    again, _ = auto.plan("on", t, system)
    assert [s for s in again if s.kind in ("write", "remove", "mkdir")] == []
    if platform == "macos":
        assert again == []
    auto.apply(again, system)
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert auto.is_registered(t, system)

    steps, message = auto.plan("off", t, system)
    assert steps and "off" in message
    auto.apply(steps, system)
    assert t.file() is None or not t.file().exists()
    assert not auto.is_registered(t, system)
    calls = len(system.changes())
    assert auto.plan("off", t, system)[0] == []
    assert len(system.changes()) == calls
    # Only the registration file was ever made (plus folders for it and, on macOS, the log folder).
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == []


def test_a_changed_file_is_rewritten_and_reloaded(tmp_path):
    system = FakeSystem()
    auto.apply(auto.plan("on", target("linux", tmp_path), system)[0], system)
    steps, _ = auto.plan("on", target("linux", tmp_path, port=18000), system)
    assert [s.kind for s in steps][0] == "write"
    assert ("systemctl", "--user", "restart", "danhao.service") in [s.argv for s in steps]
    system = FakeSystem()
    auto.apply(auto.plan("on", target("macos", tmp_path), system)[0], system)
    steps, _ = auto.plan("on", target("macos", tmp_path, port=18000), system)
    assert [s.argv[:2] for s in steps if s.kind == "run"] == [("launchctl", "unload"), ("launchctl", "load")]


def test_a_failing_command_is_reported(tmp_path):
    steps, _ = auto.plan("on", target("linux", tmp_path), lambda argv: (1, "no user bus"))
    with pytest.raises(auto.AutostartError, match="no user bus"):
        auto.apply(steps, lambda argv: (1, "Failed to connect to bus: no user bus"))


# ------------------------------------------------------------------ the command

@pytest.fixture
def fake_machine(tmp_path, monkeypatch):
    system = FakeSystem()
    made = {}

    def current_target(port=17890, method="startup"):
        made["target"] = target("linux", tmp_path, port=port, method=method)
        return made["target"]

    monkeypatch.setattr(auto, "current_target", current_target)
    monkeypatch.setattr(auto, "run_command", system)       # the command passes it to plan/apply/status
    return system, tmp_path, made


def test_dry_run_prints_the_plan_and_changes_nothing(fake_machine):
    system, home, _ = fake_machine
    res = CliRunner().invoke(main, ["autostart", "on", "--dry-run", "--port", "18000"])
    assert res.exit_code == 0, res.output
    assert "would write" in res.output and "ExecStart=" in res.output and "--port 18000" in res.output
    assert "would run: systemctl --user enable --now danhao.service" in res.output
    assert list(home.rglob("*")) == [] and system.changes() == []


def test_on_status_off_through_the_command(fake_machine):
    system, home, made = fake_machine
    res = CliRunner().invoke(main, ["autostart", "status"])
    assert res.exit_code == 0 and res.output.startswith("未开启 / off")
    res = CliRunner().invoke(main, ["autostart", "on"])
    assert res.exit_code == 0 and "已开启" in res.output, res.output
    assert made["target"].file().is_file()
    assert CliRunner().invoke(main, ["autostart", "status"]).output.startswith("已开启 / on")
    res = CliRunner().invoke(main, ["autostart", "on"])
    assert res.exit_code == 0
    res = CliRunner().invoke(main, ["autostart", "off"])
    assert res.exit_code == 0 and "已关闭" in res.output and not made["target"].file().exists()
    res = CliRunner().invoke(main, ["autostart", "off", "--dry-run"])
    assert "nothing to do" in res.output


def test_a_failure_is_one_bilingual_line_with_exit_2(fake_machine, monkeypatch):
    monkeypatch.setattr(auto, "run_command", lambda argv: (1, "Failed to connect to bus"))
    res = CliRunner().invoke(main, ["autostart", "on"])
    assert res.exit_code == 2
    assert len(res.output.strip().splitlines()) == 1
    assert "错误" in res.output and "Error:" in res.output and "Failed to connect to bus" in res.output
