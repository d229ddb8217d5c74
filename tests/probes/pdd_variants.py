"""Probe variants of the 2026 拼多多 replica: the same page with one plausible thing changed.

Each variant is a layout named "probe-<name>" (registered on import) that serves a patched copy
of tests/fixtures/sites/pdd-seller/2026/mms-orders.js (string patches, each must match once) and/or
a modified dataset / server behaviour. Nothing under tests/fixtures or tests/support is edited.
"""
from __future__ import annotations

import copy
import time

from tests.support.replica_server import Reply, register_layout
from tests.support.replicas.pdd_seller_2026 import FOLDER, PddSeller2026

class PatchedPdd(PddSeller2026):
    patches: list[tuple[str, str]] = []

    def mutate(self, data: dict) -> dict:
        return data

    def load_dataset(self) -> dict:
        return self.mutate(copy.deepcopy(super().load_dataset()))

    def handle(self, method, path, query, body, headers):
        if method == "GET" and path == "/__replica/assets/mms-orders.js":
            text = (FOLDER / "mms-orders.js").read_text(encoding="utf-8")
            for old, new in self.patches:
                n = text.count(old)
                assert n == 1, f"patch anchor found {n} times: {old[:60]!r}"
                text = text.replace(old, new)
            return Reply(200, text, "application/javascript; charset=utf-8")
        return super().handle(method, path, query, body, headers)


def variant(name: str, patches=(), mutate=None, base=None, **attrs):
    ns = {"layout": f"probe-{name}", "patches": list(patches), **attrs}
    if mutate:
        ns["mutate"] = lambda self, data: mutate(data)
    cls = type(f"PddProbe_{name.replace('-', '_')}", (base or PatchedPdd,), ns)
    register_layout(cls)
    return cls


# ---- patch anchors in mms-orders.js ---------------------------------------------------------
NUMBER_ONCHANGE = "onChange: function (e) { setNumber(e.target.value); }})));"
DIALOG_ID_LINE = "h('div', null, h('span', null, T.orderNo), h('span', null, o.order_sn)),"
HEAD_RIGHT = "h('div', {className: css('order-item', 'headRight')},"
ON_SHIP = "onShip: function () { setShipping(o); }"
PROMO_REF = "var promoDone = useRef(false);"
ITEMS_MAP = "list.items.map(function (o) {"
APP_MODALS = "promoOpen ? h(PromoModal, {onClose: function () { setPromoOpen(false); }}) : null,"

# 1. The dialog recognises the courier from the number (智能识别): 400 ms after typing, it
#    switches 物流公司 to what the number's prefix says. (GUESS: a feature many ship forms have.)
AUTODETECT = variant("autodetect", patches=[(NUMBER_ONCHANGE, """onChange: function (e) {
      var v = e.target.value; setNumber(v);
      clearTimeout(window.__probeDetect);
      window.__probeDetect = setTimeout(function () {
        var byPrefix = {YT: '圆通快递', JT: '极兔速递', SF: '顺丰快递', '73': '中通快递'};
        var k = Object.keys(byPrefix).find(function (p) { return v.indexOf(p) === 0; });
        var c = k && (options || []).find(function (x) { return x.name === byPrefix[k]; });
        if (c) setCourier(c);
      }, 400);
    }})));""")])


# 2. The platform refuses the ship on the server (number does not fit the courier's rule).
class _Reject(PatchedPdd):
    def _ship(self, body, headers):
        import json
        req = json.loads(body or b"{}")
        line = (req.get("orderShipRequestList") or [{}])[0]
        if str(line.get("trackingNumber", "")).startswith("999"):
            with self.lock:
                self.st["shipRequests"].append({"body": req, "by": headers.get("X-Replica-Confirmed-By"), "refused": True})
            return Reply(200, {"success": False, "errorCode": 2000006,
                               "errorMsg": "运单号与物流公司不匹配，请核对后重新填写", "result": None})
        return super()._ship(body, headers)


REJECT = variant("reject", base=_Reject)


# 3. A per-order warning modal before the ship dialog (buyer applied for a refund).
WARN_FIRST = variant("warn-first", patches=[
    (PROMO_REF, PROMO_REF + " var sw = useState(null), warn = sw[0], setWarn = sw[1];"),
    (ON_SHIP, "onShip: function () { if (o.after_sales_status) setWarn(o); else setShipping(o); }"),
    (APP_MODALS, APP_MODALS + """
      warn ? h(Modal, {title: '提示', width: 420, onClose: function () { setWarn(null); },
                       footer: [h(Button, {key: 'ok', primary: true, onClick: function () { var w = warn; setWarn(null); setShipping(w); }}, '继续发货'),
                                h(Button, {key: 'no', onClick: function () { setWarn(null); }}, '取消')]},
        h('div', null, '该订单买家已申请退款，确认继续发货吗？')) : null,"""),
])

