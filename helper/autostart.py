"""`danhao autostart on|off|status`: start the helper at every login, per user, no admin rights.

- Windows: `Danhao.cmd` in the user's Startup folder
  (`%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup`), or with `--method task` a
  Task Scheduler entry made with `schtasks` (at logon, limited rights);
- macOS: a LaunchAgent `~/Library/LaunchAgents/com.danhao.helper.plist` loaded with `launchctl`;
- Linux: a systemd user unit `~/.config/systemd/user/danhao.service` enabled with
  `systemctl --user`.

Everything is planned first as a list of `Step`s (write a file, remove a file, run a command)
from a `Target` (platform, home folder, environment, Python): tests inject the platform and
the home folder and read the generated files without registering anything; `--dry-run`
prints the plan. Files are written only under the user's home folder (or `%APPDATA%`), and
doing `on` twice or `off` twice changes nothing the second time.
"""
from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

LABEL = "com.danhao.helper"          # macOS LaunchAgent label
UNIT = "danhao.service"              # systemd user unit
TASK = "Danhao"                      # Windows Startup file stem / Task Scheduler name
PLATFORMS = ("windows", "macos", "linux")
METHODS = ("startup", "task")        # Windows only: Startup folder (default) or Task Scheduler
PASSED_ENV = ("DANHAO_HOME",)        # what the started helper must see to use the same data


def platform_kind(sys_platform: str = sys.platform) -> str:
    if sys_platform.startswith("win") or sys_platform == "cygwin":
        return "windows"
    if sys_platform == "darwin":
        return "macos"
    return "linux"


@dataclass(frozen=True)
class Target:
    """Where and what to register. `platform` is one of PLATFORMS."""

    platform: str
    home: Path
    env: Mapping[str, str] = field(default_factory=dict)
    python: str = sys.executable
    port: int = 17890
    method: str = "startup"

    @property
    def command(self) -> list[str]:
        return [self.python, "-m", "helper", "serve", "--port", str(self.port)]

    @property
    def passed_env(self) -> dict[str, str]:
        return {name: self.env[name] for name in PASSED_ENV if self.env.get(name)}

    def data_dir(self) -> Path:
        if self.env.get("DANHAO_HOME"):
            return Path(self.env["DANHAO_HOME"]).expanduser()
        if self.platform == "windows":
            return self.appdata() / "Danhao"
        if self.platform == "macos":
            return self.home / "Library" / "Application Support" / "Danhao"
        return Path(self.env.get("XDG_DATA_HOME") or self.home / ".local" / "share") / "danhao"

    def appdata(self) -> Path:
        return Path(self.env.get("APPDATA") or self.home / "AppData" / "Roaming")

    def file(self) -> Path | None:
        """The file that registers the helper (None for a Task Scheduler entry)."""
        if self.platform == "windows":
            if self.method == "task":
                return None
            return self.appdata() / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / f"{TASK}.cmd"
        if self.platform == "macos":
            return self.home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        return Path(self.env.get("XDG_CONFIG_HOME") or self.home / ".config") / "systemd" / "user" / UNIT


def current_target(port: int = 17890, method: str = "startup") -> Target:
    return Target(platform=platform_kind(), home=Path.home(), env=dict(os.environ), python=sys.executable,
                  port=port, method=method)


# ------------------------------------------------------------------ generated files

def windows_cmd(target: Target) -> str:
    """The Startup-folder batch file: a minimised console running `danhao serve` (close it to stop)."""
    lines = ["@echo off", "chcp 65001 >nul",
             "rem Danhao: start the local helper at login. Remove with: danhao autostart off"]
    for name, value in target.passed_env.items():
        lines.append(f'set "{name}={value}"')
    args = " ".join(_cmd_quote(a) for a in target.command[1:])
    lines.append(f'start "Danhao" /min {_cmd_quote(target.command[0], always=True)} {args}')
    return "\r\n".join(lines) + "\r\n"


def windows_task_command(target: Target) -> list[str]:
    """`schtasks /Create` for a per-user task at logon (limited rights, replaces an old one)."""
    env = "".join(f'set "{k}={v}" && ' for k, v in target.passed_env.items())
    run = " ".join([_cmd_quote(target.command[0], always=True), *(_cmd_quote(a) for a in target.command[1:])])
    action = f'cmd /c {env}{run}' if env else run
    return ["schtasks", "/Create", "/TN", TASK, "/TR", action, "/SC", "ONLOGON", "/RL", "LIMITED", "/F"]


def launch_agent(target: Target) -> str:
    log = str(target.data_dir() / "helper.log")
    plist = {
        "Label": LABEL,
        "ProgramArguments": target.command,
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "EnvironmentVariables": {**target.passed_env, "PYTHONIOENCODING": "utf-8"},
        "StandardOutPath": log,
        "StandardErrorPath": log,
        "ProcessType": "Background",
    }
    return plistlib.dumps(plist, sort_keys=False).decode("utf-8")


def systemd_unit(target: Target) -> str:
    lines = ["[Unit]", "Description=Danhao 单号 local helper (danhao serve)", "",
             "[Service]", "Type=simple",
             "ExecStart=" + " ".join(_systemd_quote(a) for a in target.command)]
    for name, value in target.passed_env.items():
        lines.append("Environment=" + _systemd_quote(f"{name}={value}", always=True, dollar=False))
    lines += ["Environment=PYTHONUNBUFFERED=1", "Restart=on-failure", "RestartSec=5", "",
              "[Install]", "WantedBy=default.target", ""]
    return "\n".join(lines)


def file_content(target: Target) -> str | None:
    if target.platform == "windows":
        return None if target.method == "task" else windows_cmd(target)
    if target.platform == "macos":
        return launch_agent(target)
    return systemd_unit(target)


