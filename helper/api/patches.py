"""Site patches (指给我看): where a field is on a page that changed, as a person pointed it out.

When an adapter cannot find a field it needs (a ship form's 运单号 input, a list's 实付金额
column), the extension lets the person click that field on the page and derives a *locator*
from what the page says about it: the label of its form item, aria-label, placeholder, role,
name, the title of the dialog around it, its position among controls of the same kind. The
helper keeps one patch per (site, field) so that a reinstalled extension gets them back and a
team can share them. The extension's service worker is the only caller.

- `GET /api/v1/patches[?site=SITE]` → 200 `{"patches": [patch, …]}` ordered by site, field.
- `PUT /api/v1/patches` body `{"site", "field", "locator", "created_at", "operator"?}` →
  200 `{"patch": patch, "created": bool}` (a later PUT of the same site and field replaces it).
- `DELETE /api/v1/patches/<site>/<field>` → 200 `{"deleted": {"site", "field"}, "existed": bool}`
  (idempotent: removing a patch the helper never had is not an error, so a queued removal
  replayed after the helper was away never turns into an alert).

A patch as answered: `{"site", "field", "locator", "created_at", "operator", "updated_at"}`.
The locator is checked strictly (`Locator`): only the keys above are accepted, so a CSS
selector, an XPath or a class name (`selector`, `xpath`, `class`, …) is refused with 400
`invalid_field`; every text is bounded. Bad input → 400 JSON error, Chinese then English,
nothing written.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Literal

from flask import Blueprint, jsonify
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, model_validator

from .. import validation
from ..db import get_db
from ..errors import bad_request
from ..payloads import parse
from ..payloads.fields import IsoTime
from ..store import now_iso
from . import json_body, operator, site_arg, write_route

bp = Blueprint("patches", __name__, url_prefix="/api/v1")

SITES = validation.SELLER_SITES | validation.SUPPLIER_SITES
FIELD_RE = r"^[A-Za-z][A-Za-z0-9_]{0,39}$"
NAME_RE = r"^[A-Za-z_][A-Za-z0-9_.\-\[\]]{0,59}$"

Words = Annotated[str, StringConstraints(min_length=1, max_length=120)]
FieldName = Annotated[str, StringConstraints(pattern=FIELD_RE)]


class Strict(BaseModel):
    """An object whose keys are exactly the declared ones (anything else is refused)."""

    model_config = ConfigDict(extra="forbid")


class Scope(Strict):
    """Where the field lives: inside the dialog with this title, or under this heading."""

    dialog: Words | None = None
    heading: Words | None = None


class Position(Strict):
    """The field's place among the visible controls of the same kind in its form (0-based)."""

    kind: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    index: Annotated[StrictInt, Field(ge=0, le=999)]
    count: Annotated[StrictInt, Field(ge=1, le=999)]


class Locator(Strict):
    """What identifies the element, in the page's own words. `field` / `button`: a form control
    or a button (at least one of labels, aria_label, placeholder, name, text, title, or a role
    with its position); `column`: the cell under the column header `header` in each order;
    `label`: the value after the text `label` in each order."""

    kind: Literal["field", "button", "column", "label"]
    control: Annotated[str, StringConstraints(max_length=40)] | None = None
    role: Annotated[str, StringConstraints(max_length=40)] | None = None
    labels: Annotated[list[Words], Field(max_length=8)] | None = None
    aria_label: Words | None = None
    placeholder: Words | None = None
    name: Annotated[str, StringConstraints(pattern=NAME_RE)] | None = None
    text: Words | None = None
    title: Words | None = None
    header: Words | None = None
    label: Words | None = None
    scope: Scope | None = None
    position: Position | None = None
    sample: Annotated[str, StringConstraints(max_length=200)] | None = None

    @model_validator(mode="after")
    def _identifies_something(self):
        if self.kind == "column" and not self.header:
            raise ValueError("column 定位需要列标题 header / a column locator needs its header")
        if self.kind == "label" and not self.label:
            raise ValueError("label 定位需要标签文字 label / a label locator needs its label")
        if self.kind in ("field", "button"):
            words = [self.labels, self.aria_label, self.placeholder, self.name, self.text, self.title]
            if not any(words) and not (self.role and self.position):
                raise ValueError("定位至少需要一段页面文字（标签、aria-label、占位文字、name、按钮文字）或角色加位置 / "
                                 "a locator needs some page text (label, aria-label, placeholder, name, button text) "
                                 "or a role with its position")
        return self


class Patch(Strict):
    """`PUT /api/v1/patches`: one site's locator for one field."""

    site: Annotated[str, StringConstraints(max_length=40)]
    field: FieldName
    locator: Locator
    created_at: IsoTime
    operator: Annotated[str, StringConstraints(max_length=60)] | None = None


def _row(r) -> dict:
    return {"site": r["site"], "field": r["field"], "locator": json.loads(r["locator"]),
            "created_at": r["created_at"], "operator": r["operator"], "updated_at": r["updated_at"]}


@bp.get("/patches")
def list_patches():
    """Every saved site patch (optionally one site's): {"patches": [...]}, by site then field."""
    site = site_arg(allowed=SITES)
    sql = "SELECT site, field, locator, created_at, operator, updated_at FROM site_patches"
    params: list = []
    if site:
        sql += " WHERE site = ?"
        params.append(site)
    rows = get_db().execute(sql + " ORDER BY site, field", params).fetchall()
    return jsonify({"patches": [_row(r) for r in rows]})


@bp.put("/patches")
@write_route
def put_patch(db):
    """Save one site's patch for one field (replaces that site and field's earlier patch)."""
    body = parse(Patch, json_body())
    validation.require_site(body.site, SITES)
    if not body.created_at:
        raise bad_request("invalid_field", "created_at 必填 / created_at is required", field="created_at")
    locator = body.locator.model_dump(exclude_none=True)
    # Who saved it is whoever the token belongs to: a name in the body is not proof of anything.
    who = operator() or body.operator
    existed = db.execute("SELECT 1 FROM site_patches WHERE site = ? AND field = ?", [body.site, body.field]).fetchone()
    db.execute(
        "INSERT INTO site_patches (site, field, locator, created_at, operator, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (site, field) DO UPDATE SET locator = excluded.locator, created_at = excluded.created_at, "
        "operator = excluded.operator, updated_at = excluded.updated_at",
        [body.site, body.field, json.dumps(locator, ensure_ascii=False, sort_keys=True), body.created_at, who, now_iso()])
    row = db.execute("SELECT site, field, locator, created_at, operator, updated_at FROM site_patches "
                     "WHERE site = ? AND field = ?", [body.site, body.field]).fetchone()
    return {"patch": _row(row), "created": existed is None}, 200


@bp.delete("/patches/<site>/<field>")
@write_route
def delete_patch(db, site, field):
    """Remove one site's patch for one field (idempotent: `existed` says whether there was one)."""
    validation.require_site(site, SITES)
    if not re.match(FIELD_RE, field):
        raise bad_request("invalid_field", f"字段名不合法 / invalid field name '{field[:40]}'", field="field")
    cur = db.execute("DELETE FROM site_patches WHERE site = ? AND field = ?", [site, field])
    return {"deleted": {"site": site, "field": field}, "existed": cur.rowcount > 0}, 200
