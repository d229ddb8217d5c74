"""The request's database connection (one per request, on `g`), as in Flask's tutorial app."""

from __future__ import annotations

from flask import current_app, g

from .store import connect


def get_db():
    if "db" not in g:
        g.db = connect(current_app.config["DB_PATH"],
                       autocheckpoint=not current_app.config.get("BACKGROUND_CHECKPOINT", False))
    return g.db


def close_db(_exc=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def init_app(app) -> None:
    app.teardown_appcontext(close_db)
    # One connection stays open for the app's life: closing the *last* connection of a WAL
    # database checkpoints it and deletes the WAL file, which would otherwise happen at the
    # end of every request (a quarter of a 100-order sync). SQLite still checkpoints on its own.
    app.extensions["danhao.keeper"] = connect(app.config["DB_PATH"])
