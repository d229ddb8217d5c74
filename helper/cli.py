"""The `danhao` command (also `python -m helper`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .paths import default_db_path

DB_OPTION = click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
                         help="数据库文件（SQLite）/ database file (default: DANHAO_HOME or the app-data folder)")


def _db_path(db_path: Path | None) -> Path:
    return db_path or default_db_path()


HELP_TEXT = "显示本帮助并退出 / Show this message and exit."


def _chinese_first_help(command: click.Command) -> click.Command:
    """`-h/--help` described Chinese first on this command (click's own text is English only)."""
    plain = type(command).get_help_option

    def get_help_option(ctx):
        option = plain(command, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    command.get_help_option = get_help_option
    return command


class DanhaoGroup(click.Group):
    """A group whose commands (and sub-groups) all describe `--help` Chinese first."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(_chinese_first_help(cmd), name)


DanhaoGroup.group_class = DanhaoGroup


@click.group(cls=DanhaoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="danhao", help="显示版本并退出 / Show the version and exit.")
def main():
    """单号本地助手：把供应商的真实运单号填进店铺发货表单 / Danhao, the local helper for tracking-number conversion.

    \b
    Example / 示例:
      danhao serve             启动助手 / start the helper
      danhao autostart on      登录后自动启动 / start at every login
      danhao config list       查看设置 / show the settings
    """


_chinese_first_help(main)


@main.command(short_help="运行助手服务 / Run the helper.")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to bind")
@click.option("--port", default=17890, show_default=True, type=click.IntRange(0, 65535), help="端口 / port")
@click.option("--allow-host", "allow_hosts", multiple=True,
              help="额外允许的 Host 名（局域网共享时）/ extra Host name to accept (LAN use)")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="处理请求的线程数 / worker threads")
@click.option("--no-refresh", is_flag=True, help="不在后台刷新轨迹 / don't refresh traces in the background")
@DB_OPTION
def serve(host, port, allow_hosts, threads, no_refresh, db_path):
    """运行助手服务（按 Ctrl+C 停止）/ Serve the helper with a production WSGI server (waitress); stop with Ctrl+C.

    Prints the URL and the pairing token. Data lives in DANHAO_HOME if set, else the user's
    app-data folder (see README). 端口被占用时换一个：--port 17891 / pick another port when it is taken.

    Example: danhao serve --port 17890
    """
    import waitress

    from .app import create_app
    from .cli_errors import listen_error, open_database
    from .security import ensure_token
    from .store import connect

    path = _db_path(db_path)
    # The default folder is made on the first run; a --db of your own must name an existing folder.
    open_database(path, folder_must_exist=db_path is not None)
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
        click.echo("  其他电脑上的人用自己的操作员令牌（danhao operators add 名字）连接和登录；除登录页和 /api/v1/health 外没有免令牌的入口 / "
                   "People on other computers connect and sign in with their own operator token (danhao operators add NAME); "
                   "nothing but the sign-in page and /api/v1/health answers without a token.", err=True)
    click.echo(f"  Token / 令牌:  {token}")
    click.echo(f"  Database / 数据库: {path}")
    click.echo("  把令牌粘贴到扩展的选项页完成配对 / Paste the token in the extension options to pair.")
    sys.stdout.flush()
    from .store import Checkpointer

    checkpointer = Checkpointer(path)
    checkpointer.start()
    from .retention import RetentionRunner

    retention = RetentionRunner(str(path))   # masks buyer data past retention_days: at start, then daily
    retention.start()
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
        retention.stop()
        if refresher:
            refresher.stop()


@main.command(short_help="打印配对令牌 / Print the pairing token.")
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
    """查看或修改助手设置 / Read or change helper settings.

    \b
    Example / 示例:
      danhao config list
      danhao config set refresh_interval_min 120
    """


@config.command("set", context_settings={"ignore_unknown_options": True})   # VALUE may be -1
@click.argument("name")
@click.argument("value")
@DB_OPTION
def config_set(name, value, db_path):
    """设置 NAME 为 VALUE（空字符串删除）/ Set NAME to VALUE (empty removes it).

    NAME is one of the names `danhao config list` shows. VALUE is checked before anything is
    written: whole numbers for refresh_interval_min (30–43200) and kdniao_daily_quota,
    0 or 1 for allow_fill_without_pickup, http(s):// URLs for *_url, host names for
    allowed_hosts. 值不合格时什么都不写，退出码 2 / a bad value writes nothing, exit status 2.

    Example: danhao config set kuaidi100_customer ABCDEF
    """
    from . import events
    from .cli_errors import CliError, open_database
    from .errors import ApiError
    from .settings import PUBLIC_SETTINGS, SECRET_SETTINGS, check_value, write_setting
    from .store import connect, transaction

    if name not in PUBLIC_SETTINGS and name not in SECRET_SETTINGS:
        raise CliError(f"错误：未知设置 {name}，运行 danhao config list 查看可用名称 / "
                       f"Error: Unknown setting {name}; run danhao config list to see the names")
    if value:
        try:
            check_value(name, value)   # before the database is opened: a bad value writes nothing
        except ApiError as err:
            raise CliError(f"错误：{err.message}".replace(" / ", " / Error: ", 1))
    path = _db_path(db_path)
    open_database(path)
    db = connect(path)
    try:
        with transaction(db):
            write_setting(db, name, value)
            events.record(db, "settings.changed", operator="cli", data={"names": [name]})
    except ApiError as err:
        raise CliError(f"错误：{err.message}".replace(" / ", " / Error: ", 1))
    finally:
        db.conn.close()
    click.echo(f"{name} ✓")


@config.command("list", short_help="列出设置及默认值 / List settings and defaults.")
@DB_OPTION
def config_list(db_path):
    """列出设置及默认值（密钥只显示是否已设置）/ List settings with their defaults (secrets show only whether they are set).

    Example: danhao config list
    """
    from .cli_errors import open_database
    from .settings import listing
    from .store import connect

    path = _db_path(db_path)
    open_database(path)
    db = connect(path)
    try:
        for name, shown in listing(db):
            click.echo(f"{name} = {shown}")
    finally:
        db.conn.close()


def _register_optional_commands() -> None:
    """Commands that live in their own modules (one job each)."""
    from .commands import COMMANDS

    for command in COMMANDS():
        main.add_command(command)


_register_optional_commands()
