// The in-page progress panel. It lives in the page because the toolbar popup closes as
// soon as the user clicks the page, and a fill waits for those clicks. A shadow root
// keeps the page's CSS off the panel and ours off the page. Every word comes from
// chrome.i18n (extension/lib/i18n.js); internal codes stay in data attributes.
(function () {
  'use strict';
  const HOST_ID = 'danhao-panel-host';
  const I = globalThis.DanhaoI18n;
  const t = I.t;

  const CSS = `
    :host { all: initial; }
    .box { position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; width: 340px;
      max-height: 60vh; display: flex; flex-direction: column; background: #fff; color: #222;
      font: 13px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif;
      border: 1px solid #e0e0e0; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.15); }
    header { display: flex; align-items: center; gap: 8px; padding: 8px 12px; background: #e85d04;
      color: #fff; border-radius: 8px 8px 0 0; font-weight: 600; }
    header .title { flex: 1; }
    header button { background: none; border: 0; color: #fff; font-size: 16px; cursor: pointer; }
    .body { padding: 8px 12px; overflow: auto; }
    .progress { font-weight: 600; }
    .current { color: #333; margin: 2px 0; word-break: break-all; }
    .current b { font-family: ui-monospace, Menlo, Consolas, monospace; }
    .hint { color: #b06000; font-weight: 600; margin: 2px 0 6px; }
    .counts { display: flex; flex-wrap: wrap; gap: 4px 10px; margin: 4px 0; color: #444; }
    .counts span[data-n="0"] { color: #aaa; }
    .msg { margin: 4px 0; padding: 4px 6px; border-radius: 4px; background: #f5f5f5; }
    .msg.error { background: #fdecea; color: #a50e0e; }
    .msg.info { background: #e8f0fe; color: #174ea6; }
    ul { list-style: none; margin: 4px 0; padding: 0; }
    li { padding: 3px 0; border-top: 1px solid #f0f0f0; word-break: break-all; }
    .st-confirmed { color: #188038; } .st-filled { color: #1a73e8; } .st-failed { color: #c5221f; } .st-skipped { color: #80868b; }
    .held h4 { margin: 8px 0 2px; font-size: 13px; }
    .s-review { color: #b06000; } .s-blocked { color: #c5221f; }
    .reason { display: block; color: #666; font-size: 12px; }
    .review { display: block; margin-top: 6px; color: #1a73e8; }
    .actions { display: flex; gap: 8px; padding: 8px 12px; border-top: 1px solid #eee; }
    .actions button { flex: 1; padding: 6px; border-radius: 4px; border: 1px solid #ccc; background: #fff; cursor: pointer; font: inherit; }
    .actions button.stop { border-color: #c5221f; color: #c5221f; }
    .actions button:disabled { opacity: .4; cursor: default; }
  `;
  const COUNT_KEYS = ['confirmed', 'filled', 'skipped', 'failed', 'held'];
  const COUNT_TEXT = {
    confirmed: (n) => t('countConfirmed', [n]), filled: (n) => t('countFilled', [n]),
    skipped: (n) => t('countSkipped', [n]), failed: (n) => t('countFailed', [n]), held: (n) => t('countHeld', [n]),
  };
  const STATUS_TEXT = { review: () => t('heldReview'), blocked: () => t('heldBlocked') };

  let root = null;
  let els = null;
  let waiters = [];       // resolvers waiting for 跳过/停止
  let stopped = false;
  let reviewUrl = '';
  let lines = new Map();  // order id → its one line (results and held alike)

  function el(tag, attrs = {}, text = '') {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  }

  function ensure() {
    if (root && document.getElementById(HOST_ID)) return;
    const host = el('div', { id: HOST_ID });
    root = host.attachShadow({ mode: 'open' });
    const style = el('style'); style.textContent = CSS;
    const box = el('div', { class: 'box', part: 'box' });
    const header = el('header');
    header.append(el('span', { class: 'title' }, t('panelTitle')));
    const closeBtn = el('button', { 'data-action': 'close', title: t('panelClose') }, '×');
    header.append(closeBtn);
    const body = el('div', { class: 'body' });
    const progress = el('div', { class: 'progress', 'data-role': 'progress' });
    const current = el('div', { class: 'current', 'data-role': 'current' });
    const hint = el('div', { class: 'hint', 'data-role': 'hint', hidden: '' });
    const counts = el('div', { class: 'counts', 'data-role': 'counts', hidden: '' });
    const messages = el('div', { 'data-role': 'messages' });
    const results = el('ul', { 'data-role': 'results' });
    const held = el('div', { class: 'held', 'data-role': 'held' });
    const review = el('a', { class: 'review', 'data-role': 'review-link', target: '_blank', rel: 'noopener', hidden: '' }, t('panelReviewLink'));
    body.append(progress, current, hint, counts, messages, results, held, review);
    const actions = el('div', { class: 'actions' });
    const skip = el('button', { 'data-action': 'skip', title: t('panelSkipTitle') }, t('panelSkip'));
    const stop = el('button', { 'data-action': 'stop', class: 'stop', title: t('panelStopTitle') }, t('panelStop'));
    actions.append(skip, stop);
    box.append(header, body, actions);
    root.append(style, box);
    (document.body || document.documentElement).append(host);
    skip.addEventListener('click', () => interrupt('skip'));
    stop.addEventListener('click', () => { stopped = true; interrupt('stop'); });
    closeBtn.addEventListener('click', () => host.remove());
    els = { host, progress, current, hint, counts, messages, results, held, review, skip, stop };
    if (reviewUrl) api.reviewLink(reviewUrl);
  }

  function interrupt(kind) {
    const w = waiters; waiters = [];
    w.forEach((resolve) => resolve(kind));
  }

  function recount() {
    const n = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0]));
    for (const li of lines.values()) if (n[li.dataset.state] != null) n[li.dataset.state] += 1;
    els.counts.textContent = '';
    for (const k of COUNT_KEYS) els.counts.append(el('span', { 'data-count': k, 'data-n': String(n[k]) }, COUNT_TEXT[k](n[k])));
    els.counts.hidden = false;
    return n;
  }

  function clear() {
    els.results.textContent = ''; els.held.textContent = ''; els.messages.textContent = '';
    els.hint.hidden = true; els.counts.hidden = true; els.current.textContent = ''; els.progress.textContent = '';
    lines = new Map();
  }

  const api = {
    show() { ensure(); return api; },
    // The review pages of the helper (its URL + '/').
    reviewLink(url) {
      reviewUrl = url || '';
      if (!els) return;
      els.review.hidden = !reviewUrl;
      if (reviewUrl) els.review.href = reviewUrl.replace(/\/+$/, '') + '/';
    },
    // --- sync
    syncStart() {
      ensure(); clear(); stopped = false;
      els.progress.dataset.task = 'sync';
      els.progress.textContent = t('syncReading');
      api.busy(false);
    },
    syncProgress({ pages = 0, total = null, orders = 0 } = {}) {
      ensure();
      els.progress.dataset.task = 'sync';
      els.progress.textContent = total ? t('syncProgressOf', [pages, total]) : t('syncProgress', [pages]);
      els.current.textContent = t('syncOrdersSoFar', [orders]);
    },
    syncDone(text, level = 'info') {
      ensure();
      els.progress.textContent = t('syncFinished');
      els.current.textContent = '';
      api.message(text, level);
    },
    // --- fill
    start({ title = '', total = 0 } = {}) {
      ensure(); clear();
      stopped = false;
      els.progress.dataset.task = 'fill';
      els.progress.dataset.total = String(total);
      els.progress.textContent = title;
      api.busy(true);
    },
    // "第 3/7 单", the courier and number being filled, and what the person does next.
    current(shipment, index, total) {
      ensure();
      if (!shipment) { els.current.textContent = ''; els.hint.hidden = true; return; }
      els.progress.textContent = t('fillOrderOf', [index, total]);
      els.progress.dataset.index = String(index);
      els.progress.dataset.total = String(total);
      els.current.textContent = '';
      els.current.dataset.orderId = shipment.order_id;
      const option = (shipment.target && shipment.target.option) || '';
      els.current.append(t('fillCurrentOrder', [shipment.order_id]), el('br'),
        t('fillCurrentCourier', [option || '—']), ' ', el('b', { 'data-role': 'number' }, shipment.number || '—'));
      els.hint.textContent = t('fillHint');
      els.hint.hidden = false;
    },
    progress(done, total) { ensure(); els.progress.textContent = t('fillDoneOf', [done, total]); },
    message(text, level = 'info', code = '') {
      ensure();
      const m = el('div', { class: `msg ${level}`, 'data-level': level }, text);
      if (code) m.dataset.code = code;
      els.messages.append(m);
    },
    // One line per order: a later result for the same order updates its line (a second
    // package of an order only adds a note; a confirmed order stays confirmed).
    result(r) {
      ensure();
      const code = I.reasonCode(r.reason);
      let state = I.resultState(r);
      let li = lines.get(r.order_id);
      if (li && li.parentNode === els.results) {
        if (code === 'one_number_per_order' || li.dataset.state === 'confirmed') {
          li.append(el('span', { class: 'reason', 'data-reason-code': code }, I.reasonText(r.reason)));
          recount();
          return;
        }
      } else {
        li = el('li');
        els.results.append(li);
        lines.set(r.order_id, li);
      }
      li.className = `r-${r.result} st-${state}`;
      Object.assign(li.dataset, { orderId: r.order_id, result: r.result, state, reasonCode: code, submitted: r.submitted ? '1' : '0' });
      li.dataset.reason = r.reason || '';
      li.textContent = `${r.order_id} — ${I.stateText(state)}`;
      if (code) li.append(el('span', { class: 'reason', 'data-reason-code': code }, I.reasonText(r.reason)));
      recount();
    },
    // review / blocked shipments: listed with their reasons, never filled (one line per order).
    held(shipments) {
      ensure();
      const fresh = shipments.filter((s) => !lines.has(s.order_id));
      if (!fresh.length) { recount(); return; }
      const orders = new Map();
      for (const s of fresh) { if (!orders.has(s.order_id)) orders.set(s.order_id, []); orders.get(s.order_id).push(s); }
      els.held.append(el('h4', {}, t('heldTitle', [orders.size])));
      const ul = el('ul');
      for (const [orderId, list] of orders) {
        const status = list.some((s) => s.status === 'blocked') ? 'blocked' : list[0].status;
        const li = el('li', { class: `s-${status}`, 'data-order-id': orderId, 'data-status': status, 'data-state': 'held' });
        li.textContent = `${orderId} — ${(STATUS_TEXT[status] || STATUS_TEXT.review)()}`;
        const reasons = list.flatMap((s) => (s.checks || []).filter((c) => c.level !== 'ok')
          .map((c) => I.pick(c.message) || t('heldCheckFailed')));
        if (reasons.length) li.append(el('span', { class: 'reason' }, [...new Set(reasons)].join('；')));
        ul.append(li);
        lines.set(orderId, li);
      }
      els.held.append(ul);
      recount();
    },
    counts() { ensure(); return recount(); },
    busy(on) { ensure(); els.skip.disabled = !on; els.stop.disabled = !on; },
    finish(text) {
      ensure(); api.current(null); api.busy(false);
      if (text) api.message(text, 'info');
      interrupt('done');
    },
    // A promise for the next 跳过/停止 press (resolves 'skip' | 'stop').
    interrupted() { return new Promise((resolve) => (stopped ? resolve('stop') : waiters.push(resolve))); },
    // Stops the walk as the 停止 button does (a page that changed must not be filled further).
    stop() { stopped = true; interrupt('stop'); },
    get stopped() { return stopped; },
  };

  globalThis.DanhaoPanel = api;
})();