def _cmd_quote(arg: str, always: bool = False) -> str:
    return f'"{arg}"' if (always or not arg or any(c in arg for c in ' \t&()[]{}^=;!\'+,`~')) else arg


def _systemd_quote(arg: str, always: bool = False, dollar: bool = True) -> str:
    """Quoted for a unit file: `%` is a specifier, `$` expands in ExecStart= (not Environment=)."""
    text = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    if dollar:
        text = text.replace("$", "$$")
    return f'"{text}"' if always or not text or any(c in text for c in " \t'\"") else text


# ------------------------------------------------------------------ plans

@dataclass(frozen=True)
class Step:
    kind: str                        # "write" | "remove" | "mkdir" | "run"
    path: Path | None = None
    content: str | None = None
    argv: tuple[str, ...] = ()
    check: bool = True               # a failing command stops the plan

    def describe(self) -> str:
        if self.kind == "write":
            return f"将写入 / would write {self.path}:\n{self.content}"
        if self.kind == "remove":
            return f"将删除 / would remove {self.path}"
        if self.kind == "mkdir":
            return f"将创建文件夹 / would create the folder {self.path}"
        return "将运行 / would run: " + " ".join(_cmd_quote(a) for a in self.argv)


Runner = Callable[[Sequence[str]], "tuple[int, str]"]


def run_command(argv: Sequence[str]) -> tuple[int, str]:
    """Runs a registration command; (exit status, output). A missing program is status 127."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        return 127, f"{argv[0]}: not found"
    except subprocess.TimeoutExpired:
        return 124, f"{argv[0]}: timed out"
    return done.returncode, (done.stdout + done.stderr).strip()


def is_registered(target: Target, runner: Runner = run_command) -> bool:
    """Whether the system knows the helper's entry (not only whether the file exists)."""
    path = target.file()
    if target.platform == "windows":
        if target.method == "task":
            return runner(["schtasks", "/Query", "/TN", TASK])[0] == 0
        return path.is_file()
    if not path.is_file():
        return False
    if target.platform == "macos":
        return runner(["launchctl", "list", LABEL])[0] == 0
    return runner(["systemctl", "--user", "is-enabled", UNIT])[0] == 0


def plan(action: str, target: Target, runner: Runner = run_command) -> tuple[list[Step], str]:
    """(steps, message) for `on` / `off`. Read-only queries may run through ``runner``."""
    if target.platform not in PLATFORMS:
        raise ValueError(target.platform)
    path, content = target.file(), file_content(target)
    existing = _read(path) if path is not None and path.is_file() else None
    where = str(path) if path is not None else f"Task Scheduler: {TASK}"
    if action == "on":
        return _plan_on(target, path, content, existing, runner), \
            f"已开启：登录后自动运行助手 / on: the helper starts at every login ({where})"
    if action == "off":
        return _plan_off(target, path, existing, runner), \
            f"已关闭：登录后不再自动运行助手 / off: the helper no longer starts at login ({where})"
    raise ValueError(action)


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:   # keep \r\n as written
        return fh.read()


def _plan_on(target, path, content, existing, runner) -> list[Step]:
    steps: list[Step] = []
    changed = content is not None and existing != content
    if target.platform == "windows":
        if target.method == "task":
            return [Step("run", argv=tuple(windows_task_command(target)))]      # /F: replaces, same result twice
        return [Step("write", path, content)] if changed else []
    if changed:
        steps.append(Step("write", path, content))
    if target.platform == "macos":
        log_dir = target.data_dir()
        if not log_dir.is_dir():
            steps.append(Step("mkdir", log_dir))
        loaded = runner(["launchctl", "list", LABEL])[0] == 0
        if loaded and changed:
            steps.append(Step("run", argv=("launchctl", "unload", "-w", str(path)), check=False))
        if changed or not loaded:
            steps.append(Step("run", argv=("launchctl", "load", "-w", str(path))))
        return steps
    if changed:
        steps.append(Step("run", argv=("systemctl", "--user", "daemon-reload")))
    steps.append(Step("run", argv=("systemctl", "--user", "enable", "--now", UNIT)))  # idempotent
    if changed and existing is not None:
        steps.append(Step("run", argv=("systemctl", "--user", "restart", UNIT)))
    return steps


def _plan_off(target, path, existing, runner) -> list[Step]:
    if target.platform == "windows":
        if target.method == "task":
            if runner(["schtasks", "/Query", "/TN", TASK])[0] != 0:
                return []
            return [Step("run", argv=("schtasks", "/Delete", "/TN", TASK, "/F"))]
        return [Step("remove", path)] if existing is not None else []
    if existing is None:
        return []
    if target.platform == "macos":
        return [Step("run", argv=("launchctl", "unload", "-w", str(path)), check=False), Step("remove", path)]
    return [Step("run", argv=("systemctl", "--user", "disable", "--now", UNIT), check=False),
            Step("remove", path), Step("run", argv=("systemctl", "--user", "daemon-reload"))]


class AutostartError(Exception):
    pass


def apply(steps: Sequence[Step], runner: Runner = run_command) -> None:
    for step in steps:
        if step.kind == "mkdir":
            step.path.mkdir(parents=True, exist_ok=True)
        elif step.kind == "write":
            step.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = step.path.with_name(step.path.name + ".tmp")
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                fh.write(step.content)
            os.replace(tmp, step.path)
        elif step.kind == "remove":
            try:
                step.path.unlink()
            except FileNotFoundError:
                pass
        else:
            status, output = runner(step.argv)
            if status != 0 and step.check:
                raise AutostartError(f"{' '.join(step.argv)} → {status}: {output[:300]}")
