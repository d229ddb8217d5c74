"""Fake Kuaidi100, Kdniao and 17TRACK servers: real HTTP on 127.0.0.1, free port.

Each fake verifies the credentials exactly as its provider documents them
(reference/tracking-apis.md) and answers with the documented shapes:

- Kuaidi100: form ``customer``/``sign``/``param``, ``sign == MD5(param + key + customer)``
  upper hex over the exact ``param`` received; traces newest first (``order=desc``, the
  default) or oldest first (``asc``); failures ``{"result": false, "returnCode", "message"}``.
- Kdniao: form ``RequestData``/``EBusinessID``/``RequestType``/``DataSign``/``DataType``,
  ``DataSign == base64(md5_hex_lower(RequestData + AppKey))`` (URL-encoded on the wire);
  traces oldest first; failures ``Success: false`` with a ``Reason``.
- 17TRACK: ``POST /track/v2.2/{register,gettrackinfo}`` with header ``17token``; per-number
  ``accepted`` / ``rejected`` with the documented negative codes.

Scripting, per test: ``add_trace(...)`` registers what a number shows; ``script(*b)``
queues one-shot behaviours for the next requests; ``always(b)`` sets the behaviour for
every request (``None`` = normal). Behaviours: ``"ok"``, ``"slow:SECONDS"``,
``"http:STATUS"``, ``"malformed"``, ``"bad_signature"``, ``"bad_key"``, ``"too_frequent"``,
``"no_quota"``, ``"no_result"``. Fault modes beyond the documented errors (issue #10):
``"wrong_shape"`` (valid JSON with the provider's keys but the wrong types inside),
``"empty"`` (200 with no body), ``"html"`` (200 with a captive-portal page) and ``"reset"``
(the connection is closed without an answer). Every request is recorded (``requests``,
``count()``) so tests can prove retries, the cache and the rate limit.

Wording of error texts that the providers do not document (Kdniao reasons, Kuaidi100
messages) is this fake's own, modelled on public clients.
"""
from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: bytes
    form: dict = field(default_factory=dict)
    json: object = None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeProvider:
    name = "fake"

    def __init__(self):
        self.requests: list[Recorded] = []
        self._queue: deque[str] = deque()
        self._always: str | None = None
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> "FakeProvider":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                rec = Recorded(self.command, urlsplit(self.path).path,
                               {k.lower(): v for k, v in self.headers.items()}, body)
                ctype = self.headers.get("Content-Type", "")
                if "x-www-form-urlencoded" in ctype:
                    rec.form = {k: v[0] for k, v in parse_qs(body.decode("utf-8"),
                                                             keep_blank_values=True).items()}
                elif "json" in ctype:
                    try:
                        rec.json = json.loads(body.decode("utf-8"))
                    except ValueError:
                        rec.json = None
                status, payload = fake._dispatch(rec)
                if status is None:    # "reset": hang up without a status line
                    self.close_connection = True
                    return
                if isinstance(payload, (dict, list)):
                    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                    ctype_out = "application/json; charset=utf-8"
                else:
                    data = payload.encode("utf-8") if isinstance(payload, str) else payload
                    ctype_out = "text/plain; charset=utf-8"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype_out)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass   # the client gave up (timeout test)

            do_POST = _serve
            do_GET = _serve

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        assert self._server, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # ------------------------------------------------------------ scripting
    def script(self, *behaviours: str) -> None:
        with self._lock:
            self._queue.extend(behaviours)

    def always(self, behaviour: str | None) -> None:
        self._always = behaviour

    def count(self, path_suffix: str = "") -> int:
        return sum(1 for r in self.requests if r.path.endswith(path_suffix))

    def _dispatch(self, rec: Recorded):
        with self._lock:
            self.requests.append(rec)
            behaviour = self._queue.popleft() if self._queue else (self._always or "ok")
        if behaviour.startswith("slow:"):
            time.sleep(float(behaviour.split(":", 1)[1]))
            behaviour = "ok"
        if behaviour.startswith("http:"):
            code = int(behaviour.split(":", 1)[1])
            return code, f"<html><body>{code} fake error</body></html>"
        if behaviour == "malformed":
            return 200, '{"message": "ok", "data": [ {"time": '
        if behaviour == "empty":
            return 200, ""
        if behaviour == "html":
            return 200, "<html><head><title>Wi-Fi login</title></head><body>请先登录 / log in</body></html>"
        if behaviour == "reset":
            return None, None
        if behaviour == "wrong_shape":
            return 200, self.wrong_shape(rec)
        return self.answer(rec, behaviour)

    def wrong_shape(self, rec: Recorded):
        """A success answer in the provider's own keys whose values have the wrong types."""
        raise NotImplementedError

    def answer(self, rec: Recorded, behaviour: str):
        raise NotImplementedError


