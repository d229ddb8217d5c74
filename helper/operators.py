"""Operators (团队协作): who may call the helper, with which role, and who did each write.

Each operator has a name, a role (``owner`` or ``operator``) and one or more tokens: the one
`danhao operators add` prints, and one per extension paired through the helper's /pair page
while that operator was signed in. Only a SHA-256 digest of each token is stored; a token is
found by its digest and compared in constant time (`hmac.compare_digest`). Revoking an operator
ends all of its tokens at once (401 from then on) and signs its review pages out.

The helper's original single token (`danhao token`, `helper.security.ensure_token`) keeps
working as the *implicit owner*, so nobody is locked out on upgrade. Its writes are recorded
under the name in the `operator` setting, or ``店主`` when that is not set.
Writes from the command line are recorded as ``cli``.

Every write's operator comes from the token that authenticated it (`authenticate`), never
from a header or body field: `helper.security.check_request` puts the `Identity` in ``g``.
Owners alone change settings, pairings and operators (`require_owner`).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from . import events
from .errors import ApiError, bad_request
from .store import get_setting, now_iso, transaction

ROLES = ("owner", "operator")
LEGACY_DEFAULT_NAME = "店主"
CLI_NAME = "cli"
MAX_NAME = 40
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass(frozen=True)
class Identity:
    """Who a request acts as. ``token_id``/``operator_id`` are None for the implicit owner
    (the original token), whose ``legacy`` is True."""

    name: str
    role: str
    operator_id: int | None = None
    token_id: int | None = None
    token_hash: str | None = None

    @property
    def legacy(self) -> bool:
        return self.token_id is None

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"


def digest(token: str) -> str:
    """SHA-256 hex digest of a token: what is stored instead of the token itself. Tokens are
    32 random bytes (`secrets.token_urlsafe`), so a fast hash is enough (no guessing a preimage)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def legacy_name(db) -> str:
    """The implicit owner's name: the `operator` setting, or 店主 when it is not set."""
    name = (get_setting(db, "operator") or "").strip()
    return name[:MAX_NAME] if name else LEGACY_DEFAULT_NAME


def authenticate(db, given: str) -> Identity | None:
    """The identity a presented token stands for, or None (unknown, revoked, empty).

    The original token (created by `ensure_token`) is the implicit owner; any other token is
    looked up by its digest among the tokens of operators that are not revoked."""
    from .security import ensure_token

    if not given or len(given) > 200:
        return None
    legacy = ensure_token(db)
    if hmac.compare_digest(given.encode("utf-8", "surrogatepass"), legacy.encode()):
        return Identity(name=legacy_name(db), role="owner")
    wanted = digest(given)
    row = db.execute(
        "SELECT t.id, t.token_hash, o.id, o.name, o.role FROM operator_tokens t JOIN operators o ON o.id = t.operator_id "
        "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND o.revoked_at IS NULL", [wanted]).fetchone()
    if row is None or not hmac.compare_digest(row[1], wanted):
        return None
    return Identity(name=row[3], role=row[4], operator_id=row[2], token_id=row[0], token_hash=row[1])


def identity_for_token_id(db, token_id: int) -> Identity | None:
    """The identity of a token still in force (for review-page sessions), or None."""
    row = db.execute(
        "SELECT t.id, t.token_hash, o.id, o.name, o.role FROM operator_tokens t JOIN operators o ON o.id = t.operator_id "
        "WHERE t.id = ? AND t.revoked_at IS NULL AND o.revoked_at IS NULL", [token_id]).fetchone()
    if row is None:
        return None
    return Identity(name=row[3], role=row[4], operator_id=row[2], token_id=row[0], token_hash=row[1])


def check_name(db, name: str) -> str:
    """The name to store, or ApiError 400 `invalid_operator_name`: 1–40 characters, no line
    breaks, slashes or control characters, not ``cli`` (the command line's name) nor the
    implicit owner's name (two people under one name would make the log ambiguous)."""
    if not isinstance(name, str):
        raise bad_request("invalid_operator_name", "操作员名必须是文字 / The operator name must be text", field="name")
    text = name.strip()
    if not text or len(text) > MAX_NAME or _BAD_NAME.search(text):
        raise bad_request("invalid_operator_name",
                          f"操作员名须为 1–{MAX_NAME} 个字符，不含换行、斜杠或控制字符 / "
                          f"An operator name is 1–{MAX_NAME} characters without line breaks, slashes or control characters",
                          field="name")
    if text.lower() == CLI_NAME or text == legacy_name(db):
        raise bad_request("reserved_operator_name",
                          f"“{text}”已用于命令行或原令牌（店主）：请换一个名字 / "
                          f"“{text}” already names the command line or the original token (owner): choose another name",
                          field="name")
    return text


def _new_token(db, operator_id: int, label: str) -> str:
    token = secrets.token_urlsafe(32)
    db.execute("INSERT INTO operator_tokens (operator_id, token_hash, label, created_at) VALUES (?, ?, ?, ?)",
               [operator_id, digest(token), label, now_iso()])
    return token


