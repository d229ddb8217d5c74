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
def api(client, token):
    """A client that sends the token (and an operator) like the extension does."""

    class Api:
        headers = {"X-Danhao-Token": token, "X-Danhao-Operator": "%E5%B0%8F%E7%8E%8B"}  # 小王

        def get(self, path, **kw):
            return client.get(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

        def post(self, path, body=None, **kw):
            return client.post(path, json=body, headers={**self.headers, **kw.pop("headers", {})}, **kw)

        def put(self, path, body=None, **kw):
            return client.put(path, json=body, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    return Api()


def load_fixture(*parts):
    return json.loads((FIXTURES.joinpath(*parts)).read_text(encoding="utf-8"))
