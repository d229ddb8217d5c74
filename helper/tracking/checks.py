"""Checks on a trace, before a shipment is filled and while it travels.

They follow the platforms' 虚假发货 rules (reference/platform-rules.md, PDD's as reported):
a number uploaded before any pickup scan; no trace update within 24 h of the upload; a
stall of 24 h after the first event; after leaving the sorting hub no update within 48 h
(normal areas) / 72 h (remote) / 120 h (very remote); a trace going to another
province/city than the buyer's; a parcel signed by someone else; a parcel coming back.

Each check is ``{"code", "level", "message": {"zh", "en"}}`` with level ok | warn |
review | block. A stall that is not yet breached but will be within a few hours is a
``warn`` with the same code, so the seller hears about it in time.
"""
from __future__ import annotations

from datetime import timedelta

from .model import Trace, norm_city, norm_province, parse_time

HUB_LIMIT_H = {"normal": 48, "remote": 72, "very_remote": 120}
AREA_ZH = {"normal": "普通地区", "remote": "偏远地区", "very_remote": "特别偏远地区"}
SOON_H = 6          # warn this many hours before a stall limit is reached
UPLOAD_LIMIT_H = 24
FIRST_EVENT_LIMIT_H = 24


def _check(code: str, level: str, zh: str, en: str) -> dict:
    return {"code": code, "level": level, "message": {"zh": zh, "en": en}}


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _fmt_h(h: float) -> str:
    return f"{h:.0f}" if h >= 10 else f"{h:.1f}"


def _stall(code: str, gap_h: float, limit_h: float, open_gap: bool, zh_what: str, en_what: str) -> dict | None:
    """One stall rule: breached → review; open gap close to the limit → warn."""
    if gap_h >= limit_h:
        return _check(code, "review",
                      f"{zh_what}已 {_fmt_h(gap_h)} 小时无新轨迹（平台规则 {limit_h} 小时），有虚假发货风险",
                      f"No trace update for {_fmt_h(gap_h)} h {en_what} (platform limit {limit_h} h): "
                      f"risk of a fake-shipment penalty")
    if open_gap and limit_h - gap_h <= min(SOON_H, limit_h / 4):
        left = limit_h - gap_h
        return _check(code, "warn",
                      f"{zh_what}已 {_fmt_h(gap_h)} 小时无新轨迹，{_fmt_h(left)} 小时后将超过平台 {limit_h} 小时规则",
                      f"No trace update for {_fmt_h(gap_h)} h {en_what}; the {limit_h} h platform limit "
                      f"is reached in {_fmt_h(left)} h")
    return None


def _place_of(buyer: dict | None) -> tuple[str, str]:
    if not buyer:
        return "", ""
    addr = buyer.get("address") if isinstance(buyer.get("address"), dict) else buyer
    return norm_province(addr.get("province")), norm_city(addr.get("city"))


def _same(a: str, b: str) -> bool:
    return a == b or a.startswith(b) or b.startswith(a)


def destination_check(trace: Trace, buyer: dict | None) -> dict | None:
    bp, bc = _place_of(buyer)
    dest = trace.destination or {}
    tp, tc = norm_province(dest.get("province")), norm_city(dest.get("city"))
    shown = "".join(x for x in (dest.get("province"), dest.get("city")) if x)
    wanted = "".join(x for x in (bp, bc) if x)
    compared = False
    if bp and tp:
        compared = True
        if not _same(bp, tp):
            return _check("destination_mismatch", "review",
                          f"轨迹目的地（{shown}）与买家地址（{wanted}）省份不一致",
                          f"The trace goes to {shown}, not the buyer's province ({wanted})")
    if bc and tc:
        compared = True
        if not _same(bc, tc):
            return _check("destination_mismatch", "review",
                          f"轨迹目的地（{shown}）与买家地址（{wanted}）城市不一致",
                          f"The trace goes to {shown}, not the buyer's city ({wanted})")
    if compared:
        return _check("destination_match", "ok", f"轨迹目的地与买家地址一致（{shown}）",
                      f"The trace destination matches the buyer's address ({shown})")
    return None


