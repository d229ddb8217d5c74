// Content-script entry: finds the site adapter, answers the popup, drives sync and the
// fill loop, and reports through the service worker (never to the helper directly).
(function () {
  'use strict';
  if (window.top !== window) return;          // only the top frame acts for the page
  if (globalThis.__danhaoMain) return;        // injected twice (scripting + manifest)
  globalThis.__danhaoMain = true;

  const Panel = globalThis.DanhaoPanel;
  const I = globalThis.DanhaoI18n;
  const t = I.t;
  const found = () => globalThis.DanhaoRegistry.findAdapter(document, location.href);
  let busy = null;                             // 'sync' | 'fill' while a task runs

  async function send(msg) {
    const r = await chrome.runtime.sendMessage(msg);
    if (!r || !r.ok) {
      const e = new Error((r && r.error && r.error.message) || `${msg.type} failed`);
      e.code = r && r.error && r.error.code;
      e.details = r && r.error && r.error.details;
      throw e;
    }
    return r;
  }

  // Page changes go to the helper's log too: whoever reviews the log sees that a site moved.
  const reportPage = (site, code, message) => send({ type: 'cs:page-report', site, page_url: location.href, code, message }).catch(() => {});
  const isPageChange = (text) => /page_changed|页面已改版/.test(String(text || ''));

  // 指给我看 (lib/pointing.js, the panel): a field Danhao cannot find is pointed at once by the
  // person, saved as the site's patch, and the same task runs again.
  const Pointing = globalThis.DanhaoPointing;
  let lastTask = null;
  function offerPointing(site, fields, orderIds = []) {
    const again = lastTask;
    if (Pointing && fields.length) Panel.offerPointing({ site, fields, orderIds, retryKind: again && again.name, retry: again ? () => runTask(again.name, again.fn) : null });
  }
  // List fields the adapter left empty: the site's patches read them; still empty on every
  // order (`strict`) → the page changed, nothing of it is sent.
  function completed(adapter, page, strict = true) {
    if (!Pointing) return page;
    const orders = Pointing.completeOrders(document, adapter.id, adapter.side, page.orders);
    const missing = strict ? Pointing.missingListFields(adapter.side, orders) : [];
    if (missing.length) throw Pointing.listFieldsError(adapter.side, missing, orders.map((o) => o.order_id));
    return { ...page, orders };
  }

  const progress = (p) => send({ type: 'cs:progress', progress: { site: p.site, task: busy, ...p } }).catch(() => {});

  function requireAdapter() {
    const f = found();
    if (!f) throw Object.assign(new Error('no adapter for this page'), { code: 'no_adapter' });
    return f;
  }

  // --- sync -------------------------------------------------------------------------
  // A multi-page walk returns the list to the page the person was on.
  async function backTo(adapter, start) {
    if (!start || !adapter.goToPage || !adapter.pageInfo) return;
    if (adapter.pageInfo(document).current === start) return;
    try { await adapter.goToPage(document, start); } catch (e) { /* the list stays where it is */ }
  }

  // The panel shows the sync too (the popup closes at the first click on the page).
  async function showReviewLink() {
    try { Panel.reviewLink((await send({ type: 'cs:settings' })).data.helperUrl); } catch (e) { /* no link */ }
  }

  function syncSummary(d) {
    const bad = d.rejected || [];
    const why = bad.slice(0, 3).map((x) => `${x.order_id || '?'}：${x.message || x.field || ''}`).join('；');
    return t('syncDone', [d.orders, d.pages]) + (d.queued ? t('syncQueued') : '')
      + (bad.length ? t('syncRejected', [bad.length, why]) : '')
      + (d.notes && d.notes.length ? t('syncNotes', [d.notes.join('；')]) : '');
  }

  async function sync({ allPages = false, quiet = false } = {}) {
    const { adapter } = requireAdapter();
    if (!quiet) { Panel.syncStart(); showReviewLink(); }
    const kind = adapter.side === 'supplier' ? 'purchase' : 'sales';
    const start = allPages && adapter.pageInfo ? adapter.pageInfo(document).current : null;
    let pages = 0; let orders = 0; let queued = false;
    const notes = [];
    const rejected = [];                         // orders the helper could not take, with why
    await progress({ site: adapter.id, done: 0, total: 0, current: null, started: Date.now() });
    // Suppliers whose number is only on a detail page: their lists lack it by design (not a
    // changed page), and the shipped orders' detail pages are walked after the list (content/detail-pages.js).
    const walk = adapter.detailPageUrl && globalThis.DanhaoDetailPages ? globalThis.DanhaoDetailPages.planner(adapter) : null;
    try {
      for (;;) {
        const page = completed(adapter, await adapter.extract(document), !walk);
        if (walk) walk.add(document, page.orders);
        pages += 1; orders += page.orders.length;
        for (const n of page.notes || []) {
          if (!notes.includes(n)) { notes.push(n); reportPage(adapter.id, 'reply_changed', n); }
        }
        const r = await send({ type: 'cs:sync', kind, site: adapter.id, page_url: location.href, orders: page.orders });
        queued = queued || Boolean(r.queued);
        if (r.data && Array.isArray(r.data.rejected)) rejected.push(...r.data.rejected);
        progress({ site: adapter.id, done: pages, total: page.pages && page.pages.total, orders });
        if (!quiet) Panel.syncProgress({ pages, total: allPages ? page.pages && page.pages.total : 1, orders });
        if (!allPages || !adapter.nextPage || !(await adapter.nextPage(document))) break;
      }
    } finally {
      if (allPages) await backTo(adapter, start);
    }
    progress({ site: adapter.id, done: pages, total: pages, orders, finished: true });
    const out = { site: adapter.id, kind, pages, orders: orders - rejected.length, queued, notes, rejected };
    if (walk) out.details = await walk.begin({ send });
    if (!quiet) Panel.syncDone(syncSummary(out), rejected.length ? 'error' : 'info');
    return out;
  }

  // --- fill -------------------------------------------------------------------------
  // One loop for the real flow and the test hook; `report` is false for the test hook,
  // which must not reach the helper.
  // `position` {index, total}: where this page's order stands in a walk through ship pages.
  async function fillLoop(adapter, shipments, { report = true, position = null } = {}) {
    const settings = (await send({ type: 'cs:settings' })).data;
    const ready = shipments.filter((s) => s.status === 'ready');
    const readyOrders = [...new Set(ready.map((s) => s.order_id))];
    // An order with a ready shipment is one line in the results, not also one in 需处理.
    const held = shipments.filter((s) => s.status !== 'ready' && !readyOrders.includes(s.order_id));
    const total = position ? position.total : readyOrders.length;   // orders, not shipments: "第 3/7 单"
    Panel.start({ title: t('fillStarting', [total]), total });
    if (report) showReviewLink();
    Panel.held(held);
    const results = [];
    const filledOrders = new Set();
    let pageChangedAt = null;
    let done = 0;
    for (const shipment of ready) {
      let r;
      const rowStart = Date.now();
      const index = position ? position.index : readyOrders.indexOf(shipment.order_id) + 1;
      if (Panel.stopped) {
        r = { result: 'skipped', submitted: false, reason: pageChangedAt ? `stopped: 页面已改版 / page changed` : 'stopped: 用户停止' };
      } else if (shipment.fill && shipment.fill.submitted) {
        // Confirmed before (the list may still say 待发货 until it is reloaded): never twice.
        r = { result: 'skipped', submitted: false, reason: 'already_submitted: 已确认发货过，不再填写 / already shipped with this number' };
        filledOrders.add(shipment.order_id);
      } else if (filledOrders.has(shipment.order_id)) {
        // The ship dialog takes one number per order; more packages need a person.
        r = { result: 'skipped', submitted: false, reason: 'one_number_per_order: 该订单已填写另一个运单号' };
      } else {
        Panel.current(shipment, index, total);
        progress({ site: adapter.id, done, total, index, current: shipment.order_id,
          number: shipment.number || null, option: (shipment.target && shipment.target.option) || null });
        try {
          r = await adapter.fill(document, shipment, {
            autoSubmit: Boolean(settings.autoSubmit),
            interrupted: Panel.interrupted,
            batch: ready,        // a drawer of many rows (小红书 批量发货) fills them all at the first call
          });
        } catch (e) {
          r = { result: 'failed', submitted: false, reason: `error: ${e && e.message || e}` };
        }
      }
      // The number and option travel with the result: the log says what was filled, not just that.
      const result = {
        shipment_id: shipment.shipment_id, order_id: shipment.order_id,
        result: r.result, submitted: Boolean(r.submitted), reason: r.reason || '',
        number: shipment.number || null, option: (shipment.target && shipment.target.option) || null,
        ...(r.by ? { submitted_by: r.by } : {}),
      };
      if (result.result === 'filled') filledOrders.add(shipment.order_id);
      if (result.result === 'failed' && isPageChange(result.reason)) {
        pageChangedAt = shipment.order_id;
        if (report) reportPage(adapter.id, 'page_changed', result.reason);
        // The form is not what Danhao knows: no further row is touched on this page.
        Panel.message(t('fillStoppedPageChanged'), 'error', 'page_changed');
        Panel.stop();
        offerPointing(adapter.id, [Pointing && Pointing.lastMiss(rowStart, result.reason)].filter(Boolean));
      }
      results.push(result);
      Panel.result(result);
      done = new Set(results.map((x) => x.order_id)).size;
      if (report) {
        try {
          const sent = await send({ type: 'cs:fill-results', site: adapter.id, results: [result] });
          if (sent.queued) Panel.message(t('fillResultQueued'), 'info', 'queued');
        } catch (e) {
          Panel.message(t('fillReportFailed', [I.errorText(e)]), 'error', e.code || 'error');
        }
      }
    }
    progress({ site: adapter.id, done, total, current: null, finished: true, counts: Panel.counts() });
    Panel.progress(done, total);
    const n = Panel.counts();
    Panel.finish(t('fillFinished', [n.confirmed, n.filled, n.skipped + n.failed, n.held]));
    return { results, held: held.map((s) => ({ order_id: s.order_id, status: s.status })) };
  }

  // 填写发货: the page's 待发货 orders (every page when 全部页 is ticked), converted by the
  // helper against the options the live form offers, filled row by row.
  async function fill({ allPages = false } = {}) {
    const { adapter } = requireAdapter();
    // One ship page per order (抖店): the tab walks through them (content/ship-pages.js).
    if (adapter.shipPageUrl) return globalThis.DanhaoShipPages.begin(adapter, { send, allPages });
    if (!adapter.fill || !adapter.readOptions) throw Object.assign(new Error('this page cannot fill shipments'), { code: 'cannot_fill' });
    const pending = adapter.pendingStatus || ((st) => !st || st === '待发货');
    const start = allPages && adapter.pageInfo ? adapter.pageInfo(document).current : null;
    const all = { results: [], held: [] };
    let options = null;
    // A new task replaces whatever progress the last one left (a finished sync must not read as a finished fill).
    await progress({ site: adapter.id, done: 0, total: 0, current: null, started: Date.now() });
    try {
      for (;;) {
        Panel.start({ title: t('fillReading'), total: 0 });
        const page = await adapter.extract(document);
        const orderIds = page.orders.filter((o) => pending(o.status)).map((o) => o.order_id);
        if (orderIds.length) {
          if (!options) {
            options = await adapter.readOptions(document);
            if (!options || !options.length) throw Object.assign(new Error('页面已改版：找不到 物流公司 选项 / page changed: 物流公司 options not found'), { code: 'page_changed' });
          }
          const conv = await send({ type: 'cs:convert', site: adapter.id, order_ids: orderIds, options });
          const r = await fillLoop(adapter, (conv.data && conv.data.shipments) || []);
          all.results.push(...r.results); all.held.push(...r.held);
          if (Panel.stopped) break;
        }
        if (!allPages || !adapter.nextPage || !(await adapter.nextPage(document))) break;
      }
    } finally {
      if (allPages) await backTo(adapter, start);
    }
    if (!all.results.length && !all.held.length) {
      Panel.finish(t('fillNothingToShip'));
      progress({ site: adapter.id, done: 0, total: 0, current: null, finished: true, note: 'nothing_to_ship' });
    }
    return all;
  }

  // Long tasks answer the popup at once; progress goes to storage and the panel.
  function runTask(name, fn) {
    if (busy) return Promise.resolve({ ok: false, error: { code: 'busy', message: `busy: ${busy}` } });
    busy = name;
    lastTask = { name, fn };
    const since = Date.now();
    const p = Promise.resolve(Pointing && Pointing.ready).then(fn).then((data) => ({ ok: true, data }), (e) => {
      Panel.show(); Panel.message(I.errorText(e), 'error', (e.details && e.details.code) || e.code || 'error'); Panel.busy(false);
      const f = found();
      if (f && (e.code === 'page_changed' || isPageChange(e.message))) {
        reportPage(f.adapter.id, 'page_changed', e.message);
        offerPointing(f.adapter.id, e.heal || [Pointing && Pointing.lastMiss(since, e.message)].filter(Boolean), e.orderIds);
      }
      progress({ site: (found() || { adapter: {} }).adapter.id, error: e.message, errorCode: (e.details && e.details.code) || e.code || 'error', finished: true });
      return { ok: false, error: { code: e.code || 'error', message: e.message, details: e.details || null } };
    }).finally(() => { busy = null; });
    return p;
  }

  const handlers = {
    'popup:status'() {
      const f = found();
      if (!f) return { ok: true, data: { site: null, kind: null, rows: 0, busy } };
      return { ok: true, data: { site: f.adapter.id, side: f.adapter.side, kind: f.detection.kind, rows: f.detection.rows || 0, busy, failures: globalThis.DanhaoRegistry.failures } };
    },
    'popup:sync'(msg) { return runTask('sync', () => sync({ allPages: Boolean(msg.allPages) })); },
    'popup:fill'(msg, reply) {
      // Filling waits for the user row by row: answer now, report through the panel.
      const started = runTask('fill', () => fill({ allPages: Boolean(msg.allPages) }));
      if (msg.wait) return started;
      reply({ ok: true, data: { started: true } });
      return null;
    },
    // Test hooks: no helper, no storage. test:fill still honours the auto-submit setting.
    async 'test:extract'() { const { adapter } = requireAdapter(); return { ok: true, data: completed(adapter, await adapter.extract(document), false) }; },
    async 'test:read-options'() { const { adapter } = requireAdapter(); return { ok: true, data: await adapter.readOptions(document) }; },
    'test:fill'(msg) { return runTask('fill', () => fillLoop(requireAdapter().adapter, msg.shipments || [], { report: false })); },
    async 'test:next-page'() { const { adapter } = requireAdapter(); return { ok: true, data: await adapter.nextPage(document) }; },
    async 'test:extract-via'(msg) {
      const { adapter } = requireAdapter();
      if (!adapter.extractVia) return { ok: false, error: { code: 'unsupported', message: 'no extractVia' } };
      return { ok: true, data: await adapter.extractVia(document, msg.source) };
    },
    async 'test:page-data'(msg) {
      const PD = globalThis.DanhaoPageData;
      const list = PD ? PD.replies(msg.site, msg.endpoint) : [];
      return { ok: true, data: list.map((e) => ({ url: e.url, method: e.method, status: e.status, request: e.request, data: e.data })) };
    },
    async 'test:page-info'() { const { adapter } = requireAdapter(); return { ok: true, data: adapter.pageInfo ? adapter.pageInfo(document) : null }; },
  };

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || !msg || !handlers[msg.type]) return false;
    let replied = false;
    const reply = (v) => { if (!replied) { replied = true; sendResponse(v); } };
    Promise.resolve(Pointing && Pointing.ready)
      .then(() => handlers[msg.type](msg, reply))
      .then((v) => { if (v) reply(v); })
      .catch((e) => reply({ ok: false, error: { code: e.code || 'error', message: String(e && e.message || e) } }));
    return true;
  });

  // Auto-sync: once per page load, after the adapter has seen its rows.
  (async () => {
    const f = found();
    if (f && globalThis.DanhaoShipPages) await globalThis.DanhaoShipPages.resume(f, { send, fillLoop, runTask });
    if (f && globalThis.DanhaoDetailPages && await globalThis.DanhaoDetailPages.resume(f, { send, runTask })) return;
    // A page of the site that no adapter knows, reached during a detail walk (a redirect): the walk goes on.
    if (!f && globalThis.DanhaoDetailPages && await globalThis.DanhaoDetailPages.strayed({ send })) return;
    if (!f || !f.adapter.extract || f.detection.kind === 'ship-page') return;
    let settings;
    try { settings = (await send({ type: 'cs:settings' })).data; } catch (e) { return; }
    if (!settings.autoSync) return;
    const r = await runTask('sync', () => sync({ allPages: false, quiet: true }));
    if (!r.ok) console.warn('[danhao] auto-sync failed', r.error);
  })();
})();
