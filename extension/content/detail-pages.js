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
  const P = globalThis.DanhaoPage;
  const t = globalThis.DanhaoI18n.t;

  const plan = (send, op, extra = {}) => send({ type: 'cs:ship-plan', op, ...extra }).then((r) => r.data);
  const followable = (adapter, url) => Boolean(url) && url.startsWith('https://') && adapter._patterns.some((re) => re.test(url));

  // A page the walk opened may send the tab on (拼多多's logistics page may bounce to a logistics
  // chat page; a login; back to the list): within this time of the walk opening or reading a page
  // it is that page's doing; later, the person's own navigation.
  const STRAY_MS = 20000;

  /** Sends the tab to step `index`'s page (`queue.length`: back to the list) after `delay` ms,
   *  noted in the plan first (a page that sends the tab on is told apart by it). */
  function go(send, index, url, delay = 300) {
    setTimeout(async () => {
      try { await plan(send, 'opening', { index }); } catch (e) { /* the walk goes on without the note */ }
      location.assign(url);
    }, delay);
  }

  /** Who brought the tab to a page the walk did not plan: 'redirect' (the step's own page sent it
   *  on), 'late' (the page the walk was leaving did, before the walk opened the next one) or
   *  'person' (too long after the walk last acted). */
  function cameFrom(current) {
    const opened = current.opened || { index: 0, at: current.startedAt || 0 };
    if (Date.now() - Math.max(opened.at || 0, current.seenAt || 0) > STRAY_MS) return 'person';
    return opened.index === current.index ? 'redirect' : 'late';
  }

  /** A page of the walk that changed: reported to the helper and shown in the panel. */
  async function reportChanged(send, adapter, why) {
    await send({ type: 'cs:page-report', site: adapter.id, page_url: location.href, code: 'page_changed', message: why }).catch(() => {});
    Panel.show();
    Panel.message(why, 'error', 'page_changed');
  }

  /** The step is done (`counts` tallied, `changed`: its page changed): the next step's page is
   *  opened, or the list when the walk is over or stopped. */
  async function advance(send, current, counts, changed) {
    const next = await plan(send, 'advance', { counts, changed });
    const more = next && !next.stoppedBy && next.index < next.queue.length;
    if (more) Panel.message(t('detailPagesOpening', [next.index + 1, next.queue.length]), 'info', 'detail_pages');
    // A moment to read the line before the next page replaces this one.
    go(send, more ? next.index : current.queue.length, more ? next.queue[next.index].url : current.listUrl);
  }

  /** The step's page went on to a page Danhao cannot read: reported, the order counted failed
   *  (two such in a row stop the walk, as any page change), and the walk goes on. */
  async function skipStep(send, adapter, current, why) {
    await reportChanged(send, adapter, why);
    await advance(send, current, { failed: 1 }, true);
  }

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
        go(send, 0, todo[0].url, 400);
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
      if (!current.done && current.index < current.queue.length) {
        const from = cameFrom(current);
        const step = current.queue[current.index];
        if (from === 'late') { Panel.show(); go(send, current.index, step.url, 0); return true; }
        if (from === 'redirect') {
          // The order's page sent the tab back to the list (an order that no longer opens).
          await skipStep(send, adapter, current, P.pageChanged(`订单 ${step.order_id} 的页面转回了订单列表`,
            `the page of order ${step.order_id} went back to the order list`).message);
          return true;
        }
        // The person left the walk for another page: the plan ends, nothing more is opened.
        await plan(send, 'clear');
        Panel.show();
        Panel.message(t('detailPagesLeft'), 'info', 'detail_pages');
        return false;
      }
      await plan(send, 'clear');
      Panel.show();
      const n = current.counts || {};
      Panel.finish(t('detailPagesDone', [n.read || 0, n.numbers || 0, n.failed || 0])
        + (current.stoppedBy ? ` ${t('shipPagesStopped', [current.stoppedBy])}` : ''));
      return false;
    }
    const step = current.queue[current.index];
    await plan(send, 'seen').catch(() => {});
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
        await reportChanged(send, adapter, r && r.problem && !shown ? r.problem : t('shipPagesWrongPage', [step ? step.order_id : '?', shown || '?']));
        counts.failed = 1; changed = true;
      } else {
        for (const n of r.notes || []) {
          await send({ type: 'cs:page-report', site: adapter.id, page_url: location.href, code: 'reply_changed', message: n }).catch(() => {});
        }
        if (r.follow && !r.problem && followable(adapter, r.follow) && !step.followed) {
          // The number is on a page this one links to (拼多多: order.html → 查看物流): what this page
          // shows is sent, and the same step goes on there (once: a page sending back here is
          // reported below as a page that names no number).
          await send({ type: 'cs:sync', kind: 'purchase', site: adapter.id, page_url: location.href, orders: [r.order] });
          await plan(send, 'follow', { url: r.follow });
          Panel.message(t('detailPagesFollowing', [current.index + 1, current.queue.length]), 'info', 'detail_pages');
          go(send, current.index, r.follow);
          return { read: 0, numbers: 0 };
        }
        if (r.follow && !r.problem) {
          r.problem = P.pageChanged('订单已发货，但读不到运单号', 'the order shipped but no page of it shows a readable tracking number').message;
        }
        const heal = r.problem ? healable(r, since) : [];
        if (r.problem && !heal.length) {
          // The page shows the order shipped but Danhao cannot read its number: reported, and the
          // order is sent without packages (never a package without a number).
          await reportChanged(send, adapter, r.problem);
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
      await advance(send, current, counts, changed);
      return { read: counts.read, numbers: counts.numbers };
    });
    return true;
  }

  /**
   * On a page of the walk's site that its adapter does not know. The step's own page sent the tab
   * here (a logistics chat page, a login): reported, that order failed, the walk goes on. The page
   * the walk was leaving did, before the next one was opened: the walk opens it now. The person
   * went here: the walk ends, nothing more is opened. → true when this page belonged to a walk.
   */
  async function strayed({ send }) {
    let current;
    try { current = await plan(send, 'get'); } catch (e) { return false; }
    const adapter = current && globalThis.DanhaoRegistry.adapters.find((a) => a.id === current.site && a.extractDetail);
    if (!adapter) return false;
    const from = cameFrom(current);
    if (current.done || current.index >= current.queue.length) {
      // The walk had ended and its last page sent the tab here before it went back to the list.
      const opened = current.opened || {};
      if (from !== 'person' && opened.index < current.queue.length) { go(send, current.queue.length, current.listUrl, 0); return true; }
      return false;
    }
    Panel.show();
    if (from === 'person') {
      await plan(send, 'clear');
      Panel.message(t('detailPagesLeft'), 'info', 'detail_pages');
      return true;
    }
    const step = current.queue[current.index];
    if (from === 'late') { go(send, current.index, step.url, 0); return true; }
    await skipStep(send, adapter, current, P.pageChanged(`订单 ${step.order_id} 的页面转到了 Danhao 不认识的页面（${location.pathname}）`,
      `the page of order ${step.order_id} went on to a page Danhao does not know (${location.pathname})`).message);
    return true;
  }

  globalThis.DanhaoDetailPages = { planner, resume, strayed };
})();
