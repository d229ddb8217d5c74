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
