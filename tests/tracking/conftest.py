"""Fixtures: the three fake providers (real HTTP on 127.0.0.1) and a fake clock."""
from __future__ import annotations

import socket
from datetime import datetime

import pytest

from helper.tracking import TrackingConfig, TrackingService
from helper.tracking.model import CN_TZ
from tests.fakes.providers import Fake17Track, FakeKdniao, FakeKuaidi100


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Proof that no test opens a socket beyond 127.0.0.1: any other address fails loudly."""
    real_connect = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"test tried to reach {host!r}: only 127.0.0.1 is allowed")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


class FakeClock:
    """time.time stand-in; sleep() advances it and records the wait."""

    def __init__(self, start: str = "2026-11-25T10:00:00+08:00"):
        self.t = datetime.fromisoformat(start).timestamp()
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.t += s

    def advance(self, s: float) -> None:
        self.t += s

    def iso(self) -> str:
        return datetime.fromtimestamp(self.t, CN_TZ).isoformat()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def k100():
    with FakeKuaidi100() as fake:
        yield fake


@pytest.fixture
def kdn():
    with FakeKdniao() as fake:
        yield fake


@pytest.fixture
def t17():
    with Fake17Track() as fake:
        yield fake


def config_for(k100=None, kdn=None, t17=None, **overrides) -> TrackingConfig:
    values = {}
    if k100:
        values.update(kuaidi100_url=k100.url, kuaidi100_customer=k100.customer, kuaidi100_key=k100.key)
    if kdn:
        values.update(kdniao_url=kdn.url, kdniao_ebusiness_id=kdn.ebusiness_id, kdniao_app_key=kdn.app_key)
    if t17:
        values.update(track17_url=t17.url, track17_token=t17.token)
    values.update(overrides)
    return TrackingConfig(**values)


def make_service(clock, k100=None, kdn=None, t17=None, overrides=None, **kwargs) -> TrackingService:
    kwargs.setdefault("timeout", (2.0, 2.0))
    return TrackingService(config_for(k100, kdn, t17, **(overrides or {})), clock=clock,
                           sleep=clock.sleep, **kwargs)
