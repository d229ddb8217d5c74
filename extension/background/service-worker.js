// Router between content scripts, popup and the helper. The worker is the only caller
// of the helper: content scripts are bound by the page's CORS and must not hold the token.
import { callMethod, isTransient } from './helper-client.js';
import { ping as rawPing } from './ping.js';
import { enqueue, newRequestId, queueLength, alertCount, replayQueue } from './queue.js';
import { updateBadge } from './badge.js';
import { getSettings, setSettings, DEFAULT_SETTINGS } from './settings.js';
import { startPairing, acceptPairing } from './pairing.js';
import { dashboardHandlers, helperAlertTotal, rememberShop } from './dashboard.js';
import { patchHandlers } from './patches.js';
import { shipPlan } from './ship-plan.js';
import { purchaseKnownHandlers } from './purchase-known.js';

const LAST_RESULTS_KEY = 'danhao.lastResults';
const PROGRESS_KEY = 'danhao.progress';
const ALARM = 'danhao-replay';
let lastState = 'unknown';
let helperAlerts = 0;

async function refreshBadge(state = lastState) {
  try {
    await updateBadge({ state, pending: await queueLength(), alerts: (await alertCount()) + helperAlerts });
  } catch (e) { /* badge is cosmetic */ }
}

// Every successful ping replays the queue: that is how queued writes reach a helper
// that came back.
async function ping(opts) {
  const r = await rawPing(opts);
  lastState = r.state;
  let traceAlerts = 0;
  if (r.state === 'online') {
    try { await replayQueue(); } catch (e) { /* next ping retries */ }
    // The helper's own alerts (stalled traces, returns…, lost numbers) count on the badge too.
    try { traceAlerts = await helperAlertTotal(); } catch (e) { /* not readable now: none counted this round */ }
  }
  helperAlerts = traceAlerts;
  await refreshBadge(r.state);
  return { ...r, pending: await queueLength(), alerts: (await alertCount()) + traceAlerts, traceAlerts };
}

// A write is sent with its request id; if the helper is away it is queued under the same
// id, so a write that did land (answer lost to a timeout) is not recorded twice.
async function write(path, body) {
  const id = newRequestId();
  try {
    const { data } = await callMethod('POST', path, body, { requestId: id });
    lastState = 'online';
    refreshBadge('online');
    if (await queueLength()) replayQueue().then(() => refreshBadge());
    return { ok: true, data };
  } catch (e) {
    if (!isTransient(e)) throw e;
    await enqueue({ id, method: 'POST', path, body });
    lastState = 'offline';
    await refreshBadge('offline');
    return { ok: true, queued: true };
  }
}

async function rememberResults(site, results) {
  const got = (await chrome.storage.local.get(LAST_RESULTS_KEY))[LAST_RESULTS_KEY] || [];
  const stamped = results.map((r) => ({ ...r, site, at: new Date().toISOString() }));
  await chrome.storage.local.set({ [LAST_RESULTS_KEY]: [...got, ...stamped].slice(-100) });
}

