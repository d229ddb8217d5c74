"""``danhao export --site SITE --format csv|xlsx``: the platform's 批量发货 file (helper/exports.py)."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import DB_OPTION


@click.command("export", short_help="生成平台的批量发货文件 / Write a platform's bulk-shipping file.")
@click.option("--site", default=None, metavar="SITE", help="卖家站点，如 pdd-seller / seller site id, e.g. pdd-seller.")
@click.option("--format", "fmt", default="csv", show_default=True, metavar="csv|xlsx", help="文件格式 / file format.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="输出文件（默认在当前文件夹，按站点命名）/ output file (default: named after the site, in the current folder).")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖 / overwrite the output file if it exists.")
@click.option("--layouts", type=click.Path(path_type=Path), default=None,
              help="改过的版式文件（默认用内置的）/ a corrected layouts file (default: the built-in one).")
@DB_OPTION
def export(site: str, fmt: str, out: Path | None, force: bool, layouts: Path | None, db_path: Path | None) -> None:
    """生成批量发货文件：可填写、尚未上传的运单 / The 批量发货 file of ready, not yet uploaded shipments.

    Columns, sheet name and courier names follow helper/data/bulk_shipping_layouts.json (every
    layout unverified: compare with the template the platform offers before uploading; pass a
    corrected copy with --layouts). The file is danhao-SITE-bulk-shipping.csv (or .xlsx) unless
    --out names another. Order ids and numbers stay text in Excel. Reads only: nothing
    in the database changes. Sites: pdd-seller taobao-seller douyin-seller kuaishou-seller
    jd-seller xhs-seller wechat-seller.

    \b
    Example:
      danhao export --site douyin-seller --format xlsx
      danhao export --site pdd-seller --format csv --out 拼多多发货.csv
    """
    from helper.cli_errors import CliError, open_database
    from helper.exports import FORMATS, LayoutError, bulk_shipping_rows, filename, load_layouts, render
    from helper.store import connect

    from ._common import db_path as resolve

    try:
        known = load_layouts(layouts)
    except LayoutError as err:
        raise CliError(f"错误：{err}".replace(" / ", " / Error: ", 1))
    if not site or site not in known:
        raise CliError(f"错误：不支持的站点 {(site or '（未给出）')[:40]}，可选 {' '.join(known)} / "
                       f"Error: unknown site {(site or '(none given)')[:40]}; choose one of {' '.join(known)}")
    if fmt not in FORMATS:
        raise CliError(f"错误：不支持的格式 {fmt[:20]}，可选 csv 或 xlsx / Error: unknown format {fmt[:20]}; choose csv or xlsx")
    target = out or Path(filename(site, fmt))
    if target.is_dir():
        raise CliError(f"错误：{target} 是一个文件夹，请给出文件名 / Error: {target} is a folder; give a file name")
    if target.exists() and not force:
        raise CliError(f"错误：{target} 已存在，未覆盖；换一个文件名，或加 --force 覆盖 / "
                       f"Error: {target} already exists and was not overwritten; choose another name or add --force")
    source = resolve(db_path)
    open_database(source, must_exist=True)
    db = connect(source)
    try:
        rows = bulk_shipping_rows(db, site, known[site])
    finally:
        db.conn.close()
    try:
        data = render(rows, site, fmt, known[site])
    except ValueError as err:
        raise CliError(f"错误：无法生成文件（{err}）/ Error: cannot write the file ({err})")
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise CliError(f"错误：无法写入 {target}（{err.strerror}）/ Error: cannot write {target} ({err.strerror})")
    orders = len({r["order_id"] for r in rows})
    click.echo(f"已写入 {len(rows)} 个运单（{orders} 个订单）到 {target} / Wrote {len(rows)} shipments ({orders} orders) to {target}")
    if known[site].unverified:
        click.echo("注意：此版式未经平台核实，上传前请与平台提供的模板对照 / Note: this layout is unverified; "
                   "compare it with the platform's own template before uploading", err=True)
