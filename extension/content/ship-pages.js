// Filling where every order has a ship page of its own (抖店: /ffa/morder/logistics/delivery):
// the list page makes a plan (its 待发货 orders and the address of each one's 发货 link), the
// tab walks through those pages one at a time — the same pages a person opens with 发货 — and
// comes back to the list at the end. The plan lives in the service worker's session storage,
// so it survives each page load; one order is filled per page with the same loop, panel and
// reports as a list with dialogs.
(function () {
  'use strict';
  const Panel = globalThis.DanhaoPanel;
  const t = globalThis.DanhaoI18n.t;

  const plan = (send, op, extra = {}) => send({ type: 'cs:ship-plan', op, ...extra }).then((r) => r.data);

  /**
   * On the list: the 待发货 orders of this page (every page with `allPages`) with their ship
   * pages' addresses, then the first ship page. → {planned: n} (0 when nothing waits).
   * Only links to pages the adapter matches are followed: a link elsewhere is not a ship page.
   */
  async function begin(adapter, { send, allPages = false }) {
    const pending = adapter.pendingStatus || ((st) => !st || st === '待发货');
    const queue = [];
    const unreachable = [];
    Panel.start({ title: t('fillReading'), total: 0 });
    for (;;) {
      const page = await adapter.extract(document);
      for (const o of page.orders.filter((x) => pending(x.status))) {
        const url = adapter.shipPageUrl(document, o.order_id);
        // Only pages this adapter itself knows (its manifest patterns) are followed.
        if (url && url.startsWith('https://') && adapter._patterns.some((re) => re.test(url))) queue.push({ order_id: o.order_id, url });
        else unreachable.push(o.order_id);
      }
      if (!allPages || !adapter.nextPage || !(await adapter.nextPage(document))) break;
    }
    // Only orders with a shipment ready to go are opened (the helper decides, as for dialogs);
    // the others are listed as held, and a shipment confirmed before is never opened again.
    let held = [];
    if (queue.length) {
      const conv = await send({ type: 'cs:convert', site: adapter.id, order_ids: queue.map((q) => q.order_id) });
      const shipments = (conv.data && conv.data.shipments) || [];
      const ready = new Set(shipments.filter((x) => x.status === 'ready' && !(x.fill && x.fill.submitted)).map((x) => x.order_id));
      held = shipments.filter((x) => x.status !== 'ready' && !ready.has(x.order_id));
      queue.splice(0, queue.length, ...queue.filter((q) => ready.has(q.order_id)));
    }
    if (!queue.length) {
      Panel.held(held);
      Panel.finish(unreachable.length ? t('shipPagesNoLink', [unreachable.length]) : t('fillNothingToShip'));
      return { planned: 0, unreachable, held: held.length };
    }
    await plan(send, 'start', { site: adapter.id, listUrl: location.href, queue, unreachable, held: held.length });
    Panel.message(t('shipPagesOpening', [1, queue.length]), 'info', 'ship_pages');
    location.assign(queue[0].url);
    return { planned: queue.length, unreachable };
  }

  // Tallies one order's results into the plan's running counts.
  function tally(results) {
    const out = { confirmed: 0, filled: 0, skipped: 0, failed: 0 };
    for (const r of results) {
      if (r.result === 'filled' && r.submitted) out.confirmed += 1;
      else if (r.result === 'filled') out.filled += 1;
      else if (r.result === 'failed') out.failed += 1;
      else out.skipped += 1;
    }
    return out;
  }

  /**
   * On every page load of the tab: carries on with a plan if there is one. On a ship page it
   * fills that order (the page must show the planned order id, or the plan stops); on the list
   * it shows what the walk did and ends the plan. `fillLoop(adapter, shipments, opts)` is the
   * content script's one fill loop.
   */
  async function resume(found, { send, fillLoop, runTask }) {
    let current;
    try { current = await plan(send, 'get'); } catch (e) { return; }
    if (!current || !found || found.adapter.id !== current.site) return;
    const { adapter, detection } = found;
    if (detection.kind !== 'ship-page') {
      if (!current.done && current.index < current.queue.length) {
        // The person left the walk for another page: the plan ends, nothing more is opened.
        await plan(send, 'clear');
        Panel.show();
        Panel.message(t('shipPagesLeft'), 'info', 'ship_pages');
        return;
      }
      await plan(send, 'clear');
      const n = current.counts || {};
      Panel.show();
      Panel.finish(t('fillFinished', [n.confirmed || 0, n.filled || 0, (n.skipped || 0) + (n.failed || 0), n.held || 0])
        + (current.stoppedBy ? ` ${t('shipPagesStopped', [current.stoppedBy === 'page_changed' ? t('fillStoppedPageChanged') : current.stoppedBy])}` : ''));
      return;
    }
    const step = current.queue[current.index];
    await runTask('fill', async () => {
      const shown = step && await adapter.shipPageOrderId(document);
      let results = []; let held = [];
      let stop = '';
      let changed = false;
      if (!step || shown !== step.order_id) {
        // Not the page the plan opened (a redirect, another order): never fill it.
        stop = t('shipPagesWrongPage', [step ? step.order_id : '?', shown || '?']);
        results = step ? [{ order_id: step.order_id, result: 'failed', submitted: false, reason: `wrong_page: ${stop}` }] : [];
        await send({ type: 'cs:page-report', site: adapter.id, page_url: location.href, code: 'page_changed', message: stop }).catch(() => {});
      } else {
        let options = [];
        try {
          options = await adapter.readOptions(document);
        } catch (e) {
          stop = e.message;
        }
        if (!stop && !options.length) stop = '页面已改版：找不到 物流公司 选项 / page changed: 物流公司 options not found';
        if (stop) {
          results = [{ order_id: step.order_id, result: 'failed', submitted: false, reason: stop }];
          await send({ type: 'cs:page-report', site: adapter.id, page_url: location.href, code: 'page_changed', message: stop }).catch(() => {});
          Panel.start({ title: t('fillStarting', [current.queue.length]), total: current.queue.length });
          Panel.message(stop, 'error', 'page_changed');
        } else {
          const conv = await send({ type: 'cs:convert', site: adapter.id, order_ids: [step.order_id], options });
          const r = await fillLoop(adapter, (conv.data && conv.data.shipments) || [],
            { position: { index: current.index + 1, total: current.queue.length } });
          results = r.results; held = r.held;
          changed = results.some((x) => /page_changed|页面已改版/.test(x.reason));
          // 指给我看 is on offer for the field this page lacks: the walk waits here, and the panel's
          // 重新填写 runs this same step again once the person has pointed (nothing is tallied yet).
          if (changed && Panel.pointing) return { results, held };
          // Each order has its own page: one page Danhao does not know fails that order only;
          // the walk stops when the person says so, or at the second unknown page in a row.
          if (Panel.stopped && !changed) stop = t('shipPagesByPerson');
        }
      }
      // A page that is not the one planned, or one Danhao does not know, fails its order; the
      // person's 停止 ends the walk.
      const byPerson = stop === t('shipPagesByPerson');
      if (stop && !byPerson) changed = true;
      const counts = tally(results);
      counts.held = held.length;
      const next = await plan(send, 'advance', { counts, stop: byPerson ? stop : null, changed });
      const target = next && !next.stoppedBy && next.index < next.queue.length ? next.queue[next.index].url : current.listUrl;
      if (next && !next.stoppedBy && next.index < next.queue.length) {
        Panel.message(t('shipPagesOpening', [next.index + 1, next.queue.length]), 'info', 'ship_pages');
      }
      // A moment to read the result before the next page replaces this one.
      await new Promise((r) => setTimeout(r, 600));
      location.assign(target);
      return { results, held };
    });
  }

  globalThis.DanhaoShipPages = { begin, resume };
})();