# 4. The buyer memo shows in the order head (right part), and a buyer wrote another order's id in it.
MEMO_ORDER = "261125-858652451097925"      # 程玲, 3rd order
MEMO_NAMES = "261125-833660716197236"      # 刘洋, 5th order


def _memo(data):
    for o in data["orders"]:
        if o["order_sn"] == MEMO_ORDER:
            o["buyer_memo"] = f"和我另一单订单号{MEMO_NAMES}一起发，谢谢"
    return data


MEMO_HEAD_PATCH = (HEAD_RIGHT, HEAD_RIGHT + " o.buyer_memo ? h('div', null, h('span', null, '买家留言：'), h('span', null, o.buyer_memo)) : null,")
MEMO_HEAD = variant("memo-head", patches=[MEMO_HEAD_PATCH], mutate=_memo)
# 4b. Same, and the 发货 dialog does not show the order number (its markup is unknown).
MEMO_HEAD_NO_ID = variant("memo-head-noid", patches=[MEMO_HEAD_PATCH, (DIALOG_ID_LINE, "")], mutate=_memo)


# 5. Rate limit / captcha: recentOrderList answers 54001 with a verifyAuthToken.
class _Captcha(PatchedPdd):
    captcha_from_page = 1

    def _order_list(self, req):
        page = int(req.get("pageNumber") or 1)
        if page >= self.captcha_from_page:
            with self.lock:
                self.st["listRequests"] += 1
            return Reply(200, {"success": False, "errorCode": 54001, "errorMsg": "操作过于频繁，请完成验证后重试",
                               "result": {"verifyAuthToken": "probe-token-0001"}})
        return super()._order_list(req)


CAPTCHA = variant("captcha", base=_Captcha)
CAPTCHA_P2 = variant("captcha-p2", base=_Captcha, captcha_from_page=2)

# 7. 物流公司 is a native <select> (React-controlled).
NATIVE_SELECT = variant("native-select", patches=[(
    "  function CourierSelect(props) {",
    """  function CourierSelect(props) {
    if (true) {
      return h('select', {className: bc('ST', 'native'), value: props.value ? String(props.value.id) : '',
                          onChange: function (e) { var c = (props.options || []).find(function (x) { return String(x.id) === e.target.value; }); props.onChange(c || null); }},
        [h('option', {key: '', value: ''}, props.options ? props.placeholder : '加载中...')].concat((props.options || []).map(function (c) {
          return h('option', {key: c.id, value: String(c.id)}, c.name);
        })));
    }""")])

# 8. Rows render lazily: 6 orders at first, 6 more each time the list is scrolled to its end.
LAZY = variant("lazy", patches=[
    (PROMO_REF, PROMO_REF + """ var sv = useState(6), vis = sv[0], setVis = sv[1];
    useEffect(function () {
      function more() { if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 300) setVis(function (v) { return v + 6; }); }
      window.addEventListener('scroll', more);
      return function () { window.removeEventListener('scroll', more); };
    }, []);"""),
    (ITEMS_MAP, "list.items.slice(0, vis).map(function (o) {"),
])


# 12. A slow ship endpoint (2.5 s): the person confirms, then presses 跳过 while it is in flight.
class _SlowShip(PatchedPdd):
    def _ship(self, body, headers):
        time.sleep(2.5)
        return super()._ship(body, headers)


SLOW_SHIP = variant("slowship", base=_SlowShip)

# 13. Two goods lines in one order: the reply carries two pageItems with the same order_sn
#     (the page draws one block per item, as the replica does).
TWO_LINES_SN = "261125-826114634700192"


def _two_lines(data):
    first = next(o for o in data["orders"] if o["order_sn"] == TWO_LINES_SN)
    second = copy.deepcopy(first)
    second.update(goods_id=first["goods_id"] + 1, goods_name="赠品 收纳袋", spec="默认", goods_number=1,
                  goods_price=100, goods_amount=100)
    data["orders"].insert(data["orders"].index(first) + 1, second)
    return data


TWO_LINES = variant("two-lines", mutate=_two_lines)
