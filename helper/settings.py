"""Helper settings kept in the database (`danhao config set`, PUT /api/v1/settings).

Secret values (provider keys) are write-only through the API: they are reported as set or
not set, never echoed. Environment variables, where a caller reads them, win.

`MACHINE_ONLY` settings redirect a secret (a provider URL receives that provider's key) or
widen who may connect (`allowed_hosts`): they belong to the person at the machine and are
changed with `danhao config set` only, never through `PUT /api/v1/settings`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .errors import bad_request
from .store import all_settings, delete_setting, set_setting
from .tracking.config import DEFAULT_URLS, SETTING_NAMES as TRACKING_SETTINGS

PUBLIC_SETTINGS = {
    "operator": "助手原令牌（店主）记入日志的名字，默认 店主 / name the log records for the helper's own token (the owner), default 店主",
    "allowed_hosts": "额外允许的主机名，逗号分隔 / extra Host names, comma separated",
    "kuaidi100_url": "快递100 接口地址 / Kuaidi100 base URL",
    "kuaidi100_customer": "快递100 customer",
    "kdniao_url": "快递鸟接口地址 / Kdniao base URL",
    "kdniao_ebusiness_id": "快递鸟 EBusinessID",
    "17track_url": "17TRACK 接口地址 / 17TRACK base URL",
    "kdniao_daily_quota": "快递鸟每日查询上限（默认 500）/ Kdniao daily query limit (default 500)",
    "refresh_interval_min": "在途轨迹刷新间隔（分钟，默认 360）/ minutes between trace refreshes (default 360)",
    "allow_fill_without_pickup": "无揽收也允许填写 (0/1) / allow filling before a pickup scan",
}
MACHINE_ONLY = {"kuaidi100_url", "kdniao_url", "17track_url", "allowed_hosts"}
SECRET_SETTINGS = {
    "kuaidi100_key": "快递100 key",
    "kdniao_app_key": "快递鸟 AppKey",
    "17track_token": "17TRACK token",
}


# What the helper uses when a setting is not stored (`danhao config list` shows them).
DEFAULTS = {
    "kuaidi100_url": DEFAULT_URLS["kuaidi100"],
    "kdniao_url": DEFAULT_URLS["kdniao"],
    "17track_url": DEFAULT_URLS["17track"],
    "kdniao_daily_quota": "500",
    "refresh_interval_min": "360",
    "allow_fill_without_pickup": "0",
}

# Whole numbers: (smallest, largest) accepted.
INTEGER_SETTINGS = {"refresh_interval_min": (30, 43_200), "kdniao_daily_quota": (0, 10_000_000)}
BOOLEAN_SETTINGS = {"allow_fill_without_pickup"}
URL_SETTINGS = {"kuaidi100_url", "kdniao_url", "17track_url"}
# Retention (helper/retention.py): buyer data masked this many days after delivery (法律法规).
PUBLIC_SETTINGS["retention_days"] = "买家姓名、电话、地址在签收多少天后脱敏（默认 90）/ days after delivery before buyer names, phones and addresses are masked (default 90)"
DEFAULTS["retention_days"] = "90"
INTEGER_SETTINGS["retention_days"] = (1, 3650)
# Where orders stand (helper/dashboard.py): the 即将超时 window and the two 单号丢失 alerts.
PUBLIC_SETTINGS["due_soon_hours"] = "承诺发货前多少小时算即将超时（默认 12）/ hours before the ship-by time that count as due soon (default 12)"
PUBLIC_SETTINGS["lost_number_hours"] = "采购后多少小时仍无单号算单号丢失（默认 48）/ hours after a purchase without a number before it is a lost number (default 48)"
PUBLIC_SETTINGS["unlinked_sale_hours"] = "付款后多少小时仍未采购算单号丢失（默认 24）/ hours after payment without a linked purchase before it is flagged (default 24)"
DEFAULTS.update({"due_soon_hours": "12", "lost_number_hours": "48", "unlinked_sale_hours": "24"})
INTEGER_SETTINGS.update({"due_soon_hours": (1, 720), "lost_number_hours": (1, 2160), "unlinked_sale_hours": (1, 2160)})
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _invalid(name: str, zh: str, en: str):
    return bad_request("invalid_setting", f"{name} {zh} / {name} {en}", field=name)


def check_value(name: str, value: str) -> str:
    """The value to store for ``name``, or an ``ApiError`` (400 `invalid_setting`) whose
    message is one line, Chinese then English, saying what is accepted."""
    if _CONTROL.search(value):
        raise _invalid(name, "不能包含换行或控制字符", "must not contain line breaks or control characters")
    text = value.strip()
    if name in INTEGER_SETTINGS:
        low, high = INTEGER_SETTINGS[name]
        if not re.fullmatch(r"[0-9]{1,9}", text) or not low <= int(text) <= high:
            raise _invalid(name, f"必须是 {low} 到 {high} 之间的整数，收到 {value!r}",
                           f"must be a whole number from {low} to {high}, got {value!r}")
        return str(int(text))
    if name in BOOLEAN_SETTINGS:
        if text.lower() in _TRUE:
            return "1"
        if text.lower() in _FALSE:
            return "0"
        raise _invalid(name, f"必须是 0 或 1，收到 {value!r}", f"must be 0 or 1, got {value!r}")
    if name in URL_SETTINGS:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in text:
            raise _invalid(name, f"必须是 http:// 或 https:// 开头的网址，收到 {value!r}",
                           f"must be a URL starting with http:// or https://, got {value!r}")
        return text
    if name == "allowed_hosts":
        hosts = [h.strip() for h in text.split(",") if h.strip()]
        bad = [h for h in hosts if not _HOST.match(h)]
        if bad or not hosts:
            raise _invalid(name, f"必须是逗号分隔的主机名（不带 http:// 和端口），收到 {value!r}",
                           f"must be host names separated by commas (no http://, no port), got {value!r}")
        return ",".join(hosts)
    return value


def write_setting(db, name: str, value) -> None:
    if name not in PUBLIC_SETTINGS and name not in SECRET_SETTINGS:
        raise bad_request("unknown_setting", f"未知设置 {name} / Unknown setting {name}", field=name)
    if value is None or value == "":
        delete_setting(db, name)
        return
    # JSON's own numbers and booleans mean what their text would (60 is "60", true is "1").
    if isinstance(value, bool) and name in BOOLEAN_SETTINGS:
        value = "1" if value else "0"
    elif isinstance(value, int) and not isinstance(value, bool) and (name in INTEGER_SETTINGS or name in BOOLEAN_SETTINGS):
        value = str(value)
    if not isinstance(value, str) or len(value) > 500:
        raise bad_request("invalid_setting", f"{name} 必须是字符串（≤500）/ must be a string of at most 500 characters", field=name)
    set_setting(db, name, check_value(name, value))


def describe(db) -> dict:
    stored = all_settings(db)
    result = {name: stored.get(name) for name in PUBLIC_SETTINGS}
    result.update({name: ("set" if stored.get(name) else None) for name in SECRET_SETTINGS})
    return result


def listing(db, environ=None) -> list[tuple[str, str]]:
    """`danhao config list`: one (name, shown value) per known setting, with its default and
    whether an environment variable overrides it. Secrets show only set / not set."""
    import os

    env = os.environ if environ is None else environ
    stored = all_settings(db)
    rows = []
    for name in [*PUBLIC_SETTINGS, *SECRET_SETTINGS]:
        value = stored.get(name)
        default = DEFAULTS.get(name)
        if name in SECRET_SETTINGS:
            shown = "set" if value else "（未设置 / not set）"
        elif value is not None:
            shown = value + (f"  （默认 / default {default}）" if default is not None and value != default else "")
        elif default is not None:
            shown = f"{default}  （默认 / default）"
        else:
            shown = "（未设置 / not set）"
        if name in TRACKING_SETTINGS and env.get("DANHAO_" + name.upper(), "").strip():
            shown += f"  （环境变量 DANHAO_{name.upper()} 优先 / overridden by DANHAO_{name.upper()}）"
        rows.append((name, shown))
    return rows


def raw(db) -> dict:
    """Every known setting with its real value: for the helper's own use (tracking clients)."""
    stored = all_settings(db)
    return {k: v for k, v in stored.items() if k in PUBLIC_SETTINGS or k in SECRET_SETTINGS}
