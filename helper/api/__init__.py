"""JSON API under /api/v1: one blueprint per area, registered like plug-ins."""

from __future__ import annotations

import functools
import json

from flask import g, jsonify, request

from .. import jsonbody
from ..db import get_db
from ..errors import bad_request
from ..store import dumps, now_iso, transaction


def json_body(per_item: str | None = None) -> dict:
    """The request's JSON object, through `helper.jsonbody` (depth, Unicode, numbers), or a 400.
    ``per_item``: a top-level array whose members the route checks one by one."""
    if not request.is_json:
        raise bad_request("invalid_json", "需要 JSON 请求体（Content-Type: application/json）/ "
                          "A JSON body is required (Content-Type: application/json)", field="$")
    body = jsonbody.load(request.get_data(cache=True), skip=per_item)
    if not isinstance(body, dict):
        raise bad_request("invalid_body", "请求体必须是 JSON 对象 / The body must be a JSON object", field="$")
    return body


def replay_key(request_id: str) -> str:
    """A request id is recorded per method and path: the same id sent to another route is a
    new request there, never the first route's answer."""
    return f"{request.method} {request.path} {request_id}"


def write_route(view):
    """One transaction per write request, made idempotent by the X-Danhao-Request-Id header.

    The view returns (payload, status). The payload and the request id (keyed with the
    method and path, `replay_key`) are stored in the same transaction as the writes, so a
    replay of a request whose response was lost gets the same answer and records nothing twice.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        db = get_db()
        request_id = request.headers.get("X-Danhao-Request-Id")
        if request_id is not None and not (0 < len(request_id) <= 80):
            raise bad_request("invalid_header", "X-Danhao-Request-Id 长度 1–80 / must be 1–80 characters",
                              field="X-Danhao-Request-Id")
        key = replay_key(request_id) if request_id else None
        with transaction(db):
            if key:
                row = db.execute("SELECT status, response FROM requests WHERE request_id = ?", [key]).fetchone()
                if row:
                    response = jsonify(json.loads(row[1]))
                    response.status_code = row[0]
                    response.headers["X-Danhao-Replayed"] = "1"
                    return response
            payload, status = view(db, *args, **kwargs)
            if key:
                db.execute("INSERT INTO requests (request_id, at, status, response) VALUES (?, ?, ?, ?)",
                           [key, now_iso(), status, dumps(payload)])
        response = jsonify(payload)
        response.status_code = status
        return response

    return wrapper


def int_arg(name, default, low, high):
    """A whole-number query parameter within bounds, or a 400 naming it."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request("invalid_param", f"{name} 必须是整数 / must be a whole number", field=name)
    if not low <= value <= high:
        raise bad_request("invalid_param", f"{name} 超出范围 / out of range {low}–{high}", field=name)
    return value



def site_arg(name: str = "site", allowed: set[str] | None = None) -> str | None:
    """A site id query parameter (a filter): None when absent or empty, else one of `allowed`
    (default: every seller and supplier site id), else 400 `unknown_site` naming it — a mistyped
    site never answers an empty list as if it had no orders."""
    from ..validation import SELLER_SITES, SUPPLIER_SITES, require_site

    raw = (request.args.get(name) or "").strip()
    return require_site(raw, allowed or (SELLER_SITES | SUPPLIER_SITES), field=name) if raw else None


def flag_arg(name: str) -> bool:
    """A yes/no query parameter: absent, 0 or false → False; 1 or true → True; else 400."""
    raw = (request.args.get(name) or "").strip().lower()
    if raw in ("", "0", "false"):
        return False
    if raw in ("1", "true"):
        return True
    raise bad_request("invalid_param", f"{name} 必须是 1 或 0 / must be 1 or 0", field=name)


def operator():
    return g.get("operator")


OPTIONAL_AREAS = ("dashboard", "money", "suppliers", "operators", "patches", "data_admin", "exports")


def blueprints():
    import importlib

    from . import events, health, openapi, orders, page_reports, pairings, settings, shipments

    found = [health.bp, orders.bp, shipments.bp, events.bp, settings.bp, page_reports.bp, pairings.bp]
    for name in OPTIONAL_AREAS:   # areas in modules of their own; one not built yet is skipped
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"{__name__}.{name}":
                continue
            raise
        found.append(module.bp)
    return [*found, openapi.bp]
