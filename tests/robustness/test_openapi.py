"""Issue #10: the API described in `GET /api/v1/openapi.json`, and schemathesis fuzzing every
route from that document against the real app (in-process WSGI, a real SQLite file).

- Every route registered under `/api/v1` (every method) is in the document, with its path
  parameters; each write route that parses a pydantic model has that model's schema as its
  request body; the token header is the `token` security scheme (health needs none).
- schemathesis generates requests for every operation from the document (derandomized, a
  bounded number of examples each, positive and negative data): no answer is a 5xx, every
  refusal is a JSON error `{"error": {"code", "message", "details"}}`, every JSON answer is
  strict JSON (no NaN).
"""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from helper.app import create_app
from helper.security import ensure_token
from helper.store import connect
from tests.api.samples import purchase_order, sales_order

EXAMPLES = 30          # per operation and generation mode
TALLY: dict[str, dict[str, int]] = {}
UNSATISFIABLE: list[str] = []


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = tmp_path_factory.mktemp("openapi") / "danhao.db"
    app = create_app({"DB_PATH": str(path), "TESTING": True})
    db = connect(path)
    try:
        token = ensure_token(db)
    finally:
        db.conn.close()
    client = app.test_client()
    h = {"X-Danhao-Token": token}
    # A few real rows, so that the generated requests also reach stored orders and shipments.
    client.post("/api/v1/sales-orders", json={"site": "pdd-seller", "orders": [sales_order()]}, headers=h)
    client.post("/api/v1/purchase-orders", json={"site": "alibaba-buyer", "orders": [purchase_order()]}, headers=h)
    client.post("/api/v1/convert", json={"site": "pdd-seller", "order_ids": ["261124-123456789012345"]}, headers=h)
    return app, token, path


def test_every_registered_route_is_described(served):
    app, token, _ = served
    client = app.test_client()
    assert client.get("/api/v1/openapi.json").status_code == 401      # like every route but health
    r = client.get("/api/v1/openapi.json", headers={"X-Danhao-Token": token})
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["openapi"].startswith("3.") and doc["security"] == [{"token": []}]
    assert doc["components"]["securitySchemes"]["token"] == {
        "type": "apiKey", "in": "header", "name": "X-Danhao-Token",
        "description": doc["components"]["securitySchemes"]["token"]["description"]}
    described = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    registered = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1"):])
            registered |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
            for m in rule.methods - {"HEAD", "OPTIONS"}:
                op = doc["paths"][path][m.lower()]
                assert {p["name"] for p in op["parameters"] if p["in"] == "path"} == set(rule.arguments), rule.rule
    assert registered == described, (registered ^ described)
    assert len(registered) >= 20
    assert doc["paths"]["/health"]["get"]["security"] == []
    bodies = {(m.upper(), p): op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
              for p, item in doc["paths"].items() for m, op in item.items() if "requestBody" in op}
    assert bodies == {("POST", "/sales-orders"): "Batch", ("POST", "/purchase-orders"): "Batch",
                      ("POST", "/convert"): "Convert", ("POST", "/fill-results"): "FillResults",
                      ("POST", "/links"): "Link", ("POST", "/page-reports"): "PageReport",
                      ("PUT", "/settings"): "Settings"}
    schemas = doc["components"]["schemas"]
    assert schemas["Batch"]["properties"]["orders"]["items"] == {"$ref": "#/components/schemas/Order"}
    assert "order_id" in schemas["Order"]["required"] and schemas["Order"]["additionalProperties"] is True
    assert set(schemas["FillResult"]["properties"]["result"]["enum"]) == {"filled", "failed", "skipped"}


def check(case, token) -> None:
    response = case.call(headers={"X-Danhao-Token": token})
    t = TALLY.setdefault(case.operation.label, {"cases": 0, "2xx": 0, "4xx": 0, "5xx": 0})
    t["cases"] += 1
    t[f"{response.status_code // 100}xx"] = t.get(f"{response.status_code // 100}xx", 0) + 1
    assert response.status_code < 500, (case.operation.label, response.status_code, response.text[:300])
    ctype = response.headers.get("Content-Type", response.headers.get("content-type", ""))
    ctype = ctype[0] if isinstance(ctype, list) else ctype
    if response.status_code >= 400:
        assert ctype.startswith("application/json"), (case.operation.label, response.status_code, ctype)
        error = json.loads(response.text)["error"]
        assert set(error) == {"code", "message", "details"}, error
    elif ctype.startswith("application/json"):
        json.loads(response.text, parse_constant=lambda c: pytest.fail(f"{c} in {case.operation.label}"))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_schemathesis_finds_no_server_error(served, mode):
    """Every operation of the document, `EXAMPLES` generated requests each (schemathesis'
    own pytest plugin is not used: its fixture loader does not run on pytest 9)."""
    app, token, _ = served
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers={"X-Danhao-Token": token})
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            check(case, token)

        try:
            run()
        except Unsatisfiable:   # negative data for an operation with nothing to make invalid
            assert mode is GenerationMode.NEGATIVE and not operation.body and not any(
                p.location != "header" for p in operation.iter_parameters()), operation.label
            UNSATISFIABLE.append(operation.label)


def test_the_figures_add_up():
    if len(TALLY) < 20:
        pytest.skip("run the whole file for the totals")
    total = sum(t["cases"] for t in TALLY.values())
    print(f"\nschemathesis: {len(TALLY)} operations, {total} cases, "
          f"2xx {sum(t['2xx'] for t in TALLY.values())}, 4xx {sum(t['4xx'] for t in TALLY.values())}, "
          f"5xx {sum(t['5xx'] for t in TALLY.values())}; no negative data possible for {UNSATISFIABLE}")
    assert all(t["5xx"] == 0 for t in TALLY.values())
