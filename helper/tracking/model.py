"""One trace model for every provider.

Kuaidi100 answers newest first with word statuses, Kdniao oldest first with numeric
``Action`` codes, 17TRACK with English stages; the checks and the store see only this:
events oldest first, times as ISO 8601 in China time (+08:00), a stage per event and one
status per trace. Provider codes decide where they are explicit; the event text decides
the rest (notably "left the sorting hub", which no provider marks but the PDD stall rule
counts from).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterable

CN_TZ = timezone(timedelta(hours=8))

STATUSES = ("none", "picked_up", "in_transit", "out_for_delivery", "delivered", "returned", "problem")
STATUS_ZH = {"none": "暂无揽收", "picked_up": "已揽收", "in_transit": "运输中",
             "out_for_delivery": "派送中", "delivered": "已签收", "returned": "退回",
             "problem": "疑难件"}
# Event stages: the statuses plus "info" (order data only, no physical scan),
# "departed_hub" (left a sorting hub) and "transfer" (handed to another courier/number).
STAGES = ("info", "picked_up", "in_transit", "departed_hub", "transfer", "out_for_delivery",
          "delivered", "returned", "problem")


# ---------------------------------------------------------------- time

def to_cn_iso(value: str | None) -> str:
    """Provider time → ``YYYY-MM-DDTHH:MM:SS+08:00``. Naive times are China time."""
    if not value:
        return ""
    s = str(value).strip().replace("/", "-")
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return str(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=CN_TZ)
    return dt.astimezone(CN_TZ).replace(microsecond=0).isoformat()


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(to_cn_iso(value))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=CN_TZ)


# ---------------------------------------------------------------- text → stage

_HUB = r"(转运中心|分拨中心|中转场|中转中心|集散中心|分拣中心|处理中心|转运场|分拨|中转部|枢纽|航空部|集包|sorting|hub)"
_TEXT_RULES: list[tuple[str, re.Pattern]] = [
    ("info", re.compile(r"已下单|下单成功|待揽收|等待揽收|通知快递公司揽件|已打印|电子面单|订单信息已|"
                        r"info(rmation)? received|label created|shipping label", re.I)),
    ("returned", re.compile(r"退回|退件|退货|返回寄件|原路返回|退签|return(ed|ing)? to sender|returned", re.I)),
    ("delivered", re.compile(r"已签收|签收人|已妥投|妥投|已代签|代签收|已取出|已被取走|delivered", re.I)),
    ("problem", re.compile(r"疑难|异常|滞留|拒收|拒签|无法联系|破损|丢失|问题件|超区|exception|failed", re.I)),
    ("transfer", re.compile(r"转投|转寄|转单|改派至|交由.{0,12}(派送|承运|配送)|last[- ]mile|handed over to", re.I)),
    ("out_for_delivery", re.compile(r"派件(?!城市)|派送(?!城市)|投递|待取件|取件码|驿站|快递柜|丰巢|投柜|out for delivery|"
                                    r"available for pickup", re.I)),
    ("departed_hub", re.compile(_HUB + r".{0,20}(已发出|发出|离开|已发往|发往|运往)|"
                                r"(离开|发出).{0,20}" + _HUB, re.I)),
    ("picked_up", re.compile(r"揽收|揽件|已收件|收件员|已收取|收寄|picked up|accepted", re.I)),
]


def classify_text(text: str) -> str:
    """Best guess of an event's stage from its text alone (default: in_transit)."""
    for stage, rx in _TEXT_RULES:
        if rx.search(text or ""):
            return stage
    return "in_transit"


# Provider stages that are definitive; anything else is refined by the text (so that a
# plain "in transit" event that says "…转运中心 已发出" becomes departed_hub).
_DEFINITE = {"info", "picked_up", "out_for_delivery", "delivered", "returned", "problem", "transfer"}


def event_stage(provider_stage: str | None, text: str) -> str:
    if provider_stage in _DEFINITE:
        return provider_stage
    guess = classify_text(text)
    if provider_stage == "in_transit" and guess == "info":
        return "in_transit"   # the provider saw a physical scan
    return guess


# ---------------------------------------------------------------- places

_PROV_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|盟|自治州)$")
_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")


def norm_province(name: str | None) -> str:
    return _PROV_SUFFIX.sub("", (name or "").strip())


