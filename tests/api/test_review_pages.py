"""The review pages: sign-in by token, orders/shipments/events with filters, CSV export."""

from .samples import sales_order


def sign_in(client, token):
    r = client.post("/login", data={"token": token})
    assert r.status_code == 302
    return r


def test_pages_need_sign_in_and_a_wrong_token_is_refused(client, token):
    r = client.get("/orders")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    bad = client.post("/login", data={"token": "wrong"})
    assert bad.status_code == 401 and "令牌不对" in bad.get_data(as_text=True)
    assert client.get("/events").status_code == 302
    r = sign_in(client, token)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and token not in cookie
    assert client.get("/orders").status_code == 200


def test_login_does_not_redirect_off_site(client, token):
    r = client.post("/login", data={"token": token, "next": "//evil.example/x"})
    assert r.headers["Location"] in ("/", "http://localhost/")   # the dashboard, never the other site


def test_orders_page_lists_filters_and_escapes(client, api, token):
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [
        sales_order("261124-000000000000001", shop="<script>alert(1)</script>"),
        sales_order("261124-000000000000002", status="已发货"),
    ]})
    sign_in(client, token)
    html = client.get("/orders").get_data(as_text=True)
    assert "261124-000000000000001" in html and "261124-000000000000002" in html
    filtered = client.get("/orders?status=已发货").get_data(as_text=True)
    assert "261124-000000000000002" in filtered and "261124-000000000000001" not in filtered
    searched = client.get("/orders?q=261124-000000000000001").get_data(as_text=True)
    assert "261124-000000000000001" in searched and "261124-000000000000002" not in searched
    detail = client.get("/orders/pdd-seller/261124-000000000000001").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in detail
    assert client.get("/orders/pdd-seller/261124-000000000000404").status_code == 404


def test_csv_exports_open_in_excel(client, api, token):
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order()]})
    sign_in(client, token)
    r = client.get("/orders.csv")
    text = r.get_data(as_text=True)
    assert r.mimetype == "text/csv" and text.startswith("\ufeff")
    lines = text.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("站点,订单号,状态")
    assert "261124-123456789012345" in lines[1]
    events = client.get("/events.csv").get_data(as_text=True)
    assert "sales_order.created" in events and "小王" in events


def test_event_page_shows_masked_data(client, api, token):
    order = sales_order()
    order["buyer"]["phone"] = "13812345678"
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [order]})
    order = sales_order(status="已发货")
    order["buyer"]["phone"] = "13912345678"
    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [order]})
    sign_in(client, token)
    html = client.get("/events").get_data(as_text=True)
    assert "sales_order.updated" in html
    assert "13912345678" not in html and "139****5678" in html


def test_review_pages_also_check_the_host(client, token):
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 403


def test_bulk_shipping_file_from_the_review_pages(client, token):
    sign_in(client, token)
    r = client.get("/exports/bulk-shipping.csv?site=pdd-seller")
    assert r.status_code == 200 and r.get_data(as_text=True).lstrip("\ufeff").startswith("订单号,物流公司,运单号")
    assert client.get("/exports/bulk-shipping.csv?site=nope").status_code == 400
    assert "bulk-shipping.csv" in client.get("/shipments").get_data(as_text=True)


def test_search_finds_an_order_by_its_tracking_number_and_due_filter(client, api, token):
    from .samples import purchase_order

    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [
        sales_order("261124-000000000000001", ship_by="2026-01-01T10:00:00+08:00"),   # long overdue
        sales_order("261124-000000000000002", ship_by="2099-01-01T10:00:00+08:00")]})
    api.post("/api/v1/purchase-orders", body={"site": "alibaba-buyer", "orders": [
        purchase_order("3900000000000000001", remark="PDD 261124-000000000000002",
                       packages=[{"courier_text": "圆通速递", "tracking": "YT7512348820461"}])]})
    sign_in(client, token)
    html = client.get("/orders?q=yt7512348820461").get_data(as_text=True)
    assert "261124-000000000000002" in html and "261124-000000000000001" not in html
    due = client.get("/orders?due=24h").get_data(as_text=True)
    assert "261124-000000000000001" in due and "261124-000000000000002" not in due


def test_the_review_pages_stylesheet_is_served(client, token):
    sign_in(client, token)
    page = client.get("/orders").get_data(as_text=True)
    assert 'href="/static/style.css"' in page
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.mimetype == "text/css" and b"{" in css.data


def test_dashboard_settings_and_english_switch(client, api, token, app):
    from helper.store import connect, set_setting

    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order()]})
    db = connect(app.config["DB_PATH"])
    set_setting(db, "kuaidi100_key", "very-secret-key")
    db.conn.close()
    sign_in(client, token)
    home = client.get("/").get_data(as_text=True)
    assert "待发货订单" in home and "新订单" in home
    assert "拼多多商家后台" in client.get("/orders").get_data(as_text=True)
    settings = client.get("/settings").get_data(as_text=True)
    assert "very-secret-key" not in settings and "已设置" in settings and "kuaidi100_key" in settings
    english = client.get("/orders?lang=en")
    assert "danhao_lang=en" in english.headers.get("Set-Cookie", "")
    assert "Sales orders" in english.get_data(as_text=True) and 'lang="en"' in english.get_data(as_text=True)
    assert "Sales orders" in client.get("/orders").get_data(as_text=True)   # remembered
    assert "销售订单" in client.get("/orders?lang=zh").get_data(as_text=True)


def test_times_are_shown_in_beijing_time(client, api, token, app):
    """An event stamped in UTC (a computer set to UTC) reads as Beijing time on every page."""
    from helper import events
    from helper.store import connect

    api.post("/api/v1/sales-orders", body={"site": "pdd-seller", "orders": [sales_order()]})
    db = connect(app.config["DB_PATH"])
    events.record(db, "fill.filled", site="pdd-seller", order_id="261124-123456789012345", at="2026-11-24T18:05:00+00:00",
                  data={"number": "YT7512348820461", "option": "圆通速递", "submitted": False})
    db.conn.close()
    sign_in(client, token)
    for path in ("/events", "/orders/pdd-seller/261124-123456789012345", "/"):
        html = client.get(path).get_data(as_text=True)
        assert "2026-11-25 02:05" in html and "+00:00" not in html, path
        assert "已填写运单号 YT7512348820461（圆通速递）" in html, path
    csv_text = client.get("/events.csv").get_data(as_text=True)
    assert "2026-11-25 02:05:00" in csv_text
