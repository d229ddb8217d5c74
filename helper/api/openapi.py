"""`GET /api/v1/openapi.json`: the API described as OpenAPI 3.1, built from the app itself.

Every `/api/v1` route registered on the app is described (the list comes from `url_map`, so a
new route cannot be forgotten: `tests/robustness/test_openapi.py` checks it). Request bodies
are the pydantic models of `helper.payloads` (their JSON Schema, under `components/schemas`);
query parameters are the ones each route reads; the token header is the `token` security
scheme (every route but `GET /health` needs it). Errors are `{"error": {"code", "message",
"details"}}`.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify

from .. import __version__
from ..payloads.orders import Order
from ..payloads.requests import Batch, Convert, FillResults, Link
from ..settings import BOOLEAN_SETTINGS, INTEGER_SETTINGS, PUBLIC_SETTINGS, SECRET_SETTINGS

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")
PREFIX = "/api/v1"


def _models() -> dict:
    from .page_reports import PageReport

    return {"Batch": Batch, "Convert": Convert, "FillResults": FillResults, "Link": Link,
            "PageReport": PageReport, "Order": Order}


def _components() -> dict:
    schemas: dict = {}
    for name, model in _models().items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[name] = schema
    # The envelope's orders are checked one by one (a bad one is rejected by itself), but each
    # is an Order: described as such.
    schemas["Batch"]["properties"]["orders"] = {"type": "array", "items": {"$ref": "#/components/schemas/Order"},
                                                "maxItems": 1000}
    names = sorted(set(PUBLIC_SETTINGS) | set(SECRET_SETTINGS))
    def setting(n):
        kinds = ["string", "null"] + (["integer"] if n in INTEGER_SETTINGS else ["boolean", "integer"] if n in BOOLEAN_SETTINGS else [])
        return {"type": kinds, "maxLength": 2000}
    schemas["Settings"] = {"type": "object", "additionalProperties": False,
                           "properties": {n: setting(n) for n in names}}
    schemas["Error"] = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message", "details"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}}}}}
    return {"schemas": schemas,
            "securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "X-Danhao-Token",
                                          "description": "The per-install token that `danhao serve` prints"}}}


def _q(name, kind="string", required=False, **extra) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": {"type": kind, **extra}}


QUERY = {
    ("GET", "/sales-orders"): [_q("site"), _q("status"), _q("limit", "integer", minimum=1, maximum=500),
                               _q("offset", "integer", minimum=0, maximum=10**9)],
    ("GET", "/events"): [_q("order_id"), _q("kind"), _q("site"), _q("since", format="date-time"),
                         _q("limit", "integer", minimum=1, maximum=1000), _q("operator")],
    ("GET", "/shipments"): [_q("site"), _q("status"), _q("order_id"), _q("number"),
                            _q("limit", "integer", minimum=1, maximum=1000)],
    ("GET", "/alerts"): [_q("all", enum=["1", "true", "0"]), _q("limit", "integer", minimum=1, maximum=1000)],
    ("GET", "/fill-results"): [_q("site"), _q("limit", "integer", minimum=1, maximum=1000)],
    ("GET", "/exports/bulk-shipping"): [_q("site", required=True)],
    ("GET", "/dashboard"): [_q("site", maxLength=64), _q("shop", maxLength=200)],
    ("GET", "/dashboard/orders"): [_q("status", maxLength=200), _q("due", enum=["soon", "overdue", "24h"]),
                                   _q("lost", enum=["no_number", "unlinked"]), _q("site", maxLength=64),
                                   _q("shop", maxLength=200), _q("operator", maxLength=200),
                                   _q("order_id", maxLength=64), _q("q", maxLength=200),
                                   _q("limit", "integer", minimum=1, maximum=500),
                                   _q("offset", "integer", minimum=0, maximum=10**9)],
}
BODY = {
    ("POST", "/sales-orders"): "Batch", ("POST", "/purchase-orders"): "Batch", ("POST", "/convert"): "Convert",
    ("POST", "/fill-results"): "FillResults", ("POST", "/links"): "Link", ("POST", "/page-reports"): "PageReport",
    ("PUT", "/settings"): "Settings",
}
REQUEST_ID = {"name": "X-Danhao-Request-Id", "in": "header", "required": False,
              "description": "Makes a write idempotent: a replay gets the first answer (per method and path)",
              "schema": {"type": "string", "minLength": 1, "maxLength": 80}}
ERROR = {"description": "Refused: JSON error naming the field", "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Error"}}}}


def _summary(view) -> str:
    doc = (view.__doc__ or "").strip()
    return doc.split("\n")[0][:200] if doc else view.__name__.replace("_", " ")


def build(app) -> dict:
    paths: dict = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = rule.rule[len(PREFIX):]
        oas_path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            key = (method, re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", path))
            op: dict = {"operationId": f"{rule.endpoint}.{method.lower()}", "summary": _summary(view),
                        "parameters": [{"name": a, "in": "path", "required": True, "schema": {"type": "string",
                                        "minLength": 1, "maxLength": 200}} for a in sorted(rule.arguments)]
                        + QUERY.get(key, [])}
            ok = "201" if key == ("POST", "/page-reports") else "200"
            content = ({"text/csv": {"schema": {"type": "string"}}} if key[1] == "/exports/bulk-shipping"
                       else {"application/json": {"schema": {"type": ["object", "array"]}}})
            op["responses"] = {ok: {"description": "OK", "content": content}, "4XX": ERROR}
            if key == ("POST", "/shipments/<shipment_id>/refresh"):
                op["responses"]["502"] = {**ERROR, "description": "The tracking provider failed (JSON error naming it)"}
            if key in BODY:
                op["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{BODY[key]}"}}}}
            if method in ("POST", "PUT") and getattr(view, "__wrapped__", None) is not None:
                op["parameters"].append(REQUEST_ID)    # write_route: idempotent by request id
            if path == "/health":
                op["security"] = []
            paths.setdefault(oas_path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Danhao helper API", "version": __version__,
                 "description": "The local helper's JSON API (README.md, HTTP API). Errors are "
                                "{\"error\": {\"code\", \"message\", \"details\"}}."},
        "servers": [{"url": "http://127.0.0.1:17890/api/v1"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": _components(),
    }


@bp.get("/openapi.json")
def openapi():
    """This document: every /api/v1 route, its parameters and request body schema."""
    cached = current_app.extensions.get("danhao.openapi")
    if cached is None:
        cached = current_app.extensions["danhao.openapi"] = build(current_app)
    return jsonify(cached)