def norm_city(name: str | None) -> str:
    return _CITY_SUFFIX.sub("", (name or "").strip())


_ADDR = re.compile(r"^(?P<p>[\u4e00-\u9fff]{2,8}?(省|自治区|特别行政区))?"
                   r"(?P<c>[\u4e00-\u9fff]{2,8}?(市|地区|盟|自治州))?")


def parse_place(place: str | None) -> dict | None:
    """'浙江,杭州市' / '浙江省杭州市西湖区' / '【杭州市】' / '杭州' → {"province", "city"}."""
    if not place:
        return None
    s = re.sub(r"[【】\[\]()（）]", " ", str(place)).strip()
    if not s or not re.search(r"[\u4e00-\u9fff]", s):
        return None   # an English location cannot be compared with a Chinese address
    parts = [p for p in re.split(r"[,，\s/|·-]+", s) if p]
    if len(parts) >= 2 and not _ADDR.match(parts[0]).group("c"):
        p, c = parts[0], parts[1]
        if norm_province(p) in _MUNICIPALITIES:
            return {"province": norm_province(p), "city": norm_province(p) + "市"}
        return {"province": norm_province(p), "city": c if c.endswith(("市", "州", "盟", "地区")) else None}
    m = _ADDR.match(parts[0])
    prov, city = m.group("p"), m.group("c")
    for muni in _MUNICIPALITIES:
        if parts[0].startswith(muni):
            return {"province": muni, "city": muni + "市"}
    if prov or city:
        return {"province": norm_province(prov) if prov else None, "city": city}
    if len(parts[0]) <= 4:  # a bare city name such as 杭州
        return {"province": None, "city": parts[0]}
    return None


# ---------------------------------------------------------------- model

@dataclass
class TraceEvent:
    time: str            # ISO 8601, +08:00
    place: str
    text: str
    stage: str

    def to_json(self) -> dict:
        return {"time": self.time, "place": self.place, "text": self.text, "stage": self.stage}

    @classmethod
    def from_json(cls, d: dict) -> "TraceEvent":
        return cls(d.get("time", ""), d.get("place", "") or "", d.get("text", "") or "",
                   d.get("stage", "in_transit"))


@dataclass
class Trace:
    number: str
    courier: str | None
    provider: str
    status: str
    events: list[TraceEvent] = field(default_factory=list)   # oldest first
    destination: dict | None = None        # {"province", "city"} where the trace shows it
    signed_by: str | None = None           # as the trace shows it (本人, 门卫, 菜鸟驿站...)
    sign_type: str | None = None           # self | proxy | locker (when delivered)
    transfer: dict | None = None           # {"number", "courier", "evidence": {"time", "text"}}
    provider_state: str | None = None      # the provider's own state code, for the audit trail
    fetched_at: str | None = None

    @property
    def physical_events(self) -> list[TraceEvent]:
        return [e for e in self.events if e.stage != "info"]

    @property
    def has_pickup(self) -> bool:
        return bool(self.physical_events) or self.status not in ("none",)

    def to_json(self) -> dict:
        return {"number": self.number, "courier": self.courier, "provider": self.provider,
                "status": self.status, "events": [e.to_json() for e in self.events],
                "destination": self.destination, "signed_by": self.signed_by,
                "sign_type": self.sign_type, "transfer": self.transfer,
                "provider_state": self.provider_state, "fetched_at": self.fetched_at}

    @classmethod
    def from_json(cls, d: dict) -> "Trace":
        return cls(number=d["number"], courier=d.get("courier"), provider=d["provider"],
                   status=d.get("status", "none"),
                   events=[TraceEvent.from_json(e) for e in d.get("events") or []],
                   destination=d.get("destination"), signed_by=d.get("signed_by"),
                   sign_type=d.get("sign_type"), transfer=d.get("transfer"),
                   provider_state=d.get("provider_state"), fetched_at=d.get("fetched_at"))


# ---------------------------------------------------------------- building helpers

def sort_events(events: Iterable[TraceEvent]) -> list[TraceEvent]:
    """Oldest first; stable, so same-minute events keep the order the provider meant."""
    far = datetime(1970, 1, 1, tzinfo=CN_TZ)
    return sorted(events, key=lambda e: parse_time(e.time) or far)


