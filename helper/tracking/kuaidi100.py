"""Kuaidi100 (快递100) real-time query client.

Protocol (reference/tracking-apis.md): POST form ``customer``, ``sign``, ``param`` where
``param`` is a JSON string and ``sign = MD5(param + key + customer)`` in upper-case hex over
the exact string sent. 顺丰 and 中通 need the phone (last 4 digits accepted). Answers are
newest first; business failures come as ``{"result": false, "returnCode": ...}``.
"""
from __future__ import annotations

import hashlib
import json

from .errors import ProviderError, scrub
from .http import ProviderHTTP, json_body, require_texts
from .model import (Trace, TraceEvent, destination_from_events, event_stage, parse_place,
                    signer_from, sort_events, status_from_events, to_cn_iso, transfer_from)

NAME = "kuaidi100"
PATH = "/poll/query.do"
PHONE_COURIERS = {"shunfeng", "zhongtong", "shunfengkuaiyun", "zhongtongkuaiyun"}

# Top-level ``state`` (resultv2=1) and the finer resultv2=4 codes → trace status.
STATE = {"0": "in_transit", "1": "picked_up", "2": "problem", "3": "delivered", "4": "returned",
         "5": "out_for_delivery", "6": "returned", "7": "in_transit", "8": "in_transit",
         "10": "in_transit", "11": "in_transit", "12": "in_transit", "13": "in_transit",
         "14": "problem",
         "101": "none", "102": "none", "103": "picked_up", "1001": "in_transit",
         "1002": "in_transit", "1003": "in_transit", "501": "out_for_delivery",
         "301": "delivered", "302": "delivered", "303": "delivered", "304": "delivered",
         "401": "problem"}
SIGN_TYPE = {"301": "self", "302": "self", "303": "proxy", "304": "locker"}
# Per-event ``status`` words → stage.
EVENT_STATUS = {"在途": "in_transit", "揽收": "picked_up", "疑难": "problem", "签收": "delivered",
                "退签": "returned", "派件": "out_for_delivery", "退回": "returned",
                "转投": "transfer", "清关": "in_transit", "拒签": "problem",
                "已下单": "info", "待揽收": "info", "已揽收": "picked_up",
                "干线": "in_transit", "到达派件城市": "in_transit", "转递": "transfer",
                "投柜或驿站": "out_for_delivery", "本人签收": "delivered", "代签": "delivered",
                "投柜或站签收": "delivered", "派件异常后签收": "delivered", "已销单": "problem"}
ERRORS = {"400": "unsupported_courier", "408": "phone_required", "500": "no_result",
          "503": "bad_signature", "504": "too_frequent", "501": "server_error",
          "502": "server_error"}


def endpoint(url: str) -> str:
    return url if url.rstrip("/").endswith(".do") else url.rstrip("/") + PATH


def make_param(com: str, number: str, phone: str = "") -> str:
    return json.dumps({"com": com, "num": number, "phone": phone, "from": "", "to": "",
                       "resultv2": "1", "show": "0", "order": "desc"},
                      ensure_ascii=False, separators=(",", ":"))


def make_sign(param: str, key: str, customer: str) -> str:
    return hashlib.md5((param + key + customer).encode("utf-8")).hexdigest().upper()


class Kuaidi100Client:
    name = NAME

    def __init__(self, url: str, customer: str, key: str, http: ProviderHTTP):
        self.url = endpoint(url)
        self.customer = customer
        self._key = key
        self.http = http

    def __repr__(self) -> str:
        return f"Kuaidi100Client(url={self.url!r}, customer={self.customer!r}, key='***')"

    def fetch(self, number: str, code: str, phone_tail: str | None = None) -> Trace:
        if code in PHONE_COURIERS and not phone_tail:
            raise ProviderError(NAME, "phone_required", detail=f"{code} needs a phone tail")
        param = make_param(code, number, phone_tail or "")
        resp = self.http.post(self.url, data={"customer": self.customer,
                                              "sign": make_sign(param, self._key, self.customer),
                                              "param": param})
        body = json_body(NAME, resp)
        if not isinstance(body, dict):
            raise ProviderError(NAME, "bad_response", detail="not an object")
        return self._parse(body, number)

    def _error(self, body: dict) -> ProviderError:
        rc = str(body.get("returnCode", ""))
        msg = scrub(str(body.get("message", "")), [self._key])
        code = ERRORS.get(rc)
        if rc == "601":   # "key expired" and "balance used up" share 601
            code = "no_quota" if any(w in msg for w in ("余额", "额度", "次数", "quota", "不足")) else "bad_key"
        return ProviderError(NAME, code or "bad_response", detail=f"{rc} {msg}".strip())

    def _parse(self, body: dict, number: str) -> Trace:
        if body.get("result") is False or ("returnCode" in body and str(body.get("returnCode")) != "200"):
            raise self._error(body)
        if str(body.get("status", "")) != "200" or not isinstance(body.get("data"), list):
            raise ProviderError(NAME, "bad_response", detail="missing status/data")
        events = []
        for item in body["data"]:
            if not isinstance(item, dict):
                raise ProviderError(NAME, "bad_response", detail="bad event")
            require_texts(NAME, item, "context", "ftime", "time", "areaName", "location", "status")
            text = str(item.get("context", ""))
            events.append(TraceEvent(time=to_cn_iso(item.get("ftime") or item.get("time")),
                                     place=str(item.get("areaName") or item.get("location") or ""),
                                     text=text,
                                     stage=event_stage(EVENT_STATUS.get(str(item.get("status", ""))), text)))
        events.reverse()           # asked with order=desc: newest first → oldest first
        events = sort_events(events)
        state = str(body.get("state", ""))
        status = STATE.get(state)
        if status is None:
            status = status_from_events(events)
        if status == "picked_up" and not [e for e in events if e.stage != "info"]:
            status = "none"        # "揽收" family but only order-data events so far
        signed_by, sign_type = signer_from(events) if status == "delivered" else (None, None)
        if state in SIGN_TYPE:
            sign_type = SIGN_TYPE[state]
        dest = None
        route = body.get("routeInfo")
        if isinstance(route, dict) and isinstance(route.get("to"), dict):
            dest = parse_place(route["to"].get("name"))
        dest = dest or destination_from_events(events)
        return Trace(number=number, courier=None, provider=NAME, status=status, events=events,
                     destination=dest, signed_by=signed_by, sign_type=sign_type,
                     transfer=transfer_from(events, number), provider_state=state or None)
