// Which purchase orders the helper already holds a 运单号 for: a supplier's detail-page walk
// (content/detail-pages.js) opens only the others. One read per order
// (GET /api/v1/purchase-orders/<site>/<id>, the helper's existing route); an order the helper
// does not know, or a helper that is away, counts as not known (the page is then visited).
import { callMethod } from './helper-client.js';

const MAX = 200;

/** cs:purchase-known {site, order_ids: [string]} → {ok, data: {known: [order ids with a number]}}. */
export async function purchaseKnown(msg) {
  const site = String(msg.site || '');
  const ids = (Array.isArray(msg.order_ids) ? msg.order_ids : []).filter((x) => typeof x === 'string').slice(0, MAX);
  const known = [];
  await Promise.all(ids.map(async (id) => {
    try {
      const { data } = await callMethod('GET', `/api/v1/purchase-orders/${encodeURIComponent(site)}/${encodeURIComponent(id)}`);
      if (data && Array.isArray(data.packages) && data.packages.some((p) => p && (p.tracking || p.number))) known.push(id);
    } catch (e) { /* not known */ }
  }));
  return { ok: true, data: { known } };
}

export const purchaseKnownHandlers = { 'cs:purchase-known': purchaseKnown };
