"""``danhao operators add|list|revoke``: the people who may use the helper (helper/operators.py).

`add` prints the new operator's token once on standard output (only a digest is kept);
`list` shows every operator, the original token (the implicit owner) first; `revoke` ends an
operator's tokens at once. Changes are recorded in the event log under ``cli``.
"""
from __future__ import annotations

from pathlib import Path

import click

HELP_TEXT = "显示本帮助并退出 / Show this message and exit."
DB_OPTION = click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
                         help="数据库文件（SQLite）/ database file (default: DANHAO_HOME or the app-data folder)")


def _chinese_help(command: click.Command) -> click.Command:
    """`--help` described Chinese first on a subcommand (as helper.cli does for the others)."""
    plain = type(command).get_help_option

    def get_help_option(ctx):
        option = plain(command, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    command.get_help_option = get_help_option
    return command


class _Group(click.Group):
    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(_chinese_help(cmd), name)


def _open(db_path: Path | None, must_exist: bool = False):
    from helper.cli_errors import open_database
    from helper.paths import default_db_path
    from helper.store import connect

    path = db_path or default_db_path()
    open_database(path, must_exist=must_exist)
    return connect(path)


def _fail(err) -> None:
    from helper.cli_errors import CliError

    raise CliError(f"错误：{err.message}".replace(" / ", " / Error: ", 1))


@click.group("operators", cls=_Group, short_help="添加、查看、停用操作员 / Add, list and revoke operators.")
def operators():
    """添加、查看、停用操作员，每人一个令牌 / Add, list and revoke operators, one token each.

    Every write is recorded under the operator whose token made it. Owners may change settings,
    pairings and operators; operators may sync, convert and fill. The original token
    (danhao token) keeps working as the owner 店主 (named by the `operator` setting).

    \b
    Example / 示例:
      danhao operators add 小李
      danhao operators add 小王 --role owner
      danhao operators list
      danhao operators revoke 小李
    """


@operators.command("add", short_help="添加操作员并打印其令牌 / Add an operator and print its token.")
@click.argument("name")
@click.option("--role", type=click.Choice(["owner", "operator"]), default="operator", show_default=True,
              help="角色：owner 可改设置、配对和操作员；operator 只能同步、转换和填写 / "
                   "role: owner may change settings, pairings and operators; operator may sync, convert and fill")
@DB_OPTION
def add(name, role, db_path):
    """添加操作员 NAME，打印其令牌（只显示这一次）/ Add operator NAME and print its token (shown this once).

    The token goes on standard output alone; paste it in that person's extension options, or
    let them sign in to the review pages with it and pair their extension on /pair. A revoked
    name can be added again: it gets a new token. 名字已在使用时退出码 2 / exit status 2 when
    the name is taken.

    Example: danhao operators add 小李 --role operator
    """
    from helper import operators as ops
    from helper.errors import ApiError

    db = _open(db_path)
    try:
        added, token = ops.add(db, name, role)
    except ApiError as err:
        _fail(err)
    finally:
        db.conn.close()
    click.echo(token)
    click.echo(f"已添加{'店主' if role == 'owner' else '操作员'} {added['name']}（{role}）：令牌只显示这一次，请妥善交给本人 / "
               f"Added {added['name']} ({role}): the token is shown this once; hand it to that person.", err=True)


@operators.command("list", short_help="列出操作员 / List operators.")
@DB_OPTION
def list_(db_path):
    """列出操作员：角色、状态、最近活动、操作次数 / List operators: role, state, last activity, counts.

    Times are Beijing time. The first line is the original token (the implicit owner).

    Example: danhao operators list
    """
    from helper import operators as ops
    from helper.web.words import beijing

    db = _open(db_path)
    try:
        rows = ops.listing(db)
    finally:
        db.conn.close()
    click.echo("名字 name | 角色 role | 状态 state | 最近活动 last activity | 日志 events | 填写 filled | 确认 confirmed | 关联 links")
    for r in rows:
        state = "原令牌 original token" if r["legacy"] else ("使用中 active" if r["active"] else
                                                             f"已停用 revoked {beijing(r['revoked_at'])}")
        c = r["counts"]
        click.echo(f"{r['name']} | {r['role']} | {state} | {beijing(r['last_activity']) or '—'} | "
                   f"{c['events']} | {c['filled']} | {c['confirmed']} | {c['links']}")


@operators.command("revoke", short_help="停用操作员 / Revoke an operator.")
@click.argument("name")
@DB_OPTION
def revoke(name, db_path):
    """停用操作员 NAME：其所有令牌立即失效 / Revoke operator NAME: all its tokens stop working now.

    Its extensions get 401 and its review-page sign-ins end. Its past events keep its name.
    To end the original token instead, run danhao token --new. 没有这个名字时退出码 2 /
    exit status 2 for an unknown name.

    Example: danhao operators revoke 小李
    """
    from helper import operators as ops
    from helper.errors import ApiError

    db = _open(db_path, must_exist=db_path is not None)
    try:
        done = ops.revoke(db, name)
    except ApiError as err:
        _fail(err)
    finally:
        db.conn.close()
    click.echo(f"已停用 {done['name']}，{done['tokens']} 个令牌失效 / Revoked {done['name']}: {done['tokens']} token(s) ended.")
