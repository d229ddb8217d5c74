"""Small, realistic orders for API tests (the replica pages carry the big sets)."""

import copy


def sales_order(order_id="261124-123456789012345", **over):
    order = {
        "order_id": order_id, "shop": "杯具生活馆", "status": "待发货",
        "created_at": "2026-11-24T10:31:00+08:00", "ship_by": "2026-11-26T10:31:00+08:00",
        "buyer": {"name": "张三", "phone": "138****0000",
                  "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路1号"}},
        "items": [{"title": "陶瓷杯", "sku": "白色 350ml", "quantity": 1, "price": "19.90"}],
        "amount": "19.90", "remark": "", "url": f"https://mms.pinduoduo.com/orders/detail?sn={order_id}",
    }
    order.update(over)
    return order


def purchase_order(order_id="3912345678901234567", remark="PDD 261124-123456789012345", packages=None, **over):
    order = {
        "order_id": order_id, "supplier": "义乌某某工厂", "status": "已发货",
        "ship_to": {"name": "张三", "phone": "138****0000",
                    "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路1号"}},
        "items": [{"title": "陶瓷杯 350ml", "quantity": 1, "price": "8.50"}],
        "remark": remark,
        "packages": packages if packages is not None else [{"courier_text": "中通快递", "tracking": "73012345678901"}],
    }
    order.update(over)
    return copy.deepcopy(order)


def person(name, phone, province, city, district, detail):
    return {"name": name, "phone": phone,
            "address": {"province": province, "city": city, "district": district, "detail": detail}}
