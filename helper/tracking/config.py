"""Tracking provider settings: credentials and base URLs.

Two sources, environment first: ``DANHAO_KUAIDI100_URL`` / ``_CUSTOMER`` / ``_KEY``,
``DANHAO_KDNIAO_URL`` / ``_EBUSINESS_ID`` / ``_APP_KEY``, ``DANHAO_17TRACK_URL`` /
``_TOKEN`` (and ``DANHAO_KDNIAO_DAILY_QUOTA``, default 500 for the basic plan); then the
helper's database settings, whose keys are the same names lower-cased without the
``DANHAO_`` prefix (``kuaidi100_key``). Environment wins so a developer can point one run
at a fake provider without touching the database.

A URL may be the provider's full endpoint or just a base (``http://127.0.0.1:8123``); the
clients add the documented path when it is missing. Keys are never shown by repr/str.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Mapping

PROVIDERS = ("kuaidi100", "kdniao", "17track")

DEFAULT_URLS = {
    "kuaidi100": "https://poll.kuaidi100.com/poll/query.do",
    "kdniao": "https://api.kdniao.com/Ebusiness/EbusinessOrderHandle.aspx",
    "17track": "https://api.17track.net/track/v2.2",
}

# field name -> setting name (env = "DANHAO_" + upper)
_NAMES = {
    "kuaidi100_url": "kuaidi100_url", "kuaidi100_customer": "kuaidi100_customer",
    "kuaidi100_key": "kuaidi100_key",
    "kdniao_url": "kdniao_url", "kdniao_ebusiness_id": "kdniao_ebusiness_id",
    "kdniao_app_key": "kdniao_app_key", "kdniao_daily_quota": "kdniao_daily_quota",
    "track17_url": "17track_url", "track17_token": "17track_token",
}
SECRET_FIELDS = ("kuaidi100_key", "kdniao_app_key", "track17_token")
SETTING_NAMES = tuple(_NAMES.values())


@dataclass(frozen=True, repr=False)
class TrackingConfig:
    kuaidi100_url: str = DEFAULT_URLS["kuaidi100"]
    kuaidi100_customer: str = ""
    kuaidi100_key: str = ""
    kdniao_url: str = DEFAULT_URLS["kdniao"]
    kdniao_ebusiness_id: str = ""
    kdniao_app_key: str = ""
    kdniao_daily_quota: int = 500
    track17_url: str = DEFAULT_URLS["17track"]
    track17_token: str = ""

    @classmethod
    def from_env(cls, settings: Mapping[str, str] | None = None,
                 environ: Mapping[str, str] | None = None) -> "TrackingConfig":
        env = os.environ if environ is None else environ
        settings = settings or {}
        values: dict = {}
        for field_name, name in _NAMES.items():
            raw = env.get("DANHAO_" + name.upper())
            if raw is None or raw.strip() == "":
                raw = settings.get(name)
            if raw is None or str(raw).strip() == "":
                continue
            values[field_name] = str(raw).strip()
        if "kdniao_daily_quota" in values:
            try:
                values["kdniao_daily_quota"] = int(values["kdniao_daily_quota"])
            except ValueError:
                del values["kdniao_daily_quota"]
        return cls(**values)

    def configured(self) -> list[str]:
        """Provider names whose credentials are all present, in preference order."""
        out = []
        if self.kuaidi100_customer and self.kuaidi100_key:
            out.append("kuaidi100")
        if self.kdniao_ebusiness_id and self.kdniao_app_key:
            out.append("kdniao")
        if self.track17_token:
            out.append("17track")
        return out

    def secrets(self) -> list[str]:
        return [getattr(self, f) for f in SECRET_FIELDS if getattr(self, f)]

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in SECRET_FIELDS:
                v = "***" if v else ""
            parts.append(f"{f.name}={v!r}")
        return "TrackingConfig(" + ", ".join(parts) + ")"

    __str__ = __repr__