def destination_from_events(events: list[TraceEvent]) -> dict | None:
    """The place of the latest delivery-side event (out for delivery / delivered)."""
    for e in reversed(events):
        if e.stage in ("out_for_delivery", "delivered"):
            d = parse_place(e.place) or _place_in_text(e.text)
            if d:
                return d
    return None


def _place_in_text(text: str) -> dict | None:
    m = re.search(r"【([^】]+)】", text or "")
    return parse_place(m.group(1)) if m else None


_SIGNER = re.compile(r"(?:签收人|代签人|代收人|签收)\s*(?:是|为)?\s*[:：]\s*([^\s，,。;；)）]+)")
_PROXY = re.compile(r"代签|代收|他人|门卫|前台|物业|保安|家人|同事|邻居|收发室|传达室")
_LOCKER = re.compile(r"驿站|快递柜|丰巢|智能柜|代收点|自提|菜鸟|兔喜|妈妈驿站|投柜")
_SELF = re.compile(r"本人")


def signer_from(events: list[TraceEvent]) -> tuple[str | None, str | None]:
    """(signed_by, sign_type) from the delivery event's text."""
    for e in reversed(events):
        if e.stage != "delivered":
            continue
        m = _SIGNER.search(e.text)
        who = m.group(1) if m else None
        if _PROXY.search(e.text):
            return who, "proxy"
        if _LOCKER.search(e.text):
            return who, "locker"
        if who and not _SELF.search(who):
            return who, "proxy"
        return who, "self"
    return None, None


# Names seen in transfer texts → canonical courier id. Order matters: "EMS" before 邮政.
TRANSFER_COURIER_NAMES = [
    ("EMS", "ems"), ("邮政", "chinapost"), ("顺丰", "sf"), ("中通", "zto"), ("圆通", "yto"),
    ("申通", "sto"), ("韵达", "yunda"), ("极兔", "jt"), ("京东", "jd"), ("百世", "best"),
    ("德邦", "deppon"), ("丰网", "fengwang"), ("众邮", "zhongyou"), ("宅急送", "zjs"),
    ("丹鸟", "danniao"), ("菜鸟速递", "danniao"), ("天天", "tiantian"), ("USPS", "usps"),
    ("UPS", "ups"), ("FedEx", "fedex"), ("DHL", "dhl"), ("云途", "yunexpress"),
    ("YunExpress", "yunexpress"), ("递四方", "4px"), ("4PX", "4px"),
]
_TRANSFER_NO = [
    re.compile(r"(?:转投|转寄|转单|改派|交由|交给|转交|转至|转运至)[^。；;]{0,40}?"
               r"(?:新单号|运单号|快递单号|单号|号码)\s*(?:为|是)?\s*[:：]?\s*([A-Za-z0-9]{8,30})"),
    re.compile(r"(?:新单号|转单号|转寄单号|转投单号)\s*(?:为|是)?\s*[:：]?\s*([A-Za-z0-9]{8,30})"),
    re.compile(r"(?:last[- ]mile|handed over to|new tracking)[^.;]{0,60}?"
               r"(?:tracking number|number|no\.?)\s*(?:is)?\s*[:：]?\s*([A-Za-z0-9]{8,30})", re.I),
]


def courier_in_text(text: str) -> str | None:
    for name, cid in TRANSFER_COURIER_NAMES:
        if re.search(re.escape(name), text, re.I if name.isascii() else 0):
            return cid
    return None


def transfer_from(events: list[TraceEvent], own_number: str) -> dict | None:
    """The last-mile number the provider links to this one, with its evidence.

    Only a number printed by the provider in the trace counts: Danhao never guesses a
    replacement (DESIGN red line)."""
    own = own_number.upper()
    for e in reversed(events):
        for rx in _TRANSFER_NO:
            m = rx.search(e.text or "")
            if m and m.group(1).upper() != own:
                head = e.text[:m.start(1)]
                return {"number": m.group(1), "courier": courier_in_text(head) or courier_in_text(e.text),
                        "evidence": {"time": e.time, "text": e.text}}
    return None


def status_from_events(events: list[TraceEvent]) -> str:
    """Fallback status when the provider gives none we understand."""
    if not [e for e in events if e.stage != "info"]:
        return "none"
    last = events[-1].stage
    return {"departed_hub": "in_transit", "transfer": "in_transit", "info": "in_transit"}.get(last, last)
