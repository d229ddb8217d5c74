"""Where the helper keeps its data: one folder per user, overridable with DANHAO_HOME."""

import os
import sys
from pathlib import Path

DB_NAME = "danhao.db"


def data_dir() -> Path:
    """The per-user data folder: DANHAO_HOME, else the platform's usual app-data place."""
    home = os.environ.get("DANHAO_HOME")
    if home:
        return Path(home).expanduser()
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming"
        return Path(base) / "Danhao"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Danhao"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "danhao"


def default_db_path() -> Path:
    return data_dir() / DB_NAME
