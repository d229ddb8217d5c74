"""Runs the real helper (`python -m helper serve`) as a separate process on a free loopback port.

A separate process, so that a test can stop it (as a crash or a closed window would) and
start it again on the same port and database.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HelperProcess:
    """``owner_name``: the helper records writes made with its own token (the one it prints, which
    the tests pair with) under the `operator` setting (helper/operators.py), not under a name the
    extension sends; set once, before the first start, unless the database already names one."""

    def __init__(self, db_path: Path, port: int | None = None, owner_name: str | None = "小王"):
        self.db_path = Path(db_path)
        self.owner_name = owner_name
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.token: str | None = None
        self.log_path = self.db_path.with_suffix(".log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20) -> "HelperProcess":
        if self.owner_name:
            self._name_owner()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "helper", "serve", "--port", str(self.port), "--db", str(self.db_path)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=self._log,
        )
        deadline = time.time() + timeout
        lines = []
        while time.time() < deadline:
            line = self.proc.stdout.readline().decode("utf-8", "replace")
            if not line:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"helper exited: {''.join(lines)} (log: {self.log_path})")
                continue
            lines.append(line)
            m = re.search(r"Token / 令牌:\s+(\S+)", line)
            if m:
                self.token = m.group(1)
                break
        else:
            raise RuntimeError("helper did not print its token in time")
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("helper did not answer /api/v1/health")

    def _name_owner(self) -> None:
        from helper.store import connect, get_setting, init_db, set_setting

        init_db(self.db_path)
        db = connect(self.db_path)
        try:
            if get_setting(db, "operator") is None:
                set_setting(db, "operator", self.owner_name)
        finally:
            db.conn.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # like a crash: no graceful shutdown to lean on
            self.proc.wait(10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        self.proc = None

    def api(self, method: str, path: str, **kw):
        headers = {"X-Danhao-Token": self.token, **kw.pop("headers", {})}
        r = requests.request(method, self.url + path, headers=headers, timeout=10, **kw)
        return r

    def config_set(self, name: str, value: str) -> None:
        """`danhao config set NAME VALUE --db …`, as the person at the machine would: the only way
        to change machine-only settings such as provider URLs (issue #10). The running helper
        reads provider settings on each query, so no restart is needed."""
        res = subprocess.run([sys.executable, "-m", "helper", "config", "set", name, value, "--db", str(self.db_path)],
                             cwd=REPO, capture_output=True, text=True, timeout=30)
        if res.returncode != 0:
            raise RuntimeError(f"danhao config set {name} failed: {res.stderr.strip()}")
