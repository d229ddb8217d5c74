// Toolbar popup: helper status, what the current page is, where the shop's orders stand
// (已超时 / 即将超时 / 单号丢失), the buttons that start work.
// Long work runs in the page (the popup closes on the first click outside it); the popup
// only starts it and shows progress while open. Words: chrome.i18n (extension/lib/i18n.js).
const $ = (id) => document.getElementById(id);
const I = globalThis.DanhaoI18n;
const { t } = I;

const STATE_TEXT = {
  online: () => t('helperOnline'),
  offline: () => t('helperOffline'),
  unknown: () => t('helperUnknown'),
  unpaired: () => t('helperUnpaired'),
};
const STATE_HINT = {
  offline: () => t('hintStartHelper'),
  unknown: () => t('hintForeignServer'),
  unpaired: () => t('hintPair'),
};
const KIND_TEXT = { 'order-list': () => t('kindOrderList'), 'purchase-list': () => t('kindPurchaseList') };

function show(text, level = 'info', code = '') {
  const m = $('message');
  m.hidden = !text;
  m.textContent = text || '';
  m.className = level;
  m.dataset.code = code;
}

async function targetTabId() {
  const fromQuery = new URLSearchParams(location.search).get('tab');
  if (fromQuery) return Number(fromQuery);
  const win = await chrome.windows.getLastFocused({ windowTypes: ['normal'] });
  const [tab] = await chrome.tabs.query({ active: true, windowId: win.id });
  return tab ? tab.id : null;
}

const toPage = (tabId, msg) => chrome.tabs.sendMessage(tabId, msg, { frameId: 0 });

async function helperStatus() {
  const el = $('helper-state');
  const hint = $('hint');
  try {
    const r = await chrome.runtime.sendMessage({ type: 'popup:helper-status', checkToken: true });
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    const { state, version, pending, alerts, helperUrl } = r.data;
    el.dataset.state = state;
    el.textContent = (STATE_TEXT[state] || STATE_TEXT.unknown)() + (version ? ` v${version}` : '');
    if (pending) el.append(' · ', t('popupPending', [pending]));
    if (alerts) el.append(' · ', t('popupAlerts', [alerts]));
    hint.hidden = !STATE_HINT[state];
    hint.textContent = STATE_HINT[state] ? STATE_HINT[state]() : '';
    hint.dataset.state = state;
    // The helper answers but holds no pairing with us: one click pairs.
    $('pair-wrap').hidden = state !== 'unpaired';
    const link = $('review-link');
    link.hidden = !(helperUrl && (state === 'online' || state === 'unpaired'));
    if (helperUrl) link.href = `${helperUrl.replace(/\/+$/, '')}/`;
  } catch (e) {
    el.dataset.state = 'unknown';
    el.textContent = I.errorText(e);
  }
}

async function pair() {
  const btn = $('pair');
  btn.disabled = true;
  const r = await chrome.runtime.sendMessage({ type: 'popup:pair' });
  if (!r || !r.ok) { show(I.errorText(r && r.error), 'error', (r && r.error && r.error.code) || 'error'); btn.disabled = false; return; }
  show(t('pairOpened'), 'info', 'pair_opened');
}

async function pageStatus(tabId) {
  const info = $('page-info');
  const unsupported = () => { info.textContent = t('pageUnsupported'); info.dataset.site = ''; return null; };
  if (tabId == null) return unsupported();
  let r;
  try {
    r = await toPage(tabId, { type: 'popup:status' });
  } catch (e) {
    return unsupported();
  }
  if (!r || !r.ok || !r.data.site) return unsupported();
  const d = r.data;
  const site = I.siteName(d.site);
  const kind = KIND_TEXT[d.kind] ? KIND_TEXT[d.kind]() : t('kindUnknown');
  info.textContent = t('pageInfo', [site, kind, d.rows]);
  info.dataset.site = d.site;
  info.dataset.kind = d.kind || '';
  info.dataset.rows = d.rows;
  const seller = d.side === 'seller';
  $('sync-sales').hidden = !seller;
  $('fill').hidden = !seller || d.kind !== 'order-list';
  $('sync-purchase').hidden = seller;
  $('all-pages-wrap').hidden = false;
  if (d.busy) show(d.busy === 'fill' ? t('busyFilling') : t('busySyncing'));
  return d;
}

// 已超时 / 即将超时 / 单号丢失 for the shop this tab is on (its site when the shop is not known,
// every shop off a seller page), through the service worker; each count opens the review page
// that lists those orders.
async function standing(tabId, page) {
  const box = $('standing');
  const site = page && page.side === 'seller' ? page.site : '';
  let r = null;
  try { r = await chrome.runtime.sendMessage({ type: 'popup:dashboard', tabId, site }); } catch (e) { r = null; }
  if (!r || !r.ok) { box.hidden = true; return; }
  const { figures, shop, helperUrl } = r.data;
  const siteName = I.siteName(site);
  $('standing-scope').textContent = shop ? t('popupScopeShop', [shop]) : site ? t('popupScopeSite', [siteName]) : t('popupScopeAll');
  box.dataset.site = site;
  box.dataset.shop = shop;
  const base = (helperUrl || '').replace(/\/+$/, '');
  const orders = (extra) => {
    const q = new URLSearchParams(extra);
    if (site) q.set('site', site);
    if (shop) q.set('shop', shop);
    return `${base}/orders?${q}`;
  };
  const lost = figures.lost_numbers;
  const shown = {
    overdue: [figures.deadlines.overdue, 'bad', orders({ due: 'overdue' })],
    due_soon: [figures.deadlines.due_soon, 'warn', orders({ due: 'soon' })],
    lost: [lost.total, 'bad', lost.sales && !lost.purchases ? orders({ lost: 'unlinked' }) : `${base}/#lost-purchases`],
  };
  for (const [name, [n, level, href]] of Object.entries(shown)) {
    const a = box.querySelector(`[data-figure="${name}"]`);
    a.querySelector('.n').textContent = String(n);
    a.dataset.n = String(n);
    a.dataset.level = n ? level : '';
    a.href = href;
  }
  box.querySelector('[data-figure="due_soon"]').title = t('popupDueSoonTitle', [figures.hours.due_soon_hours]);
  $('lost-detail').textContent = lost.total ? t('popupLostDetail', [lost.purchases, lost.sales]) : '';
  box.hidden = false;
}

