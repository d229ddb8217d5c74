"""Shared fixtures: a real SQLite file per test and the real Flask app (Flask tutorial style)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helper.app import create_app
from helper.security import ensure_token
from helper.store import connect

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "danhao.db"


@pytest.fixture
def app(db_path):
    return create_app({"DB_PATH": str(db_path), "TESTING": True})


@pytest.fixture
def token(app):
    db = connect(app.config["DB_PATH"])
    try:
        return ensure_token(db)
    finally:
        db.conn.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api(client, token, app):
    """A client that sends a token like the extension does: the token of 小王, an owner added with
    `helper.operators.add`, so every write is recorded as 小王 (the operator comes from the
    token; the helper ignores the X-Danhao-Operator header older extensions still send)."""
    from helper import operators

    db = connect(app.config["DB_PATH"])
    try:
        _, own = operators.add(db, "小王", role="owner")
        db.execute("DELETE FROM events WHERE kind = 'operator.added'")   # tests count their own events
    finally:
        db.conn.close()

    class Api:
        headers = {"X-Danhao-Token": own}

        def get(self, path, **kw):
            return client.get(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

        def post(self, path, body=None, **kw):
            return client.post(path, json=body, headers={**self.headers, **kw.pop("headers", {})}, **kw)

        def put(self, path, body=None, **kw):
            return client.put(path, json=body, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    return Api()


def load_fixture(*parts):
    return json.loads((FIXTURES.joinpath(*parts)).read_text(encoding="utf-8"))