def trace_checks(trace: Trace, *, buyer: dict | None, uploaded_at: str | None, now: str,
                 area: str = "normal", allow_no_pickup: bool = False) -> list[dict]:
    if area not in HUB_LIMIT_H:
        raise ValueError(f"area must be one of {sorted(HUB_LIMIT_H)}")
    now_dt = parse_time(now)
    if now_dt is None:
        raise ValueError("now must be an ISO 8601 time")
    upload_dt = parse_time(uploaded_at)
    out: list[dict] = []

    if trace.status == "returned":
        out.append(_check("returned", "block", "包裹正在退回或已退回寄件人，请立即核实订单",
                          "The parcel is being returned to the sender: check the order now"))
    elif trace.status == "delivered":
        out.append(_check("delivered", "ok", "包裹已签收", "The parcel was delivered"))
        if trace.sign_type in ("proxy", "locker"):
            who = f"（{trace.signed_by}）" if trace.signed_by else ""
            zh = (f"包裹由他人代签{who}，请确认买家已收到" if trace.sign_type == "proxy"
                  else f"包裹放入驿站或快递柜{who}签收，请确认买家已取件")
            en = ("Signed for by someone other than the buyer" if trace.sign_type == "proxy"
                  else "Left at a parcel station or locker") + (f" ({trace.signed_by})" if trace.signed_by else "")
            out.append(_check("signed_by_other", "warn", zh, en + ": make sure the buyer has it"))
    elif trace.status == "problem":
        out.append(_check("trace_problem", "review", "轨迹显示疑难件或派送异常，请联系快递核实",
                          "The trace shows a problem (exception, refusal, delay): check with the courier"))

    if trace.transfer and trace.transfer.get("number"):
        t = trace.transfer
        out.append(_check("transfer", "warn",
                          f"快递显示本单已转投 {t.get('courier') or ''} 单号 {t['number']}，请确认平台上传的单号",
                          f"The courier handed this parcel on as {t.get('courier') or ''} {t['number']}: "
                          f"check which number the platform should have"))

    physical = [(parse_time(e.time), e) for e in trace.physical_events]
    physical = [(t, e) for t, e in physical if t is not None]
    finished = trace.status in ("delivered", "returned")

    # 1. a pickup scan must exist
    if not physical and trace.status in ("none",):
        level = "warn" if allow_no_pickup else "review"
        out.append(_check("no_pickup", level, "还没有揽收扫描，此时上传单号有虚假发货风险",
                          "No pickup scan yet: uploading this number now risks a fake-shipment penalty"))
    elif physical:
        out.append(_check("picked_up", "ok", "已有揽收扫描", "The courier has scanned the parcel"))

    if finished:
        dest = destination_check(trace, buyer)
        return out + ([dest] if dest else [])

    # 2. a trace update within 24 h of the upload
    if upload_dt is not None and now_dt >= upload_dt:
        after = [t for t, _ in physical if t >= upload_dt]
        if not after:
            c = _stall("no_update_after_upload", _hours(now_dt - upload_dt), UPLOAD_LIMIT_H, True,
                       "上传单号后", "since the number was uploaded")
            if c:
                out.append(c)

    # 3. the next update within 24 h of the first event
    if physical:
        first = physical[0][0]
        later = [t for t, _ in physical if t > first]
        end, open_gap = (later[0], False) if later else (now_dt, True)
        c = _stall("stall_after_first_event", _hours(end - first), FIRST_EVENT_LIMIT_H, open_gap,
                   "首条轨迹后", "after the first scan")
        if c:
            out.append(c)

    # 4. after leaving the sorting hub, an update within 48 / 72 / 120 h by area
    hub_i = next((i for i, (_, e) in enumerate(physical) if e.stage == "departed_hub"), None)
    if hub_i is not None:
        times = [t for t, _ in physical[hub_i:]] + [now_dt]
        gaps = [(times[i + 1] - times[i], i + 1 == len(times) - 1) for i in range(len(times) - 1)]
        gap, open_gap = max(gaps, key=lambda g: g[0])
        if not open_gap:   # the open gap may still be the one about to breach
            gap_open = gaps[-1][0]
            if _hours(gap) < HUB_LIMIT_H[area]:
                gap, open_gap = gap_open, True
        limit = HUB_LIMIT_H[area]
        c = _stall("stall_after_hub", _hours(gap), limit, open_gap,
                   f"离开分拨中心后（{AREA_ZH[area]}）", f"after leaving the sorting hub ({area.replace('_', ' ')} area)")
        if c:
            out.append(c)

    dest = destination_check(trace, buyer)
    if dest:
        out.append(dest)
    return out