# ====================================================================== Kuaidi100

KUAIDI100_COMS = {"shunfeng", "zhongtong", "yuantong", "shentong", "yunda", "jtexpress", "jd", "ems",
                  "youzhengguonei", "huitongkuaidi", "debangkuaidi", "fengwang", "zhongyouex",
                  "zhaijisong", "danniao", "tiantian"}


def kuaidi100_sign(param: str, key: str, customer: str) -> str:
    return hashlib.md5((param + key + customer).encode("utf-8")).hexdigest().upper()


class FakeKuaidi100(FakeProvider):
    name = "kuaidi100"
    PATH = "/poll/query.do"

    def __init__(self, customer: str = "DANHAOCUSTOMER01", key: str = "k100-secret-key-0001"):
        super().__init__()
        self.customer, self.key = customer, key
        self.traces: dict[tuple[str, str], dict] = {}

    def add_trace(self, number: str, com: str, events: list[dict], state: str = "0",
                  phone: str | None = None, route_to: str | None = None) -> None:
        """``events`` oldest first: {"time": "2026-11-24 10:00:00", "context", "areaName", "status"}."""
        self.traces[(com, number)] = {"events": events, "state": state, "phone": phone,
                                      "route_to": route_to}

    @staticmethod
    def fail(code: str, message: str) -> dict:
        return {"result": False, "returnCode": code, "message": message}

    def wrong_shape(self, rec: Recorded):
        return {"message": "ok", "nu": ["x"], "ischeck": 0, "com": None, "status": "200", "state": ["3"],
                "data": [{"time": 20261125, "ftime": None, "context": ["签收"], "areaName": {"a": 1},
                          "status": 7}], "routeInfo": {"to": ["广东"]}}

    def answer(self, rec: Recorded, behaviour: str):
        if rec.path != self.PATH:
            return 404, "not found"
        f = rec.form
        if not all(k in f for k in ("customer", "sign", "param")):
            return 200, self.fail("400", "参数不完整")
        if behaviour == "bad_signature" or f["customer"] != self.customer or \
                f["sign"] != kuaidi100_sign(f["param"], self.key, self.customer):
            return 200, self.fail("503", "验证签名失败")
        if behaviour == "too_frequent":
            return 200, self.fail("504", "查询太频繁，请稍后再试")
        if behaviour == "no_quota":
            return 200, self.fail("601", "POLL:账户余额不足")
        if behaviour == "bad_key":
            return 200, self.fail("601", "POLL:KEY已过期")
        try:
            param = json.loads(f["param"])
        except ValueError:
            return 200, self.fail("400", "param 不是合法 JSON")
        com, num = param.get("com", ""), param.get("num", "")
        if com not in KUAIDI100_COMS:
            return 200, self.fail("400", "找不到对应公司")
        trace = self.traces.get((com, num))
        if behaviour == "no_result" or trace is None:
            return 200, self.fail("500", "查询无结果，请隔段时间再查")
        if trace["phone"]:
            given = str(param.get("phone", ""))
            if not given or not (trace["phone"] == given or trace["phone"].endswith(given) and len(given) == 4):
                return 200, self.fail("408", "您提交的手机号码验证失败")
        data = [{"time": e["time"], "ftime": e["time"], "context": e.get("context", ""),
                 "areaCode": e.get("areaCode", ""), "areaName": e.get("areaName", ""),
                 "status": e.get("status", "在途")} for e in trace["events"]]
        if param.get("order", "desc") != "asc":
            data.reverse()   # Kuaidi100 default: newest first
        out = {"message": "ok", "nu": num, "ischeck": "1" if trace["state"] in ("3", "301", "302", "303", "304") else "0",
               "com": com, "status": "200", "condition": "F00", "state": trace["state"], "data": data}
        if trace["route_to"] and param.get("resultv2") in ("1", "4"):
            out["routeInfo"] = {"from": None, "cur": None, "to": {"number": "", "name": trace["route_to"]}}
        return 200, out


