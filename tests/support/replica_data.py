"""Data behind the replica pages: the fixture records, what an adapter must extract from them,
and generated datasets of any size for benchmarks.

The records are the replica's "server side" (what its XHR endpoints return). The expected
extraction is derived from them by the mapping written in tests/fixtures/sites/README.md
("Extraction mapping"); the browser tests check that the rendered page, read by that mapping,
gives exactly these objects, so the mapping here and the pages cannot drift apart silently.

Run `python -m tests.support.replica_data` to rewrite the `expected-extract.json` files after
editing a `data.json`.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

SITES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
BEIJING = dt.timezone(dt.timedelta(hours=8))

PDD_PAGE_SIZE = 10
ALIBABA_PAGE_SIZE = 5


def load_dataset(site_id: str) -> dict:
    return json.loads((SITES_DIR / site_id / "data.json").read_text(encoding="utf-8"))


def _iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, BEIJING).isoformat()


def _split_address(text: str) -> dict:
    """`浙江省 杭州市 西湖区 文三路1号` → the four MODEL.md parts (detail = the rest)."""
    parts = text.split(" ", 3)
    parts += [""] * (4 - len(parts))
    return {"province": parts[0], "city": parts[1], "district": parts[2], "detail": parts[3]}


# -- pdd-seller ------------------------------------------------------------------------------

def pdd_expected_order(rec: dict, shop: str) -> dict:
    qty = int(rec["goods_number"])
    unit = Decimal(rec["goods_amount"]) / qty  # the page shows only 商品总价 and xN
    assert unit == Decimal(rec["goods_price"]), rec["order_sn"]
    return {
        "order_id": rec["order_sn"],
        "shop": rec.get("mall_name") or shop,
        "status": rec["order_status_str"],
        "created_at": _iso(rec["created_at"]),
        "ship_by": _iso(rec["promise_shipping_time"]),
        "buyer": {
            "name": rec["receive_name"],
            "phone": rec["receive_mobile"],
            "address": {"province": rec["province_name"], "city": rec["city_name"],
                        "district": rec["district_name"], "detail": rec["receive_address"]},
        },
        "items": [{"title": rec["goods_name"], "sku": rec["spec"], "quantity": qty,
                   "price": f"{unit:.2f}"}],
        "amount": rec["pay_amount"],
        "remark": "",
        "url": f"https://mms.pinduoduo.com/orders/detail?sn={rec['order_sn']}",
    }


def pdd_expected_pages(dataset: dict, page_size: int = PDD_PAGE_SIZE) -> dict:
    orders = [pdd_expected_order(r, dataset.get("mall_name", "")) for r in dataset["orders"]]
    return {"pages": [orders[i:i + page_size] for i in range(0, len(orders), page_size)]}


# -- alibaba-buyer ---------------------------------------------------------------------------

def alibaba_expected_order(rec: dict) -> dict:
    r = rec["receiver"]
    return {
        "order_id": rec["id"],
        "supplier": rec["sellerCompany"],
        "status": rec["statusText"],
        "ship_to": {
            "name": r["name"], "phone": r["mobile"],
            "address": {"province": r["province"], "city": r["city"],
                        "district": r["area"], "detail": r["address"]},
        },
        "items": [{"title": e["productName"], "quantity": int(e["quantity"]), "price": e["price"]}
                  for e in rec["entries"]],
        "remark": rec["buyerMemo"],
        "packages": [{"courier_text": p["companyName"], "tracking": p["mailNo"]}
                     for p in rec["logistics"]],
    }


def alibaba_expected_pages(dataset: dict, page_size: int = ALIBABA_PAGE_SIZE) -> dict:
    orders = [alibaba_expected_order(r) for r in dataset["orders"]]
    return {"pages": [orders[i:i + page_size] for i in range(0, len(orders), page_size)]}


EXPECTED = {"pdd-seller": pdd_expected_pages, "alibaba-buyer": alibaba_expected_pages}


def expected_extract(site_id: str, dataset: dict | None = None, page_size: int | None = None) -> dict:
    dataset = dataset if dataset is not None else load_dataset(site_id)
    fn = EXPECTED[site_id]
    return fn(dataset) if page_size is None else fn(dataset, page_size)


# -- generated datasets (benchmarks) ---------------------------------------------------------

# Names and roads are shared with the helper's own benchmark data (one list, two users).
from helper.bench.data import _GIVEN, _ROADS, _SURNAMES  # noqa: E402
_PLACES = [
    ("浙江省", "杭州市", "西湖区"), ("浙江省", "宁波市", "鄞州区"), ("广东省", "深圳市", "南山区"),
    ("广东省", "广州市", "天河区"), ("江苏省", "南京市", "鼓楼区"), ("江苏省", "苏州市", "吴中区"),
    ("广西壮族自治区", "南宁市", "青秀区"), ("上海市", "上海市", "浦东新区"), ("北京市", "北京市", "朝阳区"),
    ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "洪山区"), ("山东省", "青岛市", "市南区"),
    ("内蒙古自治区", "呼和浩特市", "赛罕区"), ("河南省", "郑州市", "金水区"), ("福建省", "厦门市", "思明区"),
    ("宁夏回族自治区", "银川市", "兴庆区"), ("湖南省", "长沙市", "岳麓区"), ("陕西省", "西安市", "雁塔区"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区"), ("重庆市", "重庆市", "渝中区"), ("云南省", "昆明市", "五华区"),
]
_GOODS = [
    ("陶瓷马克杯带盖勺大容量办公室咖啡杯", "TC-MKB-350", "白色 350ml", "19.90", "潮州市枫溪区瓷韵陶瓷厂", "7.80"),
    ("加厚棉麻收纳筐脏衣篮家用", "SN-MM-L", "米白 大号", "24.80", "义乌市佳美日用品厂", "9.50"),
    ("316不锈钢保温杯男女学生便携水杯", "BWB-316-500", "星空蓝 500ml", "39.90", "永康市恒杯工贸有限公司", "16.80"),
    ("食品级硅胶厨具套装不粘锅专用铲勺", "GJ-5PC", "灰色 5件套", "29.90", "阳江市锦厨五金制品厂", "11.20"),
    ("免打孔浴室置物架卫生间壁挂", "ZWJ-2C", "太空铝 双层", "35.50", "台州市黄岩居美塑料厂", "13.60"),
    ("懒人抹布干湿两用一次性厨房用纸", "MB-3R", "3卷装 150片", "12.90", "保定市洁雅纸制品有限公司", "4.30"),
]
_COURIERS = [("中通快递", lambda r: "73" + _digits(r, 12)), ("圆通速递", lambda r: "YT" + _digits(r, 13)),
             ("韵达快递", lambda r: r.choice("34") + _digits(r, 14)), ("极兔速递", lambda r: "JT" + _digits(r, 13)),
             ("申通快递", lambda r: "77" + r.choice("3456") + _digits(r, 12)),
             ("顺丰速运", lambda r: "SF" + _digits(r, 13))]


def _digits(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice("0123456789") for _ in range(n))


def generate_datasets(n: int, seed: int = 1) -> dict:
    """`n` PDD sales orders (all 待发货) and, for each, a 1688 purchase order shipped to the
    same buyer with `PDD <id>` as remark and one package: `{"pdd-seller": …, "alibaba-buyer": …}`,
    ready for `ReplicaServer(datasets=…)`."""
    rnd = random.Random(seed)
    start = dt.datetime(2026, 11, 24, 22, 0, 0, tzinfo=BEIJING)
    shop = "佳居日用百货店"
    sales, purchases, seen = [], [], set()
    for i in range(n):
        created = start - dt.timedelta(seconds=i * 97 + rnd.randint(0, 60))
        sn = created.strftime("%y%m%d") + "-" + _digits(rnd, 15)
        while sn in seen:
            sn = created.strftime("%y%m%d") + "-" + _digits(rnd, 15)
        seen.add(sn)
        prov, city, dist = rnd.choice(_PLACES)
        name = rnd.choice(_SURNAMES) + rnd.choice(_GIVEN)
        phone = rnd.choice(["138", "139", "159", "186", "177", "150"]) + "****" + _digits(rnd, 4)
        detail = f"{rnd.choice(_ROADS)}{rnd.randint(1, 999)}号{rnd.randint(1, 30)}栋{rnd.randint(101, 2505)}室"
        title, code, spec, price, supplier, cost = rnd.choice(_GOODS)
        qty = rnd.choice([1, 1, 1, 2, 3])
        total = Decimal(price) * qty
        ts = int(created.timestamp())
        sales.append({
            "order_sn": sn, "order_status": 1, "order_status_str": "待发货",
            "created_at": ts, "promise_shipping_time": ts + 48 * 3600,
            "goods_name": title, "outer_id": code, "spec": spec, "goods_number": qty,
            "goods_price": price, "goods_amount": f"{total:.2f}", "pay_amount": f"{total:.2f}",
            "receive_name": name, "receive_mobile": phone, "province_name": prov, "city_name": city,
            "district_name": dist, "receive_address": detail, "mall_name": shop,
            "thumb_url": f"https://img.pddpic.com/gaudit-image/replica/{code.lower()}.jpeg",
        })
        courier, number = rnd.choice(_COURIERS)
        purchases.append({
            "id": rnd.choice("23") + _digits(rnd, 18), "sellerCompany": supplier,
            "statusText": "等待买家收货",
            "gmtCreate": (created + dt.timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M:%S"),
            "entries": [{"productName": title, "skuText": spec, "quantity": qty, "price": cost,
                         "productImgUrl": ""}],
            "sumPayment": f"{Decimal(cost) * qty:.2f}", "postFee": "0.00",
            "receiver": {"name": name, "mobile": phone, "province": prov, "city": city,
                         "area": dist, "address": detail},
            "buyerMemo": f"PDD {sn}",
            "logistics": [{"companyName": courier, "mailNo": number(rnd)}],
        })
    return {"pdd-seller": {"mall_name": shop, "orders": sales},
            "alibaba-buyer": {"orders": purchases}}


def write_expected() -> None:
    for site_id in EXPECTED:
        out = SITES_DIR / site_id / "expected-extract.json"
        out.write_text(json.dumps(expected_extract(site_id), ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
        print("wrote", out)


if __name__ == "__main__":
    write_expected()
