"""Courier id → each provider's own courier code.

The courier data (``helper/couriers``) is the source of truth; this module asks it first
and falls back to a small table copied from ``reference/couriers.md`` only while that
module is not available (it is being written in parallel). 17TRACK codes are not in the
reference: only China Post (3011, the reference's own example) is listed; for every other
courier the 17TRACK client lets 17TRACK detect the carrier.
"""
from __future__ import annotations

_FALLBACK: dict[str, dict[str, str]] = {
    "kuaidi100": {
        "sf": "shunfeng", "zto": "zhongtong", "yto": "yuantong", "sto": "shentong",
        "yunda": "yunda", "jt": "jtexpress", "jd": "jd", "ems": "ems",
        "chinapost": "youzhengguonei", "best": "huitongkuaidi", "deppon": "debangkuaidi",
        "fengwang": "fengwang", "zhongyou": "zhongyouex", "zjs": "zhaijisong",
        "danniao": "danniao", "tiantian": "tiantian",
    },
    "kdniao": {
        "sf": "SF", "zto": "ZTO", "yto": "YTO", "sto": "STO", "yunda": "YD", "jt": "JTSD",
        "jd": "JD", "ems": "EMS", "chinapost": "YZPY", "best": "HTKY", "deppon": "DBL",
        "fengwang": "FWX", "zhongyou": "ZYE", "zjs": "ZJS", "tiantian": "HHTT",
    },
    "17track": {"chinapost": "3011"},
}


def _real_lookup():
    try:
        from helper.couriers import platform_code  # type: ignore
    except Exception:   # module absent or half-written: use the fallback
        return None
    return platform_code


def provider_code(courier_id: str | None, provider: str) -> str | None:
    """The provider's code for a courier, or None when it has none."""
    if not courier_id:
        return None
    lookup = _real_lookup()
    if lookup is not None:
        try:
            code = lookup(courier_id, provider)
        except Exception:
            code = None
        if code not in (None, "", "?", "—", "-"):
            return str(code)
        if provider != "17track":
            return None
    return _FALLBACK.get(provider, {}).get(courier_id)
