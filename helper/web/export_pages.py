"""Review page 批量发货 (`/exports`): per seller site, how many ready, not yet uploaded shipments
there are, the layout of the platform's bulk-shipping file (columns, several numbers per order,
where the courier names come from, unverified) and its downloads: CSV (`/exports/bulk-shipping.csv`,
in web/__init__.py) and XLSX (`/exports/bulk-shipping.xlsx`, here). Both read only: a GET
records nothing. The files come from helper/exports.py and its data file."""

from __future__ import annotations

from flask import Response, render_template, request, url_for

from .. import exports
from ..db import get_db
from . import bp, i18n, words


def _layout_error(err: exports.LayoutError):
    """A mistake in the layouts data file, said plainly (the rest of the helper keeps working)."""
    return render_template("message.html", title=i18n.t("批量发货版式文件有误", "The bulk-shipping layouts file has a mistake"),
                           message=words.bilingual(str(err), i18n.current()), back=url_for("web.shipments")), 500


@bp.get("/exports")
def bulk_shipping_page():
    db = get_db()
    sites = []
    try:
        layouts = exports.load_layouts()
    except exports.LayoutError as err:
        return _layout_error(err)
    for site, lay in layouts.items():
        rows = exports.bulk_shipping_rows(db, site, lay)
        sites.append({"site": site, "layout": lay, "shipments": len(rows),
                      "orders": len({r["order_id"] for r in rows}), "lines": len(exports.file_lines(rows, lay))})
    return render_template("bulk_shipping.html", sites=sites)


@bp.get("/exports/bulk-shipping.xlsx")
def bulk_shipping_xlsx():
    """The 批量发货 file as XLSX (signed in by cookie); 400 page for a site without a layout."""
    site = request.args.get("site", "pdd-seller")
    try:
        lay = exports.layout(site)
    except exports.LayoutError as err:
        return _layout_error(err)
    if lay is None:
        return render_template("message.html", title=i18n.t("不支持的站点", "Unknown site"), message=site[:40],
                               back=url_for("web.bulk_shipping_page")), 400
    data = exports.bulk_shipping_xlsx(exports.bulk_shipping_rows(get_db(), site, lay), site, lay)
    return Response(data, mimetype=exports.MIMETYPES["xlsx"],
                    headers={"Content-Disposition": f"attachment; filename={exports.filename(site, 'xlsx')}"})
