"""Helper settings kept in the database (`danhao config set`, PUT /api/v1/settings).

Secret values (provider keys) are write-only through the API: they are reported as set or
not set, never echoed. Environment variables, where a caller reads them, win.

`MACHINE_ONLY` settings redirect a secret (a provider URL receives that provider's key) or
widen who may connect (`allowed_hosts`): they belong to the person at the machine and are
changed with `danhao config set` only, never through `PUT /api/v1/settings`.
"""

from __future__ import annotations

from .errors import bad_request
from .store import all_settings, delete_setting, set_setting

PUBLIC_SETTINGS = {
    "operator": "默认操作员名 / default operator name",
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


def write_setting(db, name: str, value) -> None:
    if name not in PUBLIC_SETTINGS and name not in SECRET_SETTINGS:
        raise bad_request("unknown_setting", f"未知设置 {name} / Unknown setting", field=name)
    if value is None or value == "":
        delete_setting(db, name)
        return
    if not isinstance(value, str) or len(value) > 500:
        raise bad_request("invalid_setting", f"{name} 必须是字符串（≤500）/ must be a string of at most 500 characters", field=name)
    set_setting(db, name, value)


def describe(db) -> dict:
    stored = all_settings(db)
    result = {name: stored.get(name) for name in PUBLIC_SETTINGS}
    result.update({name: ("set" if stored.get(name) else None) for name in SECRET_SETTINGS})
    return result


def raw(db) -> dict:
    """Every known setting with its real value: for the helper's own use (tracking clients)."""
    stored = all_settings(db)
    return {k: v for k, v in stored.items() if k in PUBLIC_SETTINGS or k in SECRET_SETTINGS}
