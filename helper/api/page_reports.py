"""What an adapter could not find on a page ("页面已改版：找不到 运单号 输入框"), recorded in the
event log so that a page change is seen by whoever reviews the log, not only by the person at
the page. `POST /api/v1/page-reports` `{"site", "page_url"?, "code": "page_changed", "message"}`
→ 201 `{"recorded": 1}`; the event kind is `page.changed` (`page.reply_changed` when only the page's data reply changed
shape and the adapter read the page itself instead)."""

from __future__ import annotations

from typing import Literal

from flask import Blueprint

from .. import events, validation
from ..payloads import parse
from ..payloads.fields import Short, Text
from ..payloads.orders import Loose
from . import json_body, operator, write_route

bp = Blueprint("page_reports", __name__, url_prefix="/api/v1")
KINDS = {"page_changed": "page.changed", "reply_changed": "page.reply_changed"}


class PageReport(Loose):
    site: Short
    page_url: Text | None = None
    code: Literal["page_changed", "reply_changed"] = "page_changed"
    message: Text


@bp.post("/page-reports")
@write_route
def report(db):
    body = parse(PageReport, json_body())
    site = validation.require_site(body.site, validation.SELLER_SITES | validation.SUPPLIER_SITES)
    events.record(db, KINDS[body.code], site=site, operator=operator(),
                  data={"code": body.code, "message": body.message[:500], "page_url": (body.page_url or "")[:500]})
    return {"recorded": 1}, 201
