"""Everything a user can type or set is documented in the README (Datasette-style meta test)."""

import re
from pathlib import Path

from helper.app import create_app
from helper.cli import main
from helper.settings import PUBLIC_SETTINGS, SECRET_SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented():
    for name, command in main.commands.items():
        assert f"danhao {name}" in README, name
        assert "Example" in (command.help or "") + (command.epilog or "") or isinstance(command, type(main)), name


def test_every_setting_is_documented():
    for name in {**PUBLIC_SETTINGS, **SECRET_SETTINGS}:
        assert f"`{name}`" in README or f" {name} " in README, name


def test_every_api_route_is_documented(tmp_path):
    app = create_app({"DB_PATH": str(tmp_path / "d.db")})
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule[len("/api/v1"):])
        assert path in README, rule.rule
