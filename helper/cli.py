"""The `danhao` command (also `python -m helper`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .paths import default_db_path

DB_OPTION = click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
                         help="SQLite 数据库文件 / database file (default: DANHAO_HOME or the app-data folder)")


def _db_path(db_path: Path | None) -> Path:
    return db_path or default_db_path()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="danhao")
def main():
    """Danhao 单号 — 本地助手 / local helper for tracking-number conversion."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to bind")
@click.option("--port", default=17890, show_default=True, type=click.IntRange(0, 65535), help="端口 / port")
@click.option("--allow-host", "allow_hosts", multiple=True,
              help="额外允许的 Host 名（局域网共享时）/ extra Host name to accept (LAN use)")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--no-refresh", is_flag=True, help="不在后台刷新轨迹 / don't refresh traces in the background")
@DB_OPTION
def serve(host, port, allow_hosts, threads, no_refresh, db_path):
    """运行助手服务 / Serve the helper with a production WSGI server (waitress).

    Example: danhao serve --port 17890
    """
    import waitress

    from .app import create_app
    from .cli_errors import listen_error, open_database
    from .security import ensure_token
    from .store import connect

    path = _db_path(db_path)
    open_database(path)
    app = create_app({"DB_PATH": str(path), "ALLOWED_HOSTS": {h.lower() for h in allow_hosts},
                      "BACKGROUND_CHECKPOINT": True})
    db = connect(path)
    try:
        token = ensure_token(db)
    finally:
        db.conn.close()
    # Requests build many short-lived dicts; the default GC thresholds make full collections
    # land inside requests (the slowest convert calls). Objects alive at start-up are frozen
    # out of collection, and young collections run less often.
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads, ident="danhao")
    except OSError as err:
        raise listen_error(host, port, err)
    actual_port = server.effective_port
    everywhere = host in ("0.0.0.0", "", "::")
    shown_host = "127.0.0.1" if everywhere else host
    click.echo(f"Danhao helper {__version__}")
    click.echo(f"  URL / 地址:    http://{shown_host}:{actual_port}")
    if everywhere or host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"  注意：助手监听 {host or '0.0.0.0'}:{actual_port}，局域网里的其他电脑也能连上；只回应 --allow-host 列出的主机名，"
                   f"仍需令牌 / Warning: listening on {host or '0.0.0.0'}:{actual_port}, reachable from other computers on the network; "
                   "only Host names given with --allow-host are answered and the token is still required.", err=True)
    click.echo(f"  Token / 令牌:  {token}")
    click.echo(f"  Database / 数据库: {path}")
    click.echo("  把令牌粘贴到扩展的选项页完成配对 / Paste the token in the extension options to pair.")
    sys.stdout.flush()
    from .store import Checkpointer

    checkpointer = Checkpointer(path)
    checkpointer.start()
    refresher = None
    if not no_refresh:
        from .verify import Refresher

        refresher = Refresher(str(path))
        refresher.start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        checkpointer.stop()
        if refresher:
            refresher.stop()


@main.command()
@DB_OPTION
@click.option("--new", "rotate", is_flag=True,
              help="换一个新令牌并取消所有扩展的配对 / make a new token and unpair every extension.")
def token(db_path, rotate):
    """打印配对令牌（首次使用时创建）/ Print the pairing token (created on first use).

    A --db path that does not exist is refused (a mistyped path never makes a new token).
    --new replaces the token: every paired extension must be paired again with the new one,
    and review pages ask to sign in again.

    Example: danhao token --new
    """
    from .cli_errors import open_database
    from .security import ensure_token, rotate_token
    from .store import connect

    path = _db_path(db_path)
    open_database(path, must_exist=db_path is not None)
    db = connect(path)
    try:
        if rotate:
            click.echo(rotate_token(db))
            click.echo("已换新令牌，所有扩展已取消配对，请在扩展选项页粘贴新令牌 / "
                       "New token: every extension is unpaired; paste the new token in the extension options.", err=True)
        else:
            click.echo(ensure_token(db))
    finally:
        db.conn.close()


@main.group()
def config():
    """查看或修改助手设置 / Read or change helper settings."""


@config.command("set")
@click.argument("name")
@click.argument("value")
@DB_OPTION
def config_set(name, value, db_path):
    """设置 NAME 为 VALUE（空字符串删除）/ Set NAME to VALUE (empty removes it).

    Example: danhao config set kuaidi100_customer ABCDEF
    """
    from . import events
    from .cli_errors import open_database
    from .errors import ApiError
    from .settings import write_setting
    from .store import connect, transaction

    path = _db_path(db_path)
    open_database(path)
    db = connect(path)
    try:
        with transaction(db):
            write_setting(db, name, value)
            events.record(db, "settings.changed", operator="cli", data={"names": [name]})
    except ApiError as err:
        raise click.ClickException(err.message)
    finally:
        db.conn.close()
    click.echo(f"{name} ✓")


@config.command("list")
@DB_OPTION
def config_list(db_path):
    """列出设置（密钥只显示是否已设置）/ List settings (secrets show only whether they are set).

    Example: danhao config list
    """
    from .cli_errors import open_database
    from .settings import describe
    from .store import connect

    path = _db_path(db_path)
    open_database(path)
    db = connect(path)
    try:
        for name, value in describe(db).items():
            click.echo(f"{name} = {value if value is not None else ''}")
    finally:
        db.conn.close()


def _register_optional_commands() -> None:
    """Commands that live in their own modules (one job each)."""
    from .commands import COMMANDS

    for command in COMMANDS():
        main.add_command(command)


_register_optional_commands()
