"""Realistic orders for the benchmarks, generated from a seed (benchmark inputs, not product data).

Sales orders look like what the ``pdd-seller`` adapter extracts and purchase orders like what
``alibaba-buyer`` extracts (the shapes of the API, README "HTTP API"): buyer, masked phone, address, items,
``PDD <order id>`` in the purchase remark and one package with the supplier's courier text.
``rows()`` gives the same orders as table rows for bulk loads, without going through JSON
dumps one order at a time (a million orders must build in seconds).
"""
from __future__ import annotations

import datetime as dt
import json
import random

BEIJING = dt.timezone(dt.timedelta(hours=8))
SITE, SUPPLIER_SITE = "pdd-seller", "alibaba-buyer"
SHOP = "佳居日用百货店"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
          "明", "超", "秀英", "霞", "平", "刚", "桂英", "小燕", "晓东", "雨", "婷", "鹏", "斌"]
_PLACES = [
    ("浙江省", "杭州市", "西湖区"), ("浙江省", "宁波市", "鄞州区"), ("广东省", "深圳市", "南山区"),
    ("广东省", "广州市", "天河区"), ("江苏省", "南京市", "鼓楼区"), ("江苏省", "苏州市", "吴中区"),
    ("广西壮族自治区", "南宁市", "青秀区"), ("上海市", "上海市", "浦东新区"), ("北京市", "北京市", "朝阳区"),
    ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "洪山区"), ("山东省", "青岛市", "市南区"),
    ("河南省", "郑州市", "金水区"), ("福建省", "厦门市", "思明区"), ("湖南省", "长沙市", "岳麓区"),
]
_ROADS = ["文三路", "人民路", "解放路", "中山路", "建设路", "和平路", "长江路", "黄河路", "新华路", "民主路"]
_GOODS = [
    ("陶瓷马克杯带盖勺大容量办公室咖啡杯", "白色 350ml", "19.90", "潮州市枫溪区瓷韵陶瓷厂", "7.80"),
    ("加厚棉麻收纳筐脏衣篮家用", "米白 大号", "24.80", "义乌市佳美日用品厂", "9.50"),
    ("316不锈钢保温杯男女学生便携水杯", "星空蓝 500ml", "39.90", "永康市恒杯工贸有限公司", "16.80"),
    ("食品级硅胶厨具套装不粘锅专用铲勺", "灰色 5件套", "29.90", "阳江市锦厨五金制品厂", "11.20"),
    ("免打孔浴室置物架卫生间壁挂", "太空铝 双层", "35.50", "台州市黄岩居美塑料厂", "13.60"),
]
# (courier text, number maker, canonical id) — formats of helper/couriers/couriers.json
_COURIERS = [
    ("中通快递", lambda r: "73" + _d(r, 12), "zto"), ("圆通速递", lambda r: "YT" + _d(r, 13), "yto"),
    ("韵达快递", lambda r: r.choice("34") + _d(r, 14), "yunda"), ("极兔速递", lambda r: "JT" + _d(r, 13), "jt"),
    ("申通快递", lambda r: "77" + _d(r, 13), "sto"), ("顺丰速运", lambda r: "SF" + _d(r, 13), "sf"),
]
OPTIONS = ["中通快递", "圆通速递", "韵达快递", "极兔速递", "申通快递", "顺丰速运", "中通快运", "邮政快递包裹"]
PENDING, SHIPPED = "待发货", "已发货"


def _d(rnd: random.Random, n: int) -> str:
    return f"{rnd.randrange(10 ** n):0{n}d}"


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, BEIJING).isoformat()


def make_pair(rnd: random.Random, created_ts: float, status: str = PENDING) -> tuple[dict, dict]:
    """One sales order and the purchase order that fulfils it (same buyer, id in the remark)."""
    created = dt.datetime.fromtimestamp(created_ts, BEIJING)
    sn = created.strftime("%y%m%d") + "-" + _d(rnd, 15)
    prov, city, dist = rnd.choice(_PLACES)
    name = rnd.choice(_SURNAMES) + rnd.choice(_GIVEN)
    phone = rnd.choice(["138", "139", "159", "186", "177", "150"]) + "****" + _d(rnd, 4)
    detail = f"{rnd.choice(_ROADS)}{rnd.randint(1, 999)}号{rnd.randint(1, 30)}栋{rnd.randint(101, 2505)}室"
    title, spec, price, supplier, cost = rnd.choice(_GOODS)
    qty = rnd.choice([1, 1, 1, 2, 3])
    address = {"province": prov, "city": city, "district": dist, "detail": detail}
    sales = {
        "order_id": sn, "shop": SHOP, "status": status,
        "created_at": created.isoformat(), "ship_by": _iso(created_ts + 48 * 3600),
        "buyer": {"name": name, "phone": phone, "address": address},
        "items": [{"title": title, "sku": spec, "quantity": qty, "price": price}],
        "amount": f"{float(price) * qty:.2f}", "remark": "",
        "url": f"https://mms.pinduoduo.com/orders/detail?sn={sn}",
    }
    text, number, _ = rnd.choice(_COURIERS)
    purchase = {
        "order_id": rnd.choice("23") + _d(rnd, 18), "supplier": supplier, "status": "等待买家收货",
        "ship_to": {"name": name, "phone": phone, "address": dict(address)},
        "items": [{"title": title, "sku": spec, "quantity": qty, "price": cost}],
        "remark": f"PDD {sn}",
        "packages": [{"courier_text": text, "tracking": number(rnd)}],
    }
    return sales, purchase


def orders(n: int, seed: int = 1, start: dt.datetime | None = None, status: str = PENDING,
           spacing_s: float = 97.0) -> tuple[list[dict], list[dict]]:
    """``n`` (sales, purchase) pairs, newest first from ``start`` (default: now)."""
    rnd = random.Random(seed)
    t0 = (start or dt.datetime.now(BEIJING)).timestamp()
    pairs = [make_pair(rnd, t0 - i * spacing_s - rnd.randint(0, 60), status) for i in range(n)]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def dumps(value) -> str:
    """Same canonical JSON as ``helper.store.dumps`` (kept here so bulk loads match it)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