# ====================================================================== Kdniao

def kdniao_sign(request_data: str, app_key: str) -> str:
    hexdigest = hashlib.md5((request_data + app_key).encode("utf-8")).hexdigest()
    return base64.b64encode(hexdigest.encode("ascii")).decode("ascii")


class FakeKdniao(FakeProvider):
    name = "kdniao"
    PATH = "/Ebusiness/EbusinessOrderHandle.aspx"

    def __init__(self, ebusiness_id: str = "1700001", app_key: str = "kdn-secret-appkey-0001"):
        super().__init__()
        self.ebusiness_id, self.app_key = ebusiness_id, app_key
        self.traces: dict[tuple[str, str], dict] = {}

    def add_trace(self, number: str, shipper: str, traces: list[dict], state: str, state_ex: str = "",
                  location: str = "", customer_name: str | None = None) -> None:
        """``traces`` oldest first: {"AcceptTime", "AcceptStation", "Location", "Action"}."""
        self.traces[(shipper, number)] = {"traces": traces, "state": state, "state_ex": state_ex,
                                          "location": location, "customer_name": customer_name}

    def fail(self, reason: str, shipper: str = "", number: str = "") -> dict:
        return {"EBusinessID": self.ebusiness_id, "ShipperCode": shipper, "LogisticCode": number,
                "Success": False, "Reason": reason}

    def wrong_shape(self, rec: Recorded):
        return {"EBusinessID": self.ebusiness_id, "ShipperCode": None, "LogisticCode": 5, "Success": True,
                "Reason": None, "State": ["2"], "StateEx": {"x": 1}, "Location": 7,
                "Traces": [{"AcceptTime": 20261125, "AcceptStation": None, "Location": ["金华"], "Action": 2}]}

    def answer(self, rec: Recorded, behaviour: str):
        if rec.path != self.PATH:
            return 404, "not found"
        f = rec.form
        if not all(k in f for k in ("RequestData", "EBusinessID", "RequestType", "DataSign")):
            return 200, self.fail("缺少必要参数")
        data = f["RequestData"]
        if not data.lstrip().startswith("{"):
            data = unquote_plus(data)   # some clients URL-encode RequestData twice
        if f["EBusinessID"] != self.ebusiness_id:
            return 200, self.fail("EBusinessID 不存在或未授权")
        if behaviour == "bad_signature" or f["DataSign"] != kdniao_sign(data, self.app_key):
            return 200, self.fail("DataSign 签名验证失败")
        if f.get("DataType", "2") != "2":
            return 200, self.fail("DataType 只支持 2 (JSON)")
        if f["RequestType"] != "1002":
            return 200, self.fail(f"RequestType {f['RequestType']} 未开通")
        if behaviour == "bad_key":
            return 200, self.fail("用户未开通此接口权限")
        if behaviour == "too_frequent":
            return 200, self.fail("调用频率过高，请稍后再试")
        if behaviour == "no_quota":
            return 200, self.fail("当日调用次数已达上限")
        try:
            req = json.loads(data)
        except ValueError:
            return 200, self.fail("RequestData 格式错误")
        shipper, number = req.get("ShipperCode", ""), req.get("LogisticCode", "")
        trace = self.traces.get((shipper, number))
        if trace and trace["customer_name"] and not str(trace["customer_name"]).endswith(
                str(req.get("CustomerName", "")) or "\0"):
            return 200, self.fail("CustomerName 手机号后四位不正确", shipper, number)
        base = {"EBusinessID": self.ebusiness_id, "ShipperCode": shipper, "LogisticCode": number,
                "Success": True}
        if behaviour == "no_result" or trace is None:
            return 200, dict(base, Reason="暂无轨迹信息", State="0", Traces=[])
        out = dict(base, Reason="", State=trace["state"], Traces=trace["traces"])
        if trace["state_ex"]:
            out["StateEx"] = trace["state_ex"]
        if trace["location"]:
            out["Location"] = trace["location"]
        return 200, out


