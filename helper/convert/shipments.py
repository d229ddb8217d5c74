"""Decide, for one sales order and its purchase order, the shipments to fill.

One shipment per tracking number the purchase order carries. Each decision is a check
(``helper.convert.checks``); the status follows from the worst level: ``blocked`` (never
filled), ``review`` (a person decides), ``ready``. The caller (``helper/conversion.py``)
assigns the shipment id and stores the result; this module is pure.

Decisions, in the order they appear in ``checks``:
- no package / no number (未发货, 暂无) → block ``no_tracking``; only non-numbers (a phone, an
  order id, a masked number) → block ``not_a_tracking_number``;
- scientific notation (Excel ate the digits) → block ``sci_notation``;
- a published check digit fails → block ``invalid_format``; a number that fits no known
  format (and no plausible shape of the named courier) → review ``format_unrecognised``
  (``blocked`` is only for what is surely wrong); a plausible shape for the courier the
  supplier names but no known pattern → review ``courier_format_unusual``;
  courier text contradicting the format → review ``courier_conflict``; best confidence < 0.9
  → review ``courier_ambiguous``;
- the form does not offer the courier → block ``courier_not_offered``; several labels stand
  for it → block ``courier_option_ambiguous`` (labels shown); platform code unknown but the
  option found → warn ``platform_code_unknown``;
- the same number on another order of a different buyer: neither uploaded → review
  ``number_reused`` on both, each naming the other order; the other one already uploaded →
  block ``number_reused`` (it keeps the number); this one already uploaded → warn
  ``number_reused_kept``; same buyer → review ``number_reused_same_buyer``, can't tell →
  review. ``number_uses(number)`` gives ``[{"site", "order_id", "buyer", "uploaded",
  "self"?}]``; an entry with ``self: True`` says this order's own upload;
- the sales order already carries another number (or is already shipped) → review
  ``order_has_other_number``;
- ship-to ≠ buyer → review (``compare_addresses``);
- 顺丰 / 中通: ``phone_tail`` records whether a phone tail is known (trace queries need it);
- ship-by passed → warn ``ship_by_passed``; within 6 h → warn ``ship_by_soon``.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Callable

from helper import clock, couriers
from helper.convert.address import compare_addresses, phone_tail, same_person
from helper.convert.checks import check, status_of
from helper.convert.identify import Detection, detect
from helper.convert.normalize import Parsed, fold_number, normalize_field
from helper.convert.options import match_option

CONFIDENT = 0.9
SHIP_BY_SOON = timedelta(hours=6)
CN_TZ = timezone(timedelta(hours=8))
SHIPPED_STATUSES = {"已发货", "已签收", "待收货", "已收货", "交易成功", "已完成", "卖家已发货", "等待买家收货"}
_REJECT_ZH = {"phone_number": "手机号", "order_id": "订单号", "masked_number": "打码的单号",
              "too_short": "过短的数字", "too_long": "过长的字符", "not_a_number": "非单号文字",
              "sci_notation": "科学计数法"}


def _parse_time(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=CN_TZ)   # pages show Beijing time


def _packages(purchase_order: dict, order_ids: list[str]):
    """(courier_text, Parsed) per distinct main number, plus the rejected chunks."""
    found: dict[str, tuple[str | None, Parsed]] = {}
    rejected: list[tuple[str, str]] = []
    for pkg in purchase_order.get("packages") or []:
        if isinstance(pkg, str):
            pkg = {"tracking": pkg}
        if not isinstance(pkg, dict):
            continue
        text = pkg.get("courier_text") or pkg.get("courier") or None
        result = normalize_field(pkg.get("tracking") or pkg.get("number") or "", order_ids=order_ids)
        rejected.extend(result.rejected)
        for p in result.numbers:
            if p.number in found:
                prev = found[p.number][1]
                prev.pieces.extend(x for x in p.pieces if x not in prev.pieces)
            else:
                found[p.number] = (text, p)
    return list(found.values()), rejected


def _short(name: str) -> str:
    """中通快递 → 中通, 顺丰速运 → 顺丰 (as sellers say it); EMS stays EMS."""
    short = re.sub(r"(快递|速递|速运|物流)$", "", name)
    return short if len(short) >= 2 else name


def _courier_checks(det: Detection) -> list[dict]:
    out = []
    if det.courier_text and det.hint_courier is None:
        out.append(check("courier_text_unknown", "warn", f"无法识别供应商物流公司“{det.courier_text}”，仅按单号判断",
                         f"Supplier courier text '{det.courier_text}' not recognised; judged by the number only"))
    best = det.best
    if best is None:
        out.append(check("format_unrecognised", "review", "无法识别单号格式，请核对后手动发货",
                         "Tracking number format not recognised; check it and ship by hand"))
        return out
    if not det.valid and det.check_failed:
        out.append(check("invalid_format", "block", f"单号校验位错误，不是有效的{best.name}单号",
                         f"Check digit fails: not a valid {best.courier} number"))
        return out
    if not det.valid:
        out.append(check("format_unrecognised", "review", f"单号格式无法识别（不像{best.name}的单号），请核对",
                         f"Number format not recognised (does not look like {best.courier}); please check"))
        return out
    if det.unusual:
        out.append(check("courier_format_unusual", "review",
                         f"{_short(best.name)}单号格式少见：{(det.number or '')[:2]}…，请核对",
                         f"Unusual {best.courier} number format: {(det.number or '')[:2]}…; please check"))
        return out
    if det.conflict:
        hinted = couriers.get(det.hint_courier).name_zh if det.hint_courier else det.courier_text
        out.append(check("courier_conflict", "review",
                         f"供应商写的是“{hinted}”，但单号格式像{best.name}，请人工确认",
                         f"Supplier says {det.hint_courier}, but the number looks like {best.courier}"))
    elif best.confidence < CONFIDENT:
        names = "、".join(c.name for c in det.candidates[:4])
        out.append(check("courier_ambiguous", "review", f"无法确定物流公司（可能是：{names}），请人工确认",
                         "Courier is ambiguous (" + ", ".join(c.courier for c in det.candidates[:4]) + ")"))
    else:
        out.append(check("courier_identified", "ok", f"物流公司：{best.name}",
                         f"Courier identified: {best.courier} ({best.confidence:.2f})"))
    return out


def _target(cid: str, options: list[str] | None, platform: str | None) -> tuple[dict, list[dict]]:
    c = couriers.get(cid)
    if platform is None:
        return {"code": None, "option": None}, [check("platform_unknown", "warn", "未知的销售平台，无法映射物流编码",
                                                     "Unknown selling platform: no courier code mapping")]
    if options is not None:
        m = match_option(cid, options, platform)
        if m.reason == "courier_option_ambiguous":
            labels = "、".join(m.labels)
            return {"code": None, "option": None}, [check(
                "courier_option_ambiguous", "block", f"发货页面有多个“{c.name_zh}”选项（{labels}），请人工选择",
                f"The shipping form has several options for {cid} ({', '.join(m.labels)}); choose by hand")]
        if m.option is None:
            return {"code": None, "option": None}, [check(
                "courier_not_offered", "block", f"发货页面没有“{c.name_zh}”这个物流公司选项，不能用相近选项代替",
                f"The shipping form does not offer {cid}; a near match is never used")]
        code = couriers.platform_code(m.courier, platform)
        checks = []
        if m.via == "successor":
            succ = couriers.get(m.courier)
            checks.append(check("courier_successor", "warn", f"{c.name_zh}已并入{succ.name_zh}，按“{m.option}”发货",
                                f"{cid} merged into {m.courier}; shipping as '{m.option}'"))
        if code is None:
            checks.append(check("platform_code_unknown", "warn", "平台物流编码未知，按页面选项发货",
                                "Platform courier code unknown; the form option is used"))
        return {"code": code, "option": m.option}, checks
    code = couriers.platform_code(cid, platform)
    if code is None and c.successor:
        code = couriers.platform_code(c.successor, platform)
    if code is None:
        return {"code": None, "option": None}, [check("platform_code_unknown", "review",
                                                     "平台物流编码未知且没有页面选项，请人工选择物流公司",
                                                     "Platform courier code unknown and no form options given")]
    return {"code": code, "option": None}, []


def _reuse_checks(number: str, site: str, order_id: str, buyer: dict | None,
                  number_uses: Callable[[str], list[dict]]) -> list[dict]:
    out = []
    uses = number_uses(number) or []
    mine_uploaded = any(u.get("uploaded") for u in uses
                        if u.get("self") or (u.get("site") == site and u.get("order_id") == order_id))
    for use in uses:
        if use.get("self") or (use.get("site") == site and use.get("order_id") == order_id):
            continue
        other = use.get("order_id")
        same = same_person(buyer, use.get("buyer"))
        if same is False and use.get("uploaded"):
            out.append(check("number_reused", "block", f"同一单号已上传给其他买家的订单 {other}（虚假发货风险），不能再用",
                             f"Number already uploaded for order {other} of another buyer (fake-shipment risk)"))
        elif same is False and mine_uploaded:
            out.append(check("number_reused_kept", "warn", f"本订单已上传此单号；其他买家的订单 {other} 也带有它，将被拦下",
                             f"This order already uploaded the number; order {other} of another buyer carries it too "
                             "and will be blocked"))
        elif same is False:
            out.append(check("number_reused", "review", f"同一单号也在其他买家的订单 {other} 上，两单都需人工确认",
                             f"The same number is on order {other} of another buyer: both held for a person"))
        elif same is True:
            out.append(check("number_reused_same_buyer", "review", f"同一单号也用于同一买家的订单 {other}（合并发货？）",
                             f"Number also used for order {other} of the same buyer (combined parcel?)"))
        else:
            out.append(check("number_reused_unknown_buyer", "review", f"同一单号也用于订单 {other}，无法确认是否同一买家",
                             f"Number also used for order {other}; cannot tell whether it is the same buyer"))
    return out


def _order_checks(number: str, sales_order: dict) -> list[dict]:
    shipped = sales_order.get("shipped_number")
    if shipped:
        if fold_number(shipped) == number:
            return [check("already_shipped", "warn", "订单已用此单号发货", "Order already shipped with this number")]
        return [check("order_has_other_number", "review", "订单已有另一个运单号，请确认是否需要修改",
                      "Order already carries a different tracking number")]
    if sales_order.get("status") in SHIPPED_STATUSES:
        return [check("order_has_other_number", "review", f"订单状态为“{sales_order.get('status')}”，可能已发货",
                      "Order is already marked shipped")]
    return []


def _phone_check(cid: str, sales_order: dict, purchase_order: dict) -> list[dict]:
    c = couriers.get(cid)
    if not c.needs_phone:
        return []
    buyer = sales_order.get("buyer") or {}
    ship_to = purchase_order.get("ship_to") or {}
    if phone_tail(buyer.get("phone")) or phone_tail(ship_to.get("phone")):
        return [check("phone_tail", "ok", f"已知收件人手机尾号（{c.name_zh}查询轨迹需要）",
                      f"Recipient phone tail known ({cid} trace queries need it)")]
    return [check("phone_tail", "warn", f"未知收件人手机尾号，{c.name_zh}轨迹查询可能失败",
                  f"Recipient phone tail unknown; {cid} trace queries may fail")]


def _ship_by_checks(sales_order: dict, now: datetime) -> list[dict]:
    ship_by = _parse_time(sales_order.get("ship_by"))
    if ship_by is None:
        return []
    if ship_by <= now:
        return [check("ship_by_passed", "warn", "已超过承诺发货时间", "Ship-by deadline has passed")]
    if ship_by - now <= SHIP_BY_SOON:
        return [check("ship_by_soon", "warn", "距承诺发货时间不足 6 小时", "Ship-by deadline within 6 hours")]
    return []


def build_shipments(site: str, sales_order: dict, purchase_order: dict | None, options: list[str] | None,
                    number_uses: Callable[[str], list[dict]], *, now: datetime | None = None) -> list[dict]:
    """Shipments (without ``shipment_id``) for one sales order and its purchase order."""
    if not purchase_order:
        return []
    now = now or clock.now_dt()
    order_id = sales_order.get("order_id")
    platform = couriers.platform_of(site)
    source = {"site": purchase_order.get("site", "alibaba-buyer"), "order_id": purchase_order.get("order_id")}
    buyer = sales_order.get("buyer")
    base_checks_time = _ship_by_checks(sales_order, now)

    def shell(number, checks, courier=None, target=None, candidates=(), pieces=()):
        return {"site": site, "order_id": order_id, "number": number, "courier": courier,
                "target": target or {"code": None, "option": None}, "status": status_of(checks), "checks": checks,
                "candidates": list(candidates), "pieces": list(pieces), "source": dict(source)}

    found, rejected = _packages(purchase_order, [order_id, purchase_order.get("order_id")])
    if not found:
        odd = [(raw, reason) for raw, reason in rejected if reason != "not_a_number"]
        if odd:
            what = "、".join(_REJECT_ZH.get(r, r) for _, r in odd)
            checks = [check("not_a_tracking_number", "block", f"运单号栏里不是运单号（{what}），不能发货",
                            "The tracking field holds no tracking number (" + ", ".join(r for _, r in odd) + ")")]
            if any(r == "sci_notation" for _, r in odd):
                checks.insert(0, check("sci_notation", "block", "单号被 Excel 改成了科学计数法，请从供应商页面重新复制",
                                       "Excel turned the number into scientific notation: copy it again from the "
                                       "supplier's page"))
        else:
            checks = [check("no_tracking", "block", "供应商未发货或暂无单号", "Supplier has not shipped yet: no tracking number")]
        return [shell(None, checks + base_checks_time)]

    shipments = []
    for courier_text, parsed in found:
        det = detect(parsed.number, courier_text)
        checks = _courier_checks(det)
        if any(r != "not_a_number" for _, r in rejected):
            checks.append(check("tracking_part_rejected", "warn", "运单号栏中有部分内容不是单号，已忽略",
                                "Part of the tracking field is not a tracking number and was ignored"))
        best = det.best
        courier = target = None
        if best is not None:
            courier = {"id": best.courier, "name": best.name, "confidence": best.confidence}
            target, target_checks = _target(best.courier, options, platform)
            checks += target_checks
        checks += _reuse_checks(parsed.number, site, order_id, buyer, number_uses)
        checks += _order_checks(parsed.number, sales_order)
        checks += compare_addresses(buyer, purchase_order.get("ship_to"))
        if best is not None:
            checks += _phone_check(best.courier, sales_order, purchase_order)
        checks += base_checks_time
        if parsed.pieces:
            checks.append(check("pieces", "ok", f"子母件/多件：{len(parsed.pieces)} 个子单",
                                f"Multi-piece shipment: {len(parsed.pieces)} piece(s)"))
        shipments.append(shell(parsed.number, checks, courier, target,
                               [c.to_json() for c in det.candidates], parsed.pieces))
    return shipments


__all__ = ["build_shipments", "CONFIDENT", "SHIP_BY_SOON"]
