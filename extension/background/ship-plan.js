// The plan of a walk through one page per order (抖店's ship pages, a supplier's detail pages), kept per tab in
// session storage: the content script that made it is gone after the first page load, and
// each ship page picks up where the last one stopped. Cleared when the walk ends, when the
// person leaves it, and with the browser session.
const key = (tabId) => `danhao.shipPlan.${tabId}`;

async function read(tabId) {
  return (await chrome.storage.session.get(key(tabId)))[key(tabId)] || null;
}

async function save(tabId, plan) {
  await chrome.storage.session.set({ [key(tabId)]: plan });
  return plan;
}

const ZERO = { confirmed: 0, filled: 0, skipped: 0, failed: 0, held: 0 };

/** cs:ship-plan {op: 'start'|'get'|'opening'|'seen'|'follow'|'advance'|'clear', …} → {ok, data: plan | null}. */
export async function shipPlan(msg, sender) {
  const tabId = sender.tab && sender.tab.id;
  if (tabId == null) return { ok: false, error: { code: 'no_tab', message: 'ship plans belong to a tab' } };
  if (msg.op === 'start') {
    const queue = (Array.isArray(msg.queue) ? msg.queue : []).filter((q) => q && typeof q.order_id === 'string' && typeof q.url === 'string');
    return { ok: true, data: await save(tabId, { site: String(msg.site || ''), listUrl: String(msg.listUrl || ''), queue,
      unreachable: msg.unreachable || [], index: 0, counts: { ...ZERO, held: Number(msg.held) || 0 }, stoppedBy: null, startedAt: Date.now() }) };
  }
  const plan = await read(tabId);
  if (msg.op === 'get') return { ok: true, data: plan };
  if (msg.op === 'clear') { await chrome.storage.session.remove(key(tabId)); return { ok: true, data: plan }; }
  if (msg.op === 'opening' || msg.op === 'seen') {
    // A detail walk's bookkeeping of its pages: 'opening' right before the tab is sent to the page
    // of step `index` (queue.length: back to the list), 'seen' when a step's page is being read. A
    // page no adapter knows is a redirect only soon after either, and only of the step last opened.
    if (!plan) return { ok: true, data: null };
    if (msg.op === 'opening') plan.opened = { index: Number(msg.index), at: Date.now() };
    else plan.seenAt = Date.now();
    return { ok: true, data: await save(tabId, plan) };
  }
  if (msg.op === 'follow') {
    // The current order's number is on another page of it (a detail walk's second page): noted on
    // the step so that the walk follows it once, never in a loop.
    if (!plan || !plan.queue[plan.index]) return { ok: true, data: plan };
    plan.queue[plan.index].followed = String(msg.url || '');
    return { ok: true, data: await save(tabId, plan) };
  }
  if (msg.op === 'advance') {
    if (!plan) return { ok: true, data: null };
    const c = msg.counts || {};
    // Any tally a walk keeps (ship pages: confirmed/filled/…; detail pages: read/numbers/…).
    for (const [k, v] of Object.entries(c)) if (Number.isFinite(Number(v))) plan.counts[k] = (plan.counts[k] || 0) + Number(v);
    plan.index += 1;
    plan.seenAt = Date.now();                  // the walk acted just now (a late redirect is told by it)
    // Two ship pages in a row that Danhao does not know: the site changed, not one order.
    plan.changedRun = msg.changed ? (plan.changedRun || 0) + 1 : 0;
    if (plan.changedRun >= 2) plan.stoppedBy = 'page_changed';
    if (msg.stop) plan.stoppedBy = String(msg.stop).slice(0, 300);
    if (plan.stoppedBy || plan.index >= plan.queue.length) plan.done = true;
    return { ok: true, data: await save(tabId, plan) };
  }
  return { ok: false, error: { code: 'bad_op', message: `unknown op ${msg.op}` } };
}
