"""Schema migrations, applied at every start; each runs once (sqlite-utils Migrations).

Never edit a migration that has shipped: add a new one. Columns that the review pages
filter or sort on are real columns with indexes; everything else an adapter sent stays in
the `data` JSON so that nothing a newer extension sends is lost.
"""

from sqlite_utils import Migrations

migrations = Migrations("danhao")


@migrations()
def m001_core(db):
    db.execute(
        """
        CREATE TABLE sales_orders (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            order_id TEXT NOT NULL,
            shop TEXT, status TEXT, created_at TEXT, ship_by TEXT,
            buyer_name TEXT, buyer_phone TEXT, phone_tail TEXT,
            province TEXT, city TEXT, district TEXT,
            amount TEXT, remark TEXT, url TEXT,
            data TEXT NOT NULL,
            first_seen TEXT NOT NULL, updated_at TEXT NOT NULL,
            UNIQUE (site, order_id)
        )"""
    )
    db.execute("CREATE INDEX sales_site_status_created ON sales_orders (site, status, created_at DESC)")
    db.execute("CREATE INDEX sales_ship_by ON sales_orders (ship_by)")
    db.execute("CREATE INDEX sales_order_id ON sales_orders (order_id)")
    db.execute("CREATE INDEX sales_phone_tail ON sales_orders (phone_tail)")
    db.execute("CREATE INDEX sales_buyer_name ON sales_orders (buyer_name)")
    db.execute(
        """
        CREATE TABLE purchase_orders (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            order_id TEXT NOT NULL,
            supplier TEXT, status TEXT,
            ship_name TEXT, ship_phone TEXT, phone_tail TEXT,
            province TEXT, city TEXT, district TEXT,
            remark TEXT,
            data TEXT NOT NULL,
            sales_site TEXT, sales_order_id TEXT,
            match_method TEXT, match_score REAL,
            first_seen TEXT NOT NULL, updated_at TEXT NOT NULL,
            UNIQUE (site, order_id)
        )"""
    )
    db.execute("CREATE INDEX purchase_sales ON purchase_orders (sales_site, sales_order_id)")
    db.execute("CREATE INDEX purchase_unmatched ON purchase_orders (match_method)")
    db.execute(
        """
        CREATE TABLE purchase_numbers (
            number TEXT NOT NULL,
            site TEXT NOT NULL,
            order_id TEXT NOT NULL,
            PRIMARY KEY (number, site, order_id)
        )"""
    )
    db.execute("CREATE INDEX purchase_numbers_order ON purchase_numbers (site, order_id)")
    db.execute(
        """
        CREATE TABLE shipments (
            shipment_id TEXT PRIMARY KEY,
            site TEXT NOT NULL, order_id TEXT NOT NULL,
            number TEXT,
            courier_id TEXT, status TEXT NOT NULL,
            source_site TEXT, source_order_id TEXT,
            data TEXT NOT NULL,
            fill_result TEXT, submitted INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX shipments_number ON shipments (number)")
    db.execute("CREATE INDEX shipments_order ON shipments (site, order_id)")
    db.execute("CREATE INDEX shipments_status ON shipments (status, updated_at)")
    db.execute(
        """
        CREATE TABLE fill_results (
            id INTEGER PRIMARY KEY,
            shipment_id TEXT, site TEXT NOT NULL, order_id TEXT NOT NULL,
            result TEXT NOT NULL, submitted INTEGER NOT NULL, reason TEXT,
            operator TEXT, at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX fill_results_order ON fill_results (site, order_id)")
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL, operator TEXT, kind TEXT NOT NULL,
            site TEXT, order_id TEXT, data TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX events_order ON events (order_id, id)")
    db.execute("CREATE INDEX events_kind ON events (kind, id)")
    db.execute("CREATE INDEX events_at ON events (at)")
    db.execute("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    # Replayed writes from the extension's offline queue carry a request id; the stored
    # response makes a replay (whose first answer was lost) a no-op that answers the same.
    db.execute(
        "CREATE TABLE requests (request_id TEXT PRIMARY KEY, at TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL)"
    )
    db.execute(
        """
        CREATE TABLE links (
            sales_site TEXT NOT NULL, sales_order_id TEXT NOT NULL,
            purchase_site TEXT NOT NULL, purchase_order_id TEXT NOT NULL,
            at TEXT NOT NULL, operator TEXT,
            PRIMARY KEY (purchase_site, purchase_order_id)
        )"""
    )


@migrations()
def m002_traces_and_alerts(db):
    """Trace verification: the last trace of each shipment, its refresh schedule, alerts."""
    for column, kind in (("trace", "TEXT"), ("trace_status", "TEXT"), ("trace_checked_at", "TEXT"),
                         ("next_check_at", "TEXT"), ("uploaded_at", "TEXT")):
        db.execute(f"ALTER TABLE shipments ADD COLUMN {column} {kind}")
    db.execute("CREATE INDEX shipments_refresh ON shipments (next_check_at) WHERE number IS NOT NULL")
    db.execute(
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            shipment_id TEXT NOT NULL, site TEXT NOT NULL, order_id TEXT NOT NULL,
            code TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, resolved_at TEXT,
            UNIQUE (shipment_id, code)
        )"""
    )
    db.execute("CREATE INDEX alerts_open ON alerts (resolved_at, level)")
    # The 30-minute trace cache and the providers' daily counts live here so that a restart
    # neither re-asks a provider (Kuaidi100 locks numbers asked too often) nor forgets quota.
    db.execute("CREATE TABLE trace_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at REAL NOT NULL)")


@migrations()
def m003_due_index(db):
    """'Orders due within 24 h' reads unshipped orders by deadline (bench: 109 ms → 0.3 ms at 200k)."""
    db.execute("CREATE INDEX IF NOT EXISTS sales_status_ship_by ON sales_orders (status, ship_by)")


@migrations()
def m005_supplier_times(db):
    """When each purchase order's first tracking number was seen (helper/suppliers.py: hours
    from purchase to number, late numbers).

    `purchase_number_times` holds one row per purchase order: the first time the helper stored
    a number for it. The trigger fills it whenever `purchase_numbers` gains a row, with the
    purchase order's `updated_at`, which the same request has just set from the helper's clock
    (`POST /purchase-orders` upserts the order, then indexes its numbers); `INSERT OR IGNORE`
    keeps the first time when a later sync rewrites the numbers. Existing orders are backfilled
    from the event log: the first `purchase_order.updated` event whose `changed.packages` went
    from no number to a number, else `first_seen` (the numbers came with the order).
    """
    import json

    from .convert import normalize_field

    db.execute(
        """
        CREATE TABLE purchase_number_times (
            site TEXT NOT NULL, order_id TEXT NOT NULL,
            number TEXT, number_at TEXT NOT NULL, source TEXT NOT NULL,
            PRIMARY KEY (site, order_id)
        )"""
    )
    db.execute(
        """
        CREATE TRIGGER purchase_number_first_seen AFTER INSERT ON purchase_numbers
        BEGIN
            INSERT OR IGNORE INTO purchase_number_times (site, order_id, number, number_at, source)
            SELECT NEW.site, NEW.order_id, NEW.number, po.updated_at, 'sync' FROM purchase_orders po
            WHERE po.site = NEW.site AND po.order_id = NEW.order_id;
        END"""
    )

    def has_number(packages) -> bool:
        for package in packages if isinstance(packages, list) else []:
            text = package.get("tracking") if isinstance(package, dict) else None
            if isinstance(text, str) and text and normalize_field(text).numbers:
                return True
        return False

    rows = db.execute(
        "SELECT po.site, po.order_id, po.first_seen, MIN(pn.number) FROM purchase_orders po "
        "JOIN purchase_numbers pn ON pn.site = po.site AND pn.order_id = po.order_id "
        "GROUP BY po.site, po.order_id").fetchall()
    for site, order_id, first_seen, number in rows:
        found = first_seen
        for at, data in db.execute(
                "SELECT at, data FROM events WHERE order_id = ? AND site = ? AND kind = 'purchase_order.updated' "
                "ORDER BY id", [order_id, site]).fetchall():
            try:
                change = (json.loads(data).get("changed") or {}).get("packages")
            except (ValueError, AttributeError):
                continue
            if not isinstance(change, list) or len(change) != 2:
                continue
            if has_number(change[0]):
                break                      # numbers before this change: they came with the order
            if has_number(change[1]):
                found = at
                break
        db.execute("INSERT OR IGNORE INTO purchase_number_times (site, order_id, number, number_at, source) "
                   "VALUES (?, ?, ?, ?, 'backfill')", [site, order_id, number, found])


@migrations()
def m007_site_patches(db):
    """Site patches (指给我看, helper/api/patches.py): one locator per site and field, saved when a
    person pointed out a field an adapter could not find; kept here so that a reinstalled
    extension gets them back and a team can share them."""
    db.execute(
        """
        CREATE TABLE site_patches (
            site TEXT NOT NULL, field TEXT NOT NULL,
            locator TEXT NOT NULL, created_at TEXT NOT NULL, operator TEXT, updated_at TEXT NOT NULL,
            PRIMARY KEY (site, field)
        )"""
    )


@migrations()
def m006_operators(db):
    """Operators and their tokens (helper/operators.py), the log filtered by operator, and the
    retention marks (helper/retention.py).

    `operators`: one row per name ever added (a revoked one keeps its row, so the log's names
    stay explained). `operator_tokens`: SHA-256 digests only, never a token in clear; `label` is
    ``cli`` (printed by `danhao operators add`) or ``ext:<extension id>`` (handed over on /pair).
    `masked_at`: when retention masked an order's buyer data in place (NULL: not masked).
    """
    db.execute(
        """
        CREATE TABLE operators (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('owner', 'operator')),
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE operator_tokens (
            id INTEGER PRIMARY KEY,
            operator_id INTEGER NOT NULL REFERENCES operators (id),
            token_hash TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )"""
    )
    db.execute("CREATE INDEX operator_tokens_operator ON operator_tokens (operator_id, label)")
    db.execute("CREATE INDEX IF NOT EXISTS events_operator ON events (operator, id)")
    db.execute("ALTER TABLE sales_orders ADD COLUMN masked_at TEXT")
    db.execute("ALTER TABLE purchase_orders ADD COLUMN masked_at TEXT")


@migrations()
def m004_order_status(db):
    """Where each order stands (helper/order_status.py): the derived status, when it last
    changed, payment and ship-by times on sales orders; placement and the 单号丢失 clock on
    purchase orders. Indexed for the dashboard's counts, the deadline views (即将超时 / 已超时)
    and the lost-number alerts; existing rows are filled in here."""
    for column in ("order_status", "status_at", "paid_at", "due_at", "due_source"):
        db.execute(f"ALTER TABLE sales_orders ADD COLUMN {column} TEXT")
    for column in ("placed_at", "awaiting_number_since"):
        db.execute(f"ALTER TABLE purchase_orders ADD COLUMN {column} TEXT")
    db.execute("CREATE INDEX sales_state_due ON sales_orders (order_status, due_at)")
    db.execute("CREATE INDEX sales_state_paid ON sales_orders (order_status, paid_at)")
    db.execute("CREATE INDEX sales_site_shop_state ON sales_orders (site, shop, order_status, due_at)")
    db.execute("CREATE INDEX purchase_awaiting_number ON purchase_orders (awaiting_number_since) "
               "WHERE awaiting_number_since IS NOT NULL")
    from .order_status import refresh_all

    refresh_all(db)
