// Syncing a supplier whose list shows no 运单号 (拼多多 buyer, 淘宝 已买到的宝贝): the list is read
// and sent as it is (only the keys it shows: the helper keeps what a page did not send), then
// the tab walks through the detail pages of the orders the list shows as shipped and reads
// each one's courier, number, ship-to and remark. The pages opened are the list's own links
// (an order's 订单详情 / the goods area a person taps), followed only when the adapter's own
// manifest patterns match them: opening them is what a person does by clicking each order in
// turn, and Danhao never sends a request of its own to the platform.
//
// The walk reuses the ship-page plan kept per tab in the service worker (`cs:ship-plan`,
// extension/background/ship-plan.js): the content script that made the plan is gone after the
// first page load, each detail page carries on from where the last stopped, the tally is kept
// in the plan's `counts` (read, numbers, failed). The tab returns to the list at the end.
//
// Adapter parts used: `detailPageUrl(doc, orderId)` → the page's own link or null;
// `extractDetail(doc)` → {order, notes, problem, follow?} (order = MODEL.md purchase order with
// only the keys that page shows; `problem` = a page-changed text when the page shows the order
// shipped but no number can be read; `follow` = the page's own link to the page of this order
// that shows the number — the step continues there, once); `detailOrderId(doc)`; `needsDetail(order)` (by the list status:
// a number can exist); `detection.kind === 'purchase-detail'` on a detail page.
(function () {
  'use strict';
  const Panel = globalThis.DanhaoPanel;
  const t = globalThis.DanhaoI18n.t;

  const plan = (send, op, extra = {}) => send({ type: 'cs:ship-plan', op, ...extra }).then((r) => r.data);
  const followable = (adapter, url) => Boolean(url) && url.startsWith('https://') && adapter._patterns.some((re) => re.test(url));

  /**
   * A walk in the making, fed page by page during the list sync (the links are read while the
   * page shows them: another list page replaces them).
   * → {add(doc, orders), begin({send}) → {planned, unreachable, known}}
   */
  function planner(adapter) {
    const queue = [];
    const unreachable = [];
    const seen = new Set();
    const needs = adapter.needsDetail || (() => true);
    return {
      add(doc, orders) {
        for (const o of orders) {
          if (seen.has(o.order_id) || !needs(o)) continue;
          seen.add(o.order_id);
          const url = adapter.detailPageUrl(doc, o.order_id);
          // Only pages this adapter itself knows (its manifest patterns) are opened.
          if (followable(adapter, url)) queue.push({ order_id: o.order_id, url });
          else unreachable.push(o.order_id);
        }
      },
      /** Plans the walk and opens the first page a moment later (the sync's answer goes first). */
      async begin({ send }) {
        // Orders whose number the helper already holds need no visit again (one read each, through
        // the service worker; when the helper is away every shipped order is visited).
        let known = [];
        if (queue.length) {
          try {
            const r = await send({ type: 'cs:purchase-known', site: adapter.id, order_ids: queue.map((q) => q.order_id) });
            known = (r.data && r.data.known) || [];
          } catch (e) { known = []; }
        }
        const todo = queue.filter((q) => !known.includes(q.order_id));
        if (!todo.length) return { planned: 0, unreachable: unreachable.length, known: known.length };
        await plan(send, 'start', { site: adapter.id, listUrl: location.href, queue: todo, unreachable, held: 0 });
        Panel.show();
        Panel.message(t('detailPagesOpening', [1, todo.length]), 'info', 'detail_pages');
        setTimeout(() => location.assign(todo[0].url), 400);
        return { planned: todo.length, unreachable: unreachable.length, known: known.length };
      },
    };
  }

  // The number of a shipped order that the adapter looked for on the page (DanhaoPointing.detailValue)
  // and did not find, named by the page-change problem: the person can point at it. A number only in
  // the page's data (no page words read for it) is not offered: the walk reports it and goes on.
  function healable(r, since) {
    const Pt = globalThis.DanhaoPointing;
    if (!Pt || !r.order || (r.order.packages || []).some((p) => p.tracking)) return [];
    const miss = Pt.lastMiss(since, r.problem);
    return miss && miss.key === 'tracking' ? [{ key: 'tracking', kind: 'list' }] : [];
  }

  /**
   * On every page load of the tab. On a detail page of the plan: reads it, checks it is the
   * planned order, sends what it shows, and opens the next one (or the list). On the list with
   * a plan: shows what the walk did and ends the plan. → true when this page was a step of a
   * walk (the content script then does not auto-sync it).
   */
  async function resume(found, { send, runTask }) {
    let current;
    try { current = await plan(send, 'get'); } catch (e) { return false; }
    // A supplier site's plan is always a detail walk (ship walks belong to seller sites).
    if (!current || !found || found.adapter.id !== current.site || !found.adapter.extractDetail) return false;
    const { adapter, detection } = found;
    if (detection.kind !== 'purchase-detail') {
      await plan(send, 'clear');
      Panel.show();
      if (!current.done && current.index < current.queue.length) {
        // The person left the walk for another page: the plan ends, nothing more is opened.
        Panel.message(t('detailPagesLeft'), 'info', 'detail_pages');
        return false;
      }
      const n = current.counts || {};
      Panel.finish(t('detailPagesDone', [n.read || 0, n.numbers || 0, n.failed || 0])
        + (current.stoppedBy ? ` ${t('shipPagesStopped', [current.stoppedBy])}` : ''));
      return false;
    }
    const step = current.queue[current.index];
    await runTask('sync', async () => {
      Panel.show();
      Panel.message(t('detailPagesReading', [current.index + 1, current.queue.length]), 'info', 'detail_pages');
      const counts = { read: 0, numbers: 0, failed: 0 };
      let changed = false;
      let r = null;
      const since = Date.now();
      try {
        r = await adapter.extractDetail(document);
      } catch (e) {
        r = { order: null, problem: e.message };
      }
      const shown = r && r.order && r.order.order_id;
      if (!step || shown !== step.order_id) {
        // Not the page the plan opened (a redirect, a login, another order): nothing of it is sent.
        const why = r && r.problem && !shown ? r.problem : t('shipPagesWrongPage', [step ? step.order_id : '?', shown || '?']);
        await send({ type: 'cs:page-report', site: adapter.id, page_url: location.href, code: 'page_changed', message: why }).catch(() => {});
        Panel.message(why, 'error', 'page_changed');
        counts.failed = 1; changed = true;
      } else {
        for (const n of r.notes || []) {
          await send({ type: 'cs:page-report', site: adapter.id, page_url: location.href, code: 'reply_changed', message: n }).catch(() => {});
        }
        if (r.follow && !r.problem && followable(adapter, r.follow) && step.followed !== r.follow) {
          // The number is on a page this one links to (拼多多: order.html → 查看物流): what this page
          // shows is sent, and the same step goes on there (once: a page sending back here is
          // reported below as a page that names no number).
          await send({ type: 'cs:sync', kind: 'purchase', site: adapter.id, page_url: location.href, orders: [r.order] });
          await plan(send, 'follow', { url: r.follow });
          Panel.message(t('detailPagesFollowing', [current.index + 1, current.queue.length]), 'info', 'detail_pages');
          setTimeout(() => location.assign(r.follow), 300);
          return { read: 0, numbers: 0 };
        }
        if (r.follow && !r.problem) {
          r.problem = globalThis.DanhaoPage.pageChanged('订单已发货，但读不到运单号', 'the order shipped but no page of it shows a readable tracking number').message;
        }
        const heal = r.problem ? healable(r, since) : [];
        if (r.problem && !heal.length) {
          // The page shows the order shipped but Danhao cannot read its number: reported, and the
          // order is sent without packages (never a package without a number).
          await send({ type: 'cs:page-report', site: adapter.id, page_url: location.href, code: 'page_changed', message: r.problem }).catch(() => {});
          Panel.message(r.problem, 'error', 'page_changed');
        }
        if (r.problem) changed = true;
        await send({ type: 'cs:sync', kind: 'purchase', site: adapter.id, page_url: location.href, orders: [r.order] });
        // 指给我看: the walk waits on this page (the task's page-change error reports it and offers
        // pointing at the number); the panel's 重新同步 runs this same step again once the person has
        // pointed (nothing is tallied yet). The adapter reads the saved patch (DanhaoPointing.detailValue).
        if (heal.length) throw Object.assign(new Error(r.problem), { code: 'page_changed', heal, orderIds: [shown] });
        counts.read = 1;
        counts.numbers = (r.order.packages || []).filter((p) => p.tracking).length;
        if (r.problem) counts.failed = 1;
      }
      const next = await plan(send, 'advance', { counts, changed });
      const more = next && !next.stoppedBy && next.index < next.queue.length;
      if (more) Panel.message(t('detailPagesOpening', [next.index + 1, next.queue.length]), 'info', 'detail_pages');
      // A moment to read the line before the next page replaces this one.
      setTimeout(() => location.assign(more ? next.queue[next.index].url : current.listUrl), 300);
      return { read: counts.read, numbers: counts.numbers };
    });
    return true;
  }

  // A page the walk opened may send the tab on elsewhere on the site (拼多多's logistics page may
  // bounce to a logistics chat page; a login page): within this time of the walk asking for its
  // page it is that redirect; later, the person's own navigation.
  const STRAY_MS = 20000;

  /**
   * On a page of the walk's site that its adapter does not know. A redirect from the step's page:
   * reported (page changed), that order counts as failed and the walk goes on (two in a row stop
   * it, as any page change). The person's own navigation: the walk ends, nothing more is opened.
   * → true when this page belonged to a walk.
   */
  async function strayed({ send }) {
    let current;
    try { current = await plan(send, 'get'); } catch (e) { return false; }
    const adapter = current && globalThis.DanhaoRegistry.adapters.find((a) => a.id === current.site && a.extractDetail);
    if (!adapter || current.done || current.index >= current.queue.length) return false;
    Panel.show();
    if (Date.now() - (current.openedAt || 0) > STRAY_MS) {
      await plan(send, 'clear');
      Panel.message(t('detailPagesLeft'), 'info', 'detail_pages');
      return true;
    }
    const step = current.queue[current.index];
    const why = globalThis.DanhaoPage.pageChanged(`订单 ${step.order_id} 的页面转到了 Danhao 不认识的页面（${location.pathname}）`,
      `the page of order ${step.order_id} went on to a page Danhao does not know (${location.pathname})`).message;
    await send({ type: 'cs:page-report', site: adapter.id, page_url: location.href, code: 'page_changed', message: why }).catch(() => {});
    Panel.message(why, 'error', 'page_changed');
    const next = await plan(send, 'advance', { counts: { failed: 1 }, changed: true });
    const more = next && !next.stoppedBy && next.index < next.queue.length;
    if (more) Panel.message(t('detailPagesOpening', [next.index + 1, next.queue.length]), 'info', 'detail_pages');
    setTimeout(() => location.assign(more ? next.queue[next.index].url : current.listUrl), 300);
    return true;
  }

  globalThis.DanhaoDetailPages = { planner, resume, strayed };
})();