# ====================================================================== 17TRACK

class Fake17Track(FakeProvider):
    name = "17track"
    PREFIX = "/track/v2.2/"

    def __init__(self, token: str = "t17-secret-token-0001"):
        super().__init__()
        self.token = token
        self.registered: set[str] = set()
        self.traces: dict[str, dict] = {}

    def add_trace(self, number: str, status: str, sub_status: str = "", providers: list[dict] | None = None,
                  registered: bool = True, recipient: dict | None = None) -> None:
        """``providers``: [{"name", "key", "events": oldest first [{"time_iso", "description",
        "location", "stage"}]}], first-mile first. Served newest first, last-mile first."""
        self.traces[number] = {"status": status, "sub_status": sub_status,
                               "providers": providers or [], "recipient": recipient}
        if registered:
            self.registered.add(number)

    @staticmethod
    def top_error(code: int, message: str) -> dict:
        return {"code": code, "data": {"errors": [{"code": code, "message": message}]}}

    def _track_info(self, t: dict) -> dict:
        providers = []
        for p in reversed(t["providers"]):
            providers.append({"provider": {"key": p.get("key", 0), "name": p.get("name", "")},
                              "events": list(reversed(p.get("events", [])))})
        info = {"latest_status": {"status": t["status"], "sub_status": t["sub_status"]},
                "tracking": {"providers_hash": 0, "providers": providers}}
        if t["recipient"]:
            info["shipping_info"] = {"recipient_address": t["recipient"]}
        return info

    def wrong_shape(self, rec: Recorded):
        numbers = [i.get("number") for i in rec.json if isinstance(i, dict)] if isinstance(rec.json, list) else []
        return {"code": 0, "data": {"accepted": [
            {"number": n, "carrier": "x", "track_info": {"latest_status": "Delivered",
                                                         "tracking": {"providers": [{"provider": 5, "events": [
                                                             {"time_iso": 20261125, "description": ["签收"],
                                                              "location": {"a": 1}, "stage": 3}]}]}}}
            for n in numbers], "rejected": "none"}}

    def answer(self, rec: Recorded, behaviour: str):
        if not rec.path.startswith(self.PREFIX):
            return 404, "not found"
        op = rec.path[len(self.PREFIX):]
        if behaviour in ("bad_signature", "bad_key") or rec.headers.get("17token") != self.token:
            return 200, self.top_error(-18010002, "Invalid access key.")
        if behaviour == "too_frequent":
            return 429, self.top_error(-18010204, "Too many requests.")
        items = rec.json
        if not isinstance(items, list) or not all(isinstance(i, dict) and i.get("number") for i in items):
            return 200, self.top_error(-18010012, "The format of the data is invalid.")
        if len(items) > 40:
            return 200, self.top_error(-18010014, "The number of tracking numbers exceeds 40.")
        accepted, rejected = [], []
        for it in items:
            num = it["number"]
            carrier = it.get("carrier", 0)

            def reject(code, message):
                rejected.append({"number": num, "error": {"code": code, "message": message}})

            if op == "register":
                if behaviour == "no_quota":
                    reject(-18019908, "Quota is used up.")
                elif num in self.registered:
                    reject(-18019901, "The tracking number is already registered.")
                else:
                    self.registered.add(num)
                    accepted.append({"number": num, "carrier": carrier})
            elif op == "gettrackinfo":
                if behaviour == "no_quota":
                    reject(-18019907, "Daily limit reached.")
                elif num not in self.registered:
                    reject(-18019902, "The tracking number is not registered.")
                elif behaviour == "no_result" or num not in self.traces:
                    reject(-18019909, "No tracking information at this time.")
                else:
                    accepted.append({"number": num, "carrier": carrier, "tag": "",
                                     "track_info": self._track_info(self.traces[num])})
            else:
                return 404, "unknown operation"
        return 200, {"code": 0, "data": {"accepted": accepted, "rejected": rejected}}
