"""The helper's app factory."""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from . import __version__, db as db_module
from .api import blueprints
from .errors import HTTP_MESSAGES, ApiError, error_response
from .paths import default_db_path
from .security import EXTENSION_ORIGIN, check_request, narrow_cors
from .store import get_setting, init_db

MAX_BODY_BYTES = 8 * 1024 * 1024
log = logging.getLogger("danhao")


def create_app(config: dict | None = None) -> Flask:
    # No app-level static route: it would shadow the review pages' /static (their stylesheet answered 404).
    app = Flask(__name__, static_folder=None)
    app.config.update(
        DB_PATH=str(default_db_path()),
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        ALLOWED_HOSTS=set(),
        JSON_AS_ASCII=False,
    )
    if config:
        app.config.update(config)
    app.json.ensure_ascii = False
    init_db(app.config["DB_PATH"])
    app.config["ALLOWED_HOSTS"] = set(app.config["ALLOWED_HOSTS"]) | _configured_hosts(app.config["DB_PATH"])

    db_module.init_app(app)

    @app.before_request
    def _gate():
        check_request(db_module.get_db)

    @app.after_request
    def _stamp(response):
        response.headers["X-Danhao-Version"] = __version__
        return narrow_cors(response, db_module.get_db)

    # Registered after _stamp on purpose: Flask runs after_request hooks in reverse order,
    # so flask-cors adds its headers first and narrow_cors then keeps them for paired origins only.
    CORS(app, resources={r"/api/*": {
        "origins": [EXTENSION_ORIGIN.pattern],
        "allow_headers": ["Content-Type", "X-Danhao-Token", "X-Danhao-Operator", "X-Danhao-Request-Id",
                          "X-Danhao-Extension"],
        "expose_headers": ["X-Danhao-Version"],
        "max_age": 600,
    }})

    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return error_response(err.status, err.code, err.message, err.details)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        code, message = HTTP_MESSAGES.get(err.code, ("http_error", err.description or err.name))
        return error_response(err.code or 500, code, message)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        # Never a bare 500 page: log the cause (no buyer data in it) and answer JSON.
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal", "助手内部错误，已记录 / Internal helper error (logged)")

    for bp in blueprints():
        app.register_blueprint(bp)
    from .web import bp as web_bp
    from .web.pairing import bp as pairing_bp

    app.register_blueprint(web_bp)
    app.register_blueprint(pairing_bp)
    return app


def _configured_hosts(db_path) -> set[str]:
    from .store import connect

    db = connect(db_path)
    try:
        value = get_setting(db, "allowed_hosts", "") or ""
    finally:
        db.conn.close()
    return {h.strip().lower() for h in value.split(",") if h.strip()}
