"""What the robustness suites compare: every table's rows, before and after a request."""

from __future__ import annotations

import sqlite3

TABLES = ("sales_orders", "purchase_orders", "purchase_numbers", "shipments", "fill_results", "events",
          "settings", "requests", "links", "alerts")


def snapshot(db_path) -> dict[str, list[tuple]]:
    """Every row of every table Danhao writes (a token created on first use included)."""
    conn = sqlite3.connect(str(db_path))
    try:
        return {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")), key=repr) for t in TABLES}
    finally:
        conn.close()


def assert_json_error(response, status=None):
    """A refusal: 4xx, JSON {"error": {"code", "message", "details"}}."""
    assert response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:300])
    assert 400 <= response.status_code < 500, response.status_code
    if status is not None:
        assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "details"}, body
    message = body["error"]["message"]
    # Chinese, then " / ", then English (the English part may quote what the caller sent, CJK included)
    first_cjk = next((i for i, ch in enumerate(message) if "\u4e00" <= ch <= "\u9fff"), -1)
    cut = message.find("/", first_cjk) if first_cjk >= 0 else -1
    zh, en = (message[:cut], message[cut + 1:]) if cut > 0 else ("", "")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) and any(ch.isascii() and ch.isalpha() for ch in en), body
    return body["error"]