def add(db, name: str, role: str = "operator", by: str = CLI_NAME) -> tuple[dict, str]:
    """Add an operator (or bring back a revoked one under a fresh token): ({name, role}, token).

    The token is returned once and never stored in clear. Errors: 400 `invalid_operator_name` /
    `reserved_operator_name`, 400 `invalid_role`, 409 `operator_exists` for an active name."""
    if role not in ROLES:
        raise bad_request("invalid_role", "角色只能是 owner 或 operator / The role is owner or operator", field="role")
    with transaction(db):
        name = check_name(db, name)
        row = db.execute("SELECT id, revoked_at FROM operators WHERE name = ?", [name]).fetchone()
        if row is not None and row[1] is None:
            raise ApiError(409, "operator_exists", f"操作员“{name}”已存在 / Operator “{name}” already exists",
                           {"name": name})
        if row is None:
            operator_id = db.execute("INSERT INTO operators (name, role, created_at) VALUES (?, ?, ?)",
                                     [name, role, now_iso()]).lastrowid
        else:
            operator_id = row[0]
            db.execute("UPDATE operators SET role = ?, revoked_at = NULL WHERE id = ?", [role, operator_id])
        token = _new_token(db, operator_id, "cli")
        events.record(db, "operator.added", operator=by, data={"name": name, "role": role})
    return {"name": name, "role": role}, token


def token_for_extension(db, identity: Identity, extension_id: str) -> str:
    """A new token of ``identity``'s operator for one extension (the /pair page hands it over);
    that extension's earlier token of the same operator stops working."""
    label = f"ext:{extension_id}"
    with transaction(db):
        db.execute("UPDATE operator_tokens SET revoked_at = ? WHERE operator_id = ? AND label = ? AND revoked_at IS NULL",
                   [now_iso(), identity.operator_id, label])
        return _new_token(db, identity.operator_id, label)


def revoke(db, name: str, by: str = CLI_NAME) -> dict:
    """Revoke an operator and every token it has: {name, role, tokens: n revoked}. 404
    `unknown_operator` for a name never added or already revoked."""
    with transaction(db):
        row = db.execute("SELECT id, role FROM operators WHERE name = ? AND revoked_at IS NULL", [name]).fetchone()
        if row is None:
            raise ApiError(404, "unknown_operator", f"没有名为“{name[:40]}”的操作员 / No operator named “{name[:40]}”",
                           {"name": name[:40]})
        now = now_iso()
        n = db.execute("UPDATE operator_tokens SET revoked_at = ? WHERE operator_id = ? AND revoked_at IS NULL",
                       [now, row[0]]).rowcount
        db.execute("UPDATE operators SET revoked_at = ? WHERE id = ?", [now, row[0]])
        events.record(db, "operator.revoked", operator=by, data={"name": name, "role": row[1], "tokens": n})
    return {"name": name, "role": row[1], "tokens": n}


def listing(db) -> list[dict]:
    """Every operator, the implicit owner first: name, role, active, legacy, created_at,
    revoked_at, tokens (active count), last_activity (ISO time of its last event or fill),
    and counts {events, filled, confirmed, links}. Last activity and counts come from the event
    log, fill results and hand links, which all carry the operator's name."""
    counts: dict[str, dict] = {}

    def bucket(name):
        return counts.setdefault(name, {"events": 0, "filled": 0, "confirmed": 0, "links": 0, "last": None})

    for name, n, last in db.execute("SELECT operator, COUNT(*), MAX(at) FROM events WHERE operator IS NOT NULL "
                                    "GROUP BY operator"):
        b = bucket(name)
        b["events"], b["last"] = n, last
    for name, filled, confirmed, last in db.execute(
            "SELECT operator, SUM(result = 'filled'), SUM(submitted), MAX(at) FROM fill_results "
            "WHERE operator IS NOT NULL GROUP BY operator"):
        b = bucket(name)
        b["filled"], b["confirmed"] = filled or 0, confirmed or 0
        b["last"] = max(filter(None, [b["last"], last]), default=None)
    for name, n in db.execute("SELECT operator, COUNT(*) FROM links WHERE operator IS NOT NULL GROUP BY operator"):
        bucket(name)["links"] = n

    def entry(name, role, active, legacy, created_at, revoked_at, tokens):
        b = counts.get(name) or {"events": 0, "filled": 0, "confirmed": 0, "links": 0, "last": None}
        return {"name": name, "role": role, "active": active, "legacy": legacy, "created_at": created_at,
                "revoked_at": revoked_at, "tokens": tokens, "last_activity": b["last"],
                "counts": {k: b[k] for k in ("events", "filled", "confirmed", "links")}}

    out = [entry(legacy_name(db), "owner", True, True, None, None, 1)]
    for r in db.execute(
            "SELECT o.name, o.role, o.created_at, o.revoked_at, "
            "(SELECT COUNT(*) FROM operator_tokens t WHERE t.operator_id = o.id AND t.revoked_at IS NULL) "
            "FROM operators o ORDER BY o.revoked_at IS NOT NULL, o.name"):
        out.append(entry(r[0], r[1], r[3] is None, False, r[2], r[3], r[4] if r[3] is None else 0))
    return out


def names(db) -> list[str]:
    """Names a log can be filtered by: the implicit owner, every operator ever added, cli."""
    found = [legacy_name(db), *[r[0] for r in db.execute("SELECT name FROM operators ORDER BY name")], CLI_NAME]
    return list(dict.fromkeys(found))


def owner_refusal() -> ApiError:
    return ApiError(403, "owner_only", "只有店主（owner 角色）可以修改设置、配对和操作员 / "
                    "Only an owner may change settings, pairings and operators")


def require_owner(view):
    """Decorator for routes only owners may use: 403 `owner_only` JSON for anyone else (the
    identity is the one `helper.security.check_request` or the review-page sign-in put in ``g``)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        from flask import g

        identity = g.get("identity")
        if identity is None or not identity.is_owner:
            raise owner_refusal()
        return view(*args, **kwargs)

    return wrapper
