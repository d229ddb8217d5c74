"""The real helper in its own process (``python -m helper serve``) on a free loopback port."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


class Helper:
    """``with Helper(db) as h: h.session.post(h.url + "/api/v1/…", json=…)`` (token set, keep-alive)."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        self.proc: subprocess.Popen | None = None
        self.url = self.token = None
        self.session = requests.Session()

    def __enter__(self) -> "Helper":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "helper", "serve", "--host", "127.0.0.1", "--port", "0", "--db", str(self.db_path)],
            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE, stderr=open(os.environ.get("DANHAO_BENCH_SERVER_LOG", os.devnull), "ab"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (self.url and self.token):
            line = self.proc.stdout.readline().decode("utf-8", "replace")
            if not line and self.proc.poll() is not None:
                raise RuntimeError("helper exited before printing its URL and token")
            if m := re.search(r"(http://127\.0\.0\.1:\d+)", line):
                self.url = m.group(1)
            if m := re.search(r"Token / 令牌:\s+(\S+)", line):
                self.token = m.group(1)
        if not (self.url and self.token):
            raise RuntimeError("helper did not print its URL and token")
        self.session.headers.update({"X-Danhao-Token": self.token, "X-Danhao-Operator": "bench"})
        for _ in range(200):
            try:
                if self.session.get(self.url + "/api/v1/health", timeout=2).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("helper did not answer /api/v1/health")

    def post(self, path: str, body: dict) -> dict:
        r = self.session.post(self.url + path, json=body, timeout=60)
        if r.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {r.status_code} {r.text[:300]}")
        return r.json()

    def __exit__(self, *exc):
        self.session.close()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
