"""Review pages served by the helper (orders, shipments, event log)."""

from flask import Blueprint

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    return (
        "<!doctype html><meta charset=utf-8><title>Danhao 单号助手</title>"
        "<h1>单号助手正在运行 / Danhao helper is running</h1>",
        200,
        {"Content-Type": "text/html; charset=utf-8"},
    )
