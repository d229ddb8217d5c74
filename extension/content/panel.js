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
    .heal { margin: 8px 0 4px; padding: 8px; border: 1px dashed #e85d04; border-radius: 6px; background: #fff8f2; }
    .heal h4 { margin: 0 0 4px; font-size: 13px; color: #b04500; }
    .heal p { margin: 2px 0 6px; color: #444; }
    .heal li { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; border-top: 0; padding: 2px 0; }
    .heal li .where { flex-basis: 100%; color: #666; font-size: 12px; }
    .heal li[data-state="saved"] .name::after { content: " ✓"; color: #188038; }
    .heal button { padding: 3px 10px; border-radius: 4px; border: 1px solid #e85d04; background: #fff; color: #e85d04; cursor: pointer; font: inherit; }
    .heal button.primary { background: #e85d04; color: #fff; }
    .heal .step { margin: 6px 0 2px; color: #174ea6; }
    .heal .preview { margin: 6px 0; padding: 6px; background: #fff; border: 1px solid #f0d0b8; border-radius: 4px; }
    .heal .preview div { margin: 2px 0; word-break: break-all; }
    .heal .preview .buttons { display: flex; gap: 6px; margin-top: 6px; }
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
  let healing = null;     // 指给我看: {site, fields, orderIds, retry, retryKind, els}

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
    closeBtn.addEventListener('click', () => { if (globalThis.DanhaoPointing) { globalThis.DanhaoPointing.cancelPick(); globalThis.DanhaoPointing.clearOutline(); } host.remove(); });
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

  // --- 指给我看 ---------------------------------------------------------------------------
  // Field keys and locators in words: lib/locator-words.js (shared with the options page).
  const fieldWords = (key) => globalThis.DanhaoLocatorWords.field(key);
  const locatorWords = (loc) => globalThis.DanhaoLocatorWords.locator(loc);
  const PROBLEM_WORDS = {
    not_a_field: () => t('pointProblemNotField'), not_a_button: () => t('pointProblemNotButton'), no_words: () => t('pointProblemNoWords'),
    ambiguous: () => t('pointProblemAmbiguous'), not_in_order: () => t('pointProblemNotInOrder'), empty: () => t('pointProblemEmpty'),
  };

  function whereHint(f) {
    if (f.kind === 'list') return t('pointWhereList');
    return f.scope && f.scope.dialog ? t('pointWhereDialog', [f.scope.dialog]) : t('pointWherePage');
  }

  function healStep(text, level = 'step') {
    const h = healing && healing.els;
    if (!h) return;
    h.step.textContent = text;
    h.step.dataset.level = level;
    h.step.hidden = !text;
  }

  async function pointAt(f) {
    const Pt = globalThis.DanhaoPointing;
    const h = healing.els;
    const token = (healing.token = (healing.token || 0) + 1);
    h.preview.hidden = true;
    Pt.clearOutline();
    healStep(t('pointPicking', [fieldWords(f.key)]), 'picking');
    const el = await Pt.pick({
      kind: f.kind === 'list' ? 'list' : f.kind,
      onRefused: () => healStep(f.kind === 'button' ? t('pointProblemNotButton') : t('pointProblemNotField'), 'problem'),
    });
    if (!healing || healing.token !== token) return;      // another pick replaced this one
    if (!el) { healStep(t('pointCancelled')); return; }
    const d = Pt.describe(el, { kind: f.kind, key: f.key, side: healing.side, orderIds: healing.orderIds });
    if (d.problem) {
      Pt.clearOutline();
      healStep((PROBLEM_WORDS[d.problem] || PROBLEM_WORDS.ambiguous)(), 'problem');
      h.preview.dataset.problem = d.problem;
      return;
    }
    healStep('');
    const words = locatorWords(d.locator);
    h.desc.textContent = f.kind === 'list' ? t('pointWillRead', [words]) : f.kind === 'button' ? t('pointWillClick', [words]) : t('pointWillFill', [words]);
    const value = d.value || t('pointEmptyValue');
    h.value.textContent = f.kind === 'list' ? t('pointReadsHere', [d.orderId, value]) : t('pointShowsNow', [value]);
    Object.assign(h.preview.dataset, { field: f.key, kind: d.locator.kind, problem: '' });
    h.preview.hidden = false;
    healing.pending = { f, locator: d.locator };
  }

  async function confirmPoint() {
    const Pt = globalThis.DanhaoPointing;
    const pending = healing && healing.pending;
    if (!pending) return;
    const h = healing.els;
    h.preview.hidden = true;
    healing.pending = null;
    try {
      const saved = await Pt.save(pending.f.key, pending.locator, healing.site);
      Pt.clearOutline();
      const li = Array.from(h.list.children).find((x) => x.dataset.field === pending.f.key);
      if (li) li.dataset.state = 'saved';
      let text = t('pointSaved', [fieldWords(pending.f.key)]);
      if (saved.helper === 'queued') text += ` ${t('pointSavedQueued')}`;
      if (saved.helper === 'refused') text += ` ${t('pointSavedRefused', [(saved.error && saved.error.message) || '?'])}`;
      healStep(text, 'saved');
      h.step.dataset.helper = saved.helper;
      if (healing.retry && !healing.fields.some((x) => !healing.saved.has(x.key) && x.key !== pending.f.key)) h.retry.hidden = false;
      healing.saved.add(pending.f.key);
    } catch (e) {
      healStep(t('pointSaveFailed', [e.message || e]), 'problem');
    }
  }

  function clear() {
    els.results.textContent = ''; els.held.textContent = ''; els.messages.textContent = '';
    els.hint.hidden = true; els.counts.hidden = true; els.current.textContent = ''; els.progress.textContent = '';
    lines = new Map();
    if (healing && healing.els) healing.els.box.remove();
    healing = null;
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
    // True while 指给我看 is on offer with a 重新填写/重新同步 that runs the failed task again.
    get pointing() { return Boolean(healing && healing.retry); },
    /** 指给我看: offers to point at each field Danhao could not find ({key, kind: 'field'|'button'|
     *  'list', scope?}); a confirmed pointing is saved as the site's patch; `retry` runs the task
     *  again (a 重新填写 / 重新同步 button once every field is saved). */
    offerPointing({ site, fields = [], orderIds = [], retry = null, retryKind = 'fill' } = {}) {
      ensure();
      if (!globalThis.DanhaoPointing || !fields.length) return;
      if (healing && healing.els) healing.els.box.remove();
      const adapter = globalThis.DanhaoRegistry && globalThis.DanhaoRegistry.adapters.find((a) => a.id === site);
      healing = { site, side: adapter ? adapter.side : 'seller', fields, orderIds, retry, saved: new Set(), pending: null };
      const box = el('div', { class: 'heal', 'data-role': 'heal', 'data-site': site });
      box.append(el('h4', {}, t('pointTitle')), el('p', {}, t('pointIntro')));
      const list = el('ul');
      for (const f of fields) {
        const li = el('li', { 'data-field': f.key, 'data-kind': f.kind });
        const go = el('button', { 'data-action': 'point', 'data-field': f.key, class: 'primary' }, t('pointButton'));
        go.addEventListener('click', () => { pointAt(f).catch((e) => healStep(t('pointSaveFailed', [e.message || e]), 'problem')); });
        li.append(el('b', { class: 'name' }, fieldWords(f.key)), go, el('span', { class: 'where' }, whereHint(f)));
        list.append(li);
      }
      const step = el('div', { class: 'step', 'data-role': 'heal-step', hidden: '' });
      const preview = el('div', { class: 'preview', 'data-role': 'heal-preview', hidden: '' });
      const desc = el('div', { 'data-role': 'heal-desc' });
      const value = el('div', { 'data-role': 'heal-value' });
      const buttons = el('div', { class: 'buttons' });
      const ok = el('button', { 'data-action': 'point-confirm', class: 'primary' }, t('pointConfirm'));
      const again = el('button', { 'data-action': 'point-again' }, t('pointAgain'));
      const cancel = el('button', { 'data-action': 'point-cancel' }, t('pointCancel'));
      buttons.append(ok, again, cancel);
      preview.append(desc, value, buttons);
      const retryBtn = el('button', { 'data-action': 'retry', class: 'primary', hidden: '' },
        retryKind === 'sync' ? t('pointRetrySync') : t('pointRetryFill'));
      box.append(list, step, preview, retryBtn);
      els.messages.after(box);
      ok.addEventListener('click', () => { confirmPoint(); });
      again.addEventListener('click', () => { const p = healing.pending; if (p) pointAt(p.f); });
      cancel.addEventListener('click', () => {
        globalThis.DanhaoPointing.clearOutline(); preview.hidden = true; healing.pending = null; healStep(t('pointCancelled'));
      });
      retryBtn.addEventListener('click', () => {
        const r = healing.retry;
        box.remove();
        healing = null;
        if (r) r();
      });
      healing.els = { box, list, step, preview, desc, value, retry: retryBtn };
    },
  };

  globalThis.DanhaoPanel = api;
})();