const handlers = {
  async 'cs:sync'(msg, sender) {
    // The shop a tab's orders name: the popup's counts for the shop it is on (dashboard.js).
    if (msg.kind !== 'purchase') rememberShop(sender.tab && sender.tab.id, msg.site, msg.orders).catch(() => {});
    const path = msg.kind === 'purchase' ? '/api/v1/purchase-orders' : '/api/v1/sales-orders';
    return write(path, { site: msg.site, page_url: msg.page_url, orders: msg.orders || [] });
  },
  async 'cs:convert'(msg) {
    const { data } = await callMethod('POST', '/api/v1/convert',
      // Without options (a list with no ship form on it) the helper maps couriers by platform code.
      { site: msg.site, order_ids: msg.order_ids || [], ...(Array.isArray(msg.options) ? { options: msg.options } : {}) });
    return { ok: true, data };
  },
  async 'cs:fill-results'(msg) {
    await rememberResults(msg.site, msg.results || []);
    return write('/api/v1/fill-results', { site: msg.site, results: msg.results || [] });
  },
  // What an adapter could not find on a page: into the helper's event log (queued if it is away).
  async 'cs:page-report'(msg) {
    return write('/api/v1/page-reports', { site: msg.site, page_url: msg.page_url, code: msg.code || 'page_changed', message: String(msg.message || '').slice(0, 500) });
  },
  async 'cs:settings'() {
    const s = await getSettings();
    return { ok: true, data: { autoSubmit: s.autoSubmit, autoSync: s.autoSync, helperUrl: s.helperUrl } };
  },
  async 'cs:progress'(msg, sender) {
    const tabId = sender.tab ? sender.tab.id : null;
    await chrome.storage.local.set({ [PROGRESS_KEY]: { ...msg.progress, tabId, at: Date.now() } });
    return { ok: true };
  },
  'cs:ship-plan': shipPlan,
  async 'popup:helper-status'(msg) {
    const r = await ping({ checkToken: Boolean(msg.checkToken) });
    return { ok: true, data: { ...r, helperUrl: (await getSettings()).helperUrl } };
  },
  // 连接助手: open the helper's pairing page (pairing.js says what is accepted back).
  async 'popup:pair'() { return startPairing(); },
  async 'popup:last-results'() {
    const got = await chrome.storage.local.get([LAST_RESULTS_KEY, PROGRESS_KEY]);
    return { ok: true, data: { results: got[LAST_RESULTS_KEY] || [], progress: got[PROGRESS_KEY] || null } };
  },
};

// 指给我看: the site patches (storage + helper), for content scripts and the options page.
Object.assign(handlers, patchHandlers);
Object.assign(handlers, purchaseKnownHandlers);

// Where the orders stand, for the popup (dashboard.js).
Object.assign(handlers, dashboardHandlers);

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !msg || !handlers[msg.type]) return false;
  // Only the top frame of a tab speaks for the page.
  if (sender.tab && sender.frameId !== 0 && msg.type.startsWith('cs:')) {
    sendResponse({ ok: false, error: { code: 'not_top_frame', message: 'only the top frame may call' } });
    return false;
  }
  handlers[msg.type](msg, sender)
    .then(sendResponse)
    .catch((e) => sendResponse({ ok: false, error: e.toJSON ? e.toJSON() : { code: 'error', message: String(e && e.message || e) } }));
  return true;
});

// The helper's /pair page hands over the token (externally_connectable: loopback pages only).
chrome.runtime.onMessageExternal.addListener((msg, sender, sendResponse) => {
  if (!msg || msg.type !== 'danhao:pair') return false;
  acceptPairing(msg, sender)
    .then(async (r) => { if (r.ok) await ping(); sendResponse(r); })
    .catch((e) => sendResponse({ ok: false, error: { code: 'error', message: String(e && e.message || e) } }));
  return true;
});

// Replay also without pings: the popup may never be opened while the helper restarts.
function ensureAlarm() {
  chrome.alarms.create(ALARM, { periodInMinutes: 1 });
}
// No settings are written at install: getSettings() supplies the defaults, and a read-then-write
// here could overwrite a pairing made in the first moments (a test's, or the 允许 page's).
chrome.runtime.onInstalled.addListener(async () => {
  ensureAlarm();
  ping();
});
chrome.runtime.onStartup.addListener(() => { ensureAlarm(); ping(); });
chrome.alarms.onAlarm.addListener((a) => { if (a.name === ALARM) ping(); });
ensureAlarm();

// Test and debugging hooks (the worker's console, Playwright's sw.evaluate).
globalThis.danhao = {
  ping, callMethod, replayQueue, queueLength, pairing: { start: startPairing },
  settings: { get: getSettings, set: setSettings, defaults: DEFAULT_SETTINGS },
};