// The latest state of each order over every walk (filled → confirmed); a confirmed order stays
// confirmed when a later walk skips it as already submitted.
function latestPerOrder(results) {
  const byOrder = new Map();
  for (const r of results) {
    const key = `${r.site || ''} ${r.order_id}`;
    const state = I.resultState(r, { latest: true });
    const before = byOrder.get(key);
    if (before && before.state === 'confirmed' && state !== 'confirmed') continue;
    byOrder.delete(key);                       // re-inserted last: the newest change shows first
    byOrder.set(key, { ...r, state });
  }
  return [...byOrder.values()];
}

function renderResults(results) {
  const ul = $('results');
  if (!results.length) return;
  ul.textContent = '';
  for (const r of latestPerOrder(results).slice(-20).reverse()) {
    const li = document.createElement('li');
    li.className = `r-${r.result} st-${r.state}`;
    li.dataset.orderId = r.order_id;
    li.dataset.state = r.state;
    li.dataset.result = r.result;
    li.dataset.reasonCode = I.reasonCode(r.reason);
    const why = r.state === 'confirmed' ? '' : I.reasonText(r.reason);
    li.textContent = `${r.order_id} — ${I.stateText(r.state)}${why ? ` · ${why}` : ''}`;
    ul.append(li);
  }
}

function renderProgress(p) {
  const el = $('progress');
  if (p && p.error) show(I.errorText({ code: p.errorCode, message: p.error }), 'error', p.errorCode || 'error');
  if (p && p.note === 'nothing_to_ship') show(t('fillNothingToShip'));
  if (!p || p.total == null || (p.finished && !p.total)) { el.hidden = true; return; }
  el.hidden = false;
  if (p.finished) el.textContent = p.task === 'sync' ? t('syncFinished') : t('fillDoneOf', [p.done, p.total]);
  else if (p.task === 'fill' && p.index) el.textContent = `${t('fillOrderOf', [p.index, p.total])} · ${p.current}`;
  else el.textContent = p.task === 'sync' ? t('syncProgress', [p.done]) : t('fillDoneOf', [p.done, p.total]);
}

async function lastResults() {
  const r = await chrome.runtime.sendMessage({ type: 'popup:last-results' });
  if (r && r.ok) { renderResults(r.data.results); renderProgress(r.data.progress); }
}

async function start(tabId, type) {
  const buttons = document.querySelectorAll('#actions button');
  buttons.forEach((b) => { b.disabled = true; });
  show(type === 'popup:fill' ? t('fillStartedPopup') : t('busySyncing'));
  try {
    const r = await toPage(tabId, { type, allPages: $('all-pages').checked });
    if (!r || !r.ok) throw Object.assign(new Error((r && r.error && r.error.message) || 'no answer'), (r && r.error) || { code: 'no_answer' });
    if (type === 'popup:sync') {
      const d = r.data;
      const bad = d.rejected || [];
      const why = bad.slice(0, 3).map((x) => `${x.order_id || '?'}：${x.message || x.field || ''}`).join('；');
      show(t('syncDone', [d.orders, d.pages]) + (d.queued ? t('syncQueued') : '')
        + (bad.length ? t('syncRejected', [bad.length, why]) : '')
        + (d.notes && d.notes.length ? t('syncNotes', [d.notes.join('；')]) : ''), bad.length ? 'error' : 'info');
    }
  } catch (e) {
    show(I.errorText(e), 'error', (e.details && e.details.code) || e.code || 'error');
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

(async () => {
  I.localize();
  $('open-options').addEventListener('click', (e) => { e.preventDefault(); chrome.runtime.openOptionsPage(); });
  $('pair').addEventListener('click', pair);
  const tabId = await targetTabId();
  $('sync-sales').addEventListener('click', () => start(tabId, 'popup:sync'));
  $('sync-purchase').addEventListener('click', () => start(tabId, 'popup:sync'));
  $('fill').addEventListener('click', () => start(tabId, 'popup:fill'));
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    if (changes['danhao.progress']) renderProgress(changes['danhao.progress'].newValue);
    if (changes['danhao.lastResults']) renderResults(changes['danhao.lastResults'].newValue || []);
  });
  await Promise.all([helperStatus(), pageStatus(tabId).then((page) => standing(tabId, page)), lastResults()]);
  document.body.dataset.ready = '1';
})();
