"""17TRACK API v2.2 client (register + gettrackinfo).

Protocol (reference/tracking-apis.md, from public clients): POST JSON arrays to
``{base}/register`` and ``{base}/gettrackinfo`` with header ``17token``. A number must be
registered before 17TRACK tracks it, so the client asks ``gettrackinfo`` first (free when
already registered) and registers only on -18019902 "not registered". A missing courier
code is fine: 17TRACK detects the carrier itself.
"""
from __future__ import annotations

from .errors import ProviderError, scrub
from .http import ProviderHTTP, json_body, require_texts
from .model import (Trace, TraceEvent, destination_from_events, event_stage, parse_place,
                    signer_from, sort_events, status_from_events, to_cn_iso, transfer_from)

NAME = "17track"
ERRORS = {-18010002: "bad_key", -18010012: "bad_response", -18010014: "bad_response",
          -18019903: "unsupported_courier", -18019907: "no_quota", -18019908: "no_quota",
          -18019909: "no_result", -18010013: "bad_response", -18010011: "bad_response",
          -18010001: "bad_key", -18010003: "bad_key", -18010004: "bad_key",
          -18010204: "too_frequent"}
NOT_REGISTERED, ALREADY_REGISTERED = -18019902, -18019901

STATUS = {"NotFound": "none", "InfoReceived": "none", "InTransit": "in_transit",
          "Expired": "problem", "AvailableForPickup": "out_for_delivery",
          "OutForDelivery": "out_for_delivery", "DeliveryFailure": "problem",
          "Delivered": "delivered", "Exception": "problem"}
SUB_STATUS = {"InTransit_PickedUp": "picked_up", "Exception_Returning": "returned",
              "Exception_Returned": "returned"}
STAGE = {"InfoReceived": "info", "PickedUp": "picked_up", "Departure": "in_transit",
         "Arrival": "in_transit", "AvailableForPickup": "out_for_delivery",
         "OutForDelivery": "out_for_delivery", "DeliveryFailure": "problem",
         "Delivered": "delivered", "Returning": "returned", "Returned": "returned",
         "Exception": "problem"}


def base(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/v2.2") else url + "/track/v2.2"


class Track17Client:
    name = NAME

    def __init__(self, url: str, token: str, http: ProviderHTTP):
        self.base = base(url)
        self._token = token
        self.http = http

    def __repr__(self) -> str:
        return f"Track17Client(url={self.base!r}, token='***')"

    def _call(self, op: str, items: list[dict]) -> dict:
        resp = self.http.post(f"{self.base}/{op}", json=items,
                              headers={"17token": self._token, "Content-Type": "application/json"})
        body = json_body(NAME, resp)
        if not isinstance(body, dict):
            raise ProviderError(NAME, "bad_response", detail="not an object")
        code = body.get("code")
        if code != 0:
            errors = (body.get("data") or {}).get("errors") if isinstance(body.get("data"), dict) else None
            err = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
            raise self._error(err.get("code", code), err.get("message", body.get("message", "")))
        data = body.get("data")
        if not isinstance(data, dict):
            raise ProviderError(NAME, "bad_response", detail="missing data")
        return data

    def _error(self, code, message) -> ProviderError:
        try:
            code = int(code)
        except (TypeError, ValueError):
            return ProviderError(NAME, "bad_response", detail=scrub(str(message), [self._token]))
        return ProviderError(NAME, ERRORS.get(code, "bad_response"),
                             detail=scrub(f"{code} {message}".strip(), [self._token]))

    @staticmethod
    def _find(data: dict, number: str) -> tuple[dict | None, dict | None]:
        for item in data.get("accepted") or []:
            if isinstance(item, dict) and str(item.get("number", "")).upper() == number.upper():
                return item, None
        for item in data.get("rejected") or []:
            if isinstance(item, dict) and str(item.get("number", "")).upper() == number.upper():
                return None, item.get("error") or {}
        return None, None

    def fetch(self, number: str, code: str | None, phone_tail: str | None = None) -> Trace:
        item = {"number": number}
        if code:
            item["carrier"] = int(code) if str(code).isdigit() else code
        accepted, error = self._find(self._call("gettrackinfo", [item]), number)
        if error is not None and error.get("code") == NOT_REGISTERED:
            reg_ok, reg_err = self._find(self._call("register", [item]), number)
            if reg_err is not None and reg_err.get("code") != ALREADY_REGISTERED:
                raise self._error(reg_err.get("code"), reg_err.get("message", ""))
            accepted, error = self._find(self._call("gettrackinfo", [item]), number)
            if error is not None and error.get("code") == NOT_REGISTERED:
                raise ProviderError(NAME, "no_result", detail="registered, not tracked yet")
        if error is not None:
            raise self._error(error.get("code"), error.get("message", ""))
        if accepted is None:
            raise ProviderError(NAME, "bad_response", detail="number missing from answer")
        return self._parse(accepted, number)

    def _parse(self, item: dict, number: str) -> Trace:
        info = item.get("track_info")
        if info is None:
            raise ProviderError(NAME, "no_result", detail="no track_info yet")
        if not isinstance(info, dict):
            raise ProviderError(NAME, "bad_response", detail="bad track_info")
        events = []
        tracking, latest = info.get("tracking") or {}, info.get("latest_status") or {}
        if not isinstance(tracking, dict) or not isinstance(latest, dict):
            raise ProviderError(NAME, "bad_response", detail="bad tracking/latest_status")
        require_texts(NAME, latest, "status", "sub_status")
        providers = tracking.get("providers") or []
        if not isinstance(providers, list) or not all(isinstance(p, dict) or p is None for p in providers):
            raise ProviderError(NAME, "bad_response", detail="bad providers")
        for prov in providers:   # first-mile and last-mile carriers, each newest first
            evs = (prov or {}).get("events") or []
            if not isinstance(evs, list):
                raise ProviderError(NAME, "bad_response", detail="bad events")
            for ev in evs:
                if not isinstance(ev, dict):
                    raise ProviderError(NAME, "bad_response", detail="bad event")
                require_texts(NAME, ev, "description", "time_iso", "time_utc", "stage")
                text = str(ev.get("description", ""))
                loc = ev.get("location")
                if isinstance(loc, dict):
                    loc = ", ".join(str(v) for v in (loc.get("city"), loc.get("state")) if v)
                events.append(TraceEvent(time=to_cn_iso(ev.get("time_iso") or ev.get("time_utc")),
                                         place=str(loc or ""), text=text,
                                         stage=event_stage(STAGE.get(str(ev.get("stage") or "")), text)))
        events.reverse()
        events = sort_events(events)
        st, sub = str(latest.get("status", "")), str(latest.get("sub_status", ""))
        status = SUB_STATUS.get(sub) or STATUS.get(st) or status_from_events(events)
        if status == "none" and [e for e in events if e.stage != "info"]:
            status = status_from_events(events)
        signed_by, sign_type = signer_from(events) if status == "delivered" else (None, None)
        dest = None
        ship = info.get("shipping_info") or {}
        addr = (ship.get("recipient_address") or {}) if isinstance(ship, dict) else {}
        if isinstance(addr, dict) and (addr.get("state") or addr.get("city")):
            dest = parse_place(",".join(str(addr.get(k) or "") for k in ("state", "city")))
        dest = dest or destination_from_events(events)
        return Trace(number=number, courier=None, provider=NAME, status=status, events=events,
                     destination=dest, signed_by=signed_by, sign_type=sign_type,
                     transfer=transfer_from(events, number),
                     provider_state="/".join(x for x in (st, sub) if x) or None)
