"""`danhao track`: ask a tracking provider for one number and print the trace and checks.

Configuration comes from the environment (DANHAO_KUAIDI100_* / DANHAO_KDNIAO_* /
DANHAO_17TRACK_*), falling back to the helper's stored settings when the CLI group puts
them in ``ctx.obj["settings"]``. Keys are never printed.
"""
from __future__ import annotations

import json
from datetime import datetime

import click

from helper.tracking import ProviderError, TrackingConfig, TrackingService, trace_checks
from helper.tracking.model import CN_TZ, STATUS_ZH

def _resolve_courier(number: str, courier: str | None) -> tuple[str, str | None, str | None]:
    """(number, courier id, note). ``--courier`` may be an id or a name (中通); without it
    the conversion engine's detector picks the courier when the number format is clear."""
    from helper import couriers
    from helper.convert import detect

    det = detect(number)
    number = det.number or number
    if courier:
        if couriers.exists(courier):
            return number, courier, None
        hits = couriers.by_alias(courier)
        if len(hits) == 1:
            return number, hits[0].id, None
        raise click.BadParameter(f"未知或不明确的快递公司 / unknown or ambiguous courier: {courier}",
                                 param_hint="--courier")
    cands = det.candidates
    if cands and (len(cands) == 1 or cands[0].confidence - cands[1].confidence >= 0.2):
        return number, cands[0].courier, f"识别为 / detected as {cands[0].courier} ({cands[0].name})"
    return number, None, None


LEVEL_MARK = {"ok": "✓", "warn": "!", "review": "?", "block": "✗"}


def _settings(ctx: click.Context, db_path=None) -> dict | None:
    """Settings handed in by the caller, else those stored in the helper's database (if any)."""
    obj = ctx.obj
    if isinstance(obj, dict) and obj.get("settings") is not None:
        return obj["settings"]
    from pathlib import Path

    from helper.paths import default_db_path
    from helper.settings import raw
    from helper.store import connect

    path = Path(db_path) if db_path else default_db_path()
    if not path.exists():
        return None
    db = connect(path)
    try:
        return raw(db)
    except Exception:  # a database without the settings table yet: environment only
        return None
    finally:
        db.conn.close()


@click.command("track", epilog="Example / 示例:\n\n  danhao track 73012345678901 --courier zto --phone 0000")
@click.argument("number")
@click.option("--courier", "courier", metavar="ID",
              help="快递公司 id 或名称（zto、sf、中通…）/ courier id or name (zto, sf, yto…).")
@click.option("--phone", "phone", metavar="LAST4", help="收件手机尾号（顺丰、中通需要）/ last 4 phone digits (顺丰/中通 need them).")
@click.option("--provider", type=click.Choice(["kuaidi100", "kdniao", "17track"]),
              help="只问这一家服务商 / ask this provider only.")
@click.option("--uploaded-at", metavar="ISO", help="单号上传到平台的时间（用于停滞检查）/ when the number was uploaded to the platform (for stall checks).")
@click.option("--area", type=click.Choice(["normal", "remote", "very_remote"]), default="normal",
              show_default=True, help="目的地区域类别（中转停滞规则）/ destination area class for the hub stall rule.")
@click.option("--now", "now", metavar="ISO", help="按此时间评估检查（默认现在）/ evaluate the checks at this time (default: now).")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：{trace, checks} / print JSON: {trace, checks}.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="读取此数据库中的服务商设置 / read provider settings from this database")
@click.pass_context
def track(ctx, number, courier, phone, provider, uploaded_at, area, now, as_json, db_path):
    """查询单号轨迹并检查 / Query a tracking number and check its trace.

    Prints the normalized trace (oldest event first) and the trace checks. Needs a tracking
    provider (danhao config set kuaidi100_customer …, see README); exit status 1 when the
    provider fails (额度用完、密钥错误 / quota used up, wrong key).
    """
    config = TrackingConfig.from_env(_settings(ctx, db_path))
    number, courier, note = _resolve_courier(number, courier)
    if courier is None and "17track" not in config.configured():
        raise click.UsageError("无法确定快递公司，请用 --courier 指定 / cannot tell the courier: pass --courier ID")
    if note and not as_json:
        click.echo(note)
    service = TrackingService(config)
    try:
        trace = service.query(number, courier, phone_tail=phone, provider=provider)
    except ProviderError as exc:
        if as_json:
            click.echo(json.dumps({"error": exc.to_json()}, ensure_ascii=False))
        else:
            click.echo(f"查询失败 / query failed [{exc.provider}: {exc.code}] {exc.message}", err=True)
        ctx.exit(1)
    finally:
        service.close()
    now = now or datetime.now(CN_TZ).replace(microsecond=0).isoformat()
    checks = trace_checks(trace, buyer=None, uploaded_at=uploaded_at, now=now, area=area)
    if as_json:
        click.echo(json.dumps({"trace": trace.to_json(), "checks": checks}, ensure_ascii=False))
        return
    click.echo(f"{trace.number}  {trace.courier or '?'}  via {trace.provider}  "
               f"{STATUS_ZH.get(trace.status, trace.status)} / {trace.status}")
    if trace.destination:
        d = trace.destination
        click.echo(f"目的地 / destination: {d.get('province') or ''} {d.get('city') or ''}".rstrip())
    if trace.signed_by or trace.sign_type:
        click.echo(f"签收 / signed: {trace.signed_by or ''} ({trace.sign_type or '?'})")
    if trace.transfer:
        click.echo(f"转投 / transfer: {trace.transfer.get('courier') or '?'} {trace.transfer.get('number')}")
    if not trace.events:
        click.echo("暂无轨迹 / no events yet")
    for e in trace.events:
        place = f" [{e.place}]" if e.place else ""
        click.echo(f"  {e.time}  {e.stage:<16}{place} {e.text}")
    for c in checks:
        click.echo(f"{LEVEL_MARK[c['level']]} {c['level']:<6} {c['code']}: {c['message']['zh']} / {c['message']['en']}")
