"""Kdniao (快递鸟) instant query (RequestType 1002) client.

Protocol (reference/tracking-apis.md): POST form (UTF-8) ``RequestData`` (the JSON),
``EBusinessID``, ``RequestType``, ``DataSign``, ``DataType=2``;
``DataSign = base64(md5_hex_lower(RequestData + AppKey))``, URL-encoded on the wire (the
form encoding does that once, as Kdniao's Java demo does). 顺丰 needs ``CustomerName`` =
the last 4 phone digits. Traces come oldest first. Failures come as ``Success: false`` with
a Chinese ``Reason``; Kdniao documents no numeric codes for them, so the reason text is
matched by keyword (fragile by nature; unknown reasons become bad_response with the text).
"""
from __future__ import annotations

import base64
import hashlib
import json

from .errors import ProviderError, scrub
from .http import ProviderHTTP, json_body, require_texts
from .model import (Trace, TraceEvent, destination_from_events, event_stage, parse_place,
                    signer_from, sort_events, status_from_events, to_cn_iso, transfer_from)

NAME = "kdniao"
PATH = "/Ebusiness/EbusinessOrderHandle.aspx"
PHONE_COURIERS = {"SF"}

STATE = {"0": "none", "1": "picked_up", "2": "in_transit", "3": "delivered", "4": "problem",
         "5": "in_transit", "6": "in_transit"}
STATE_EX = {"1": "picked_up", "2": "in_transit", "201": "in_transit", "202": "out_for_delivery",
            "211": "out_for_delivery", "204": "in_transit", "205": "in_transit", "206": "in_transit",
            "3": "delivered", "301": "delivered", "302": "delivered", "304": "delivered",
            "311": "delivered", "4": "problem", "401": "none", "402": "problem", "403": "problem",
            "404": "returned", "405": "problem", "406": "returned", "407": "returned",
            "412": "problem", "5": "in_transit"}
ACTION_STAGE = dict(STATE_EX, **{"401": "problem", "5": "transfer", "0": "info"})
SIGN_TYPE = {"301": "self", "302": "self", "304": "proxy", "311": "locker"}
# Reason keywords → code, checked in order.
REASONS = [(("暂无轨迹", "无轨迹", "没有物流"), "no_result"),
           (("签名", "DataSign", "sign"), "bad_signature"),
           (("频率", "频繁", "太快", "稍后"), "too_frequent"),
           (("次数", "额度", "余额", "套餐", "用完", "上限"), "no_quota"),
           (("EBusinessID", "用户", "商户", "未授权", "权限", "APIKey", "AppKey", "账号"), "bad_key"),
           (("不支持", "ShipperCode", "快递公司编码", "编码错误"), "unsupported_courier"),
           (("CustomerName", "手机", "电话", "后四位"), "phone_required")]


def endpoint(url: str) -> str:
    return url if url.rstrip("/").lower().endswith(".aspx") else url.rstrip("/") + PATH


def make_request_data(shipper: str, number: str, phone: str = "") -> str:
    return json.dumps({"OrderCode": "", "ShipperCode": shipper, "LogisticCode": number,
                       "CustomerName": phone}, ensure_ascii=False, separators=(",", ":"))


def make_sign(request_data: str, app_key: str) -> str:
    """base64 of the lower-case hex MD5 (the form encoding URL-encodes it)."""
    hexdigest = hashlib.md5((request_data + app_key).encode("utf-8")).hexdigest()
    return base64.b64encode(hexdigest.encode("ascii")).decode("ascii")


class KdniaoClient:
    name = NAME

    def __init__(self, url: str, ebusiness_id: str, app_key: str, http: ProviderHTTP):
        self.url = endpoint(url)
        self.ebusiness_id = ebusiness_id
        self._key = app_key
        self.http = http

    def __repr__(self) -> str:
        return f"KdniaoClient(url={self.url!r}, ebusiness_id={self.ebusiness_id!r}, app_key='***')"

    def fetch(self, number: str, code: str, phone_tail: str | None = None) -> Trace:
        if code in PHONE_COURIERS and not phone_tail:
            raise ProviderError(NAME, "phone_required", detail=f"{code} needs CustomerName")
        data = make_request_data(code, number, phone_tail or "")
        resp = self.http.post(self.url, data={"RequestData": data, "EBusinessID": self.ebusiness_id,
                                              "RequestType": "1002",
                                              "DataSign": make_sign(data, self._key),
                                              "DataType": "2"})
        body = json_body(NAME, resp)
        if not isinstance(body, dict):
            raise ProviderError(NAME, "bad_response", detail="not an object")
        return self._parse(body, number)

    def _error(self, body: dict) -> ProviderError:
        reason = scrub(str(body.get("Reason", "")), [self._key])
        for words, code in REASONS:
            if any(w.lower() in reason.lower() for w in words):
                return ProviderError(NAME, code, detail=reason)
        return ProviderError(NAME, "bad_response", detail=reason or "Success=false")

    def _parse(self, body: dict, number: str) -> Trace:
        success = body.get("Success")
        if success is False or str(success).lower() == "false":
            raise self._error(body)
        if success is not True and str(success).lower() != "true":
            raise ProviderError(NAME, "bad_response", detail="missing Success")
        traces = body.get("Traces") or []
        if not isinstance(traces, list):
            raise ProviderError(NAME, "bad_response", detail="bad Traces")
        events = []
        for t in traces:
            if not isinstance(t, dict):
                raise ProviderError(NAME, "bad_response", detail="bad trace")
            require_texts(NAME, t, "AcceptTime", "AcceptStation", "Location", "Action")
            text = str(t.get("AcceptStation", ""))
            events.append(TraceEvent(time=to_cn_iso(t.get("AcceptTime")),
                                     place=str(t.get("Location") or ""), text=text,
                                     stage=event_stage(ACTION_STAGE.get(str(t.get("Action", ""))), text)))
        events = sort_events(events)   # documented oldest first; sorting is harmless
        require_texts(NAME, body, "State", "StateEx", "Location")
        state, state_ex = str(body.get("State", "")), str(body.get("StateEx", ""))
        status = STATE_EX.get(state_ex) or STATE.get(state) or status_from_events(events)
        if status == "none" and [e for e in events if e.stage != "info"]:
            status = status_from_events(events)
        signed_by, sign_type = signer_from(events) if status == "delivered" else (None, None)
        if state_ex in SIGN_TYPE:
            sign_type = SIGN_TYPE[state_ex]
        dest = None
        if state_ex in ("201", "202", "211") or state == "3":
            dest = parse_place(body.get("Location"))
        dest = dest or destination_from_events(events)
        return Trace(number=number, courier=None, provider=NAME, status=status, events=events,
                     destination=dest, signed_by=signed_by, sign_type=sign_type,
                     transfer=transfer_from(events, number),
                     provider_state="/".join(x for x in (state, state_ex) if x) or None)
