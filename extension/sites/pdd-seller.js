// 拼多多商家后台 order list (mms.pinduoduo.com/orders/list): read the orders, read the courier
// options of the 发货 dialog, fill the dialog one order at a time.
//
// Two ways to read, same result: the page's own list reply (recentOrderList, copied by the page
// observer) when one covers the rows on screen, else the DOM read by meaning (labels, column
// headers, button texts). Class names and test ids churn with every release, so neither path
// keys on them. What is truly site-specific is here as data.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const P = globalThis.DanhaoPage;
  const SITE = 'pdd-seller';

  // recentOrderList pageItems → MODEL.md sales order. Money in fen, times in unix seconds
  // (sources: 2021 Pageitems bean, 2026-04 recon). `required` must be present for the reply
  // to be trusted; a reply without them has changed shape and the DOM is read instead.
  const REPLY = {
    items: (data) => data && data.result && data.result.pageItems,
    total: (data) => data && data.result && data.result.totalItemNum,
    required: ['order_sn', 'order_status_str', 'receive_name', 'goods_name', 'goods_number', 'goods_price', 'order_amount'],
    order: {
      order_id: (r) => String(r.order_sn),
      status: (r) => String(r.order_status_str || ''),
      created_at: (r) => unixToIso(r.order_time),
      ship_by: (r) => unixToIso(r.promise_shipping_time),
      buyer: (r) => ({
        name: String(r.receive_name || ''), phone: String(r.receive_mobile || ''),
        address: {
          province: String(r.province_name || ''), city: String(r.city_name || ''),
          district: String(r.district_name || ''), detail: String(r.receive_address || r.address || ''),
        },
      }),
      items: (r) => [{
        title: String(r.goods_name || ''), sku: String(r.spec || ''),
        quantity: Number(r.goods_number) || 1, price: fen(r.goods_price),
      }],
      amount: (r) => fen(r.order_amount),
      remark: (r) => String(r.buyer_memo || ''),
    },
  };

  const TEXT = {
    pending: '待发货',
    shippedWords: ['已发货', '待收货', '已签收', '已收货'],
    selfShipTab: ['自己联系物流', '快递发货'],
  };
  const HOOKS = {
    // Test ids seen on real beast-core pages 2024–26: a hint, never the only way.
    pagerNext: '[data-testid="beast-core-pagination-next"], [class*="pagination-next" i], [class*="pager-next" i], [aria-label="下一页"], [title="下一页"]',
    panelHost: '#danhao-panel-host',
  };
  const { ID_RE, fen, unixToIso } = globalThis.DanhaoOrderList;
  const DETAIL_URL = (id) => `https://mms.pinduoduo.com/orders/detail?sn=${id}`;

  // The list itself is read by the shared order-list reader (heads, header columns, cells).
  const L = globalThis.DanhaoOrderList.reader({
    detailUrl: DETAIL_URL, detailLink: 'a[href*="orders/detail"]', pagerNext: HOOKS.pagerNext,
    keepDialog: (d) => isShipDialog(d),                              // promos go, the 发货 dialog stays
    pagingStopped: (since) => (challengeSeen(since) ? challengeError() : null),
  });
  const { orderHeads, orderGroups, columns, cellsOf, parseGroup, readDom, isEmptyList, dismissBlockers,
    pageInfo, nextPage, goToPage } = L;

  // --- reading the page's reply -----------------------------------------------------------
  /** {orders, problem}: the reply's orders for exactly `ids` (the rows on screen), in screen order. */
  // A reply that is the platform asking for a captcha / rate limit (code 54001 with a
  // verifyAuthToken, 2026-04 recon), not a list.
  const isChallenge = (data) => Boolean(data && (data.errorCode === 54001
    || (data.result && data.result.verifyAuthToken) || (data.success === false && /验证|频繁/.test(data.errorMsg || ''))));

  function challengeSeen(since = 0) {
    const PD = globalThis.DanhaoPageData;
    const last = PD && PD.latest(SITE, 'orderList');
    return Boolean(last && last.at >= since && isChallenge(last.data));
  }

  function challengeError() {
    const e = new Error('拼多多要求安全验证（验证码），请在页面上完成验证后再试 / 拼多多 asks for a captcha: complete it on the page, then try again');
    e.code = 'captcha';
    return e;
  }

  /** {orders, problem}: the orders of the reply that holds every row on screen (all of that
   *  reply's orders, in its order: a list drawn lazily shows fewer rows than its page has). */
  function readReply(ids) {
    const PD = globalThis.DanhaoPageData;
    if (!PD || !ids.length) return { orders: null, problem: null };
    const replies = PD.replies(SITE, 'orderList').reverse();
    for (const entry of replies) {
      const items = REPLY.items(entry.data);
      if (!Array.isArray(items)) continue;
      const missing = REPLY.required.filter((k) => items.length && !(k in items[0]));
      if (missing.length) return { orders: null, problem: `recentOrderList 缺少字段 / reply lacks ${missing.join(', ')}` };
      if (items.some((r) => typeof r.goods_price !== 'number')) return { orders: null, problem: 'recentOrderList 金额格式已变 / amounts are not fen' };
      // pageItems is one goods line per entry: lines of one order are put back together.
      const byId = new Map();
      for (const r of items) {
        const id = String(r.order_sn);
        if (!byId.has(id)) byId.set(id, []);
        byId.get(id).push(r);
      }
      if (!ids.every((id) => byId.has(id))) continue;
      return { orders: Array.from(byId.values()).map(mapReply), problem: null };
    }
    return { orders: null, problem: null };
  }

  // The rows may render a moment before the copy of their reply arrives (the page renders on
  // load, the observer hands over on loadend): wait a little for it before reading the DOM.
  async function replyFor(ids) {
    const PD = globalThis.DanhaoPageData;
    return PD && ids.length ? PD.settled(SITE, 'orderList', () => readReply(ids)) : readReply(ids);
  }

  // One order from its goods lines: the order's fields from the first line, every line an item.
  function mapReply(lines) {
    const r = lines[0];
    const out = { order_id: '', shop: '' };
    for (const [key, fn] of Object.entries(REPLY.order)) out[key] = fn(r);
    out.items = lines.flatMap((l) => REPLY.order.items(l));
    out.url = DETAIL_URL(out.order_id);
    return { order_id: out.order_id, shop: out.shop, status: out.status, created_at: out.created_at, ship_by: out.ship_by,
      buyer: out.buyer, items: out.items, amount: out.amount, remark: out.remark, url: out.url };
  }

  // --- page state -------------------------------------------------------------------------
  async function waitForRows(doc, timeout = 15000) {
    return D.waitFor(() => orderHeads(doc).length > 0 || isEmptyList(doc) || challengeSeen(), timeout, doc);
  }

  // Promos, notices and the 待办 alert cover the list on load (the shared reader closes them);
  // a ship dialog has form fields and stays.
  const isShipDialog = (d) => Boolean(P.findField(d, 'tracking') || P.findField(d, 'courier')
    || TEXT.selfShipTab.some((t) => P.deepText(d).includes(t)));

  // --- extract ----------------------------------------------------------------------------
  // The reply carries no shop: a 店铺 column, where the page has one, gives it.
  function withShop(doc, orders) {
    const idx = columns(doc);
    if (idx.shop === undefined) return orders;
    const shops = new Map(orderGroups(doc).map((g) => [g.id, D.text(cellsOf(g.rows[0])[idx.shop])]));
    return orders.map((o) => ({ ...o, shop: shops.get(o.order_id) || '' }));
  }

  // The ids on screen, in order, for matching a reply: the heads alone, no full read.
  const screenOrderIds = (doc) => orderGroups(doc).map((g) => g.id);

  async function extract(doc) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    const ids = screenOrderIds(doc);
    if (!ids.length && challengeSeen()) throw challengeError();
    const reply = await replyFor(ids);
    const notes = reply.problem ? [reply.problem] : [];
    if (reply.orders) return { orders: withShop(doc, reply.orders), pages: pageInfo(doc), source: 'reply', notes };
    const dom = readDom(doc);
    if (!dom.length && !isEmptyList(doc)) {
      const seen = globalThis.DanhaoPageData && globalThis.DanhaoPageData.latest(SITE, 'orderList');
      const total = seen && REPLY.total(seen.data);
      if (total) throw P.pageChanged(`页面有 ${total} 单，但找不到订单行`, `the page has ${total} orders but no order rows were found`);
    }
    return { orders: dom, pages: pageInfo(doc), source: 'dom', notes };
  }

  async function extractVia(doc, source) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    if (source === 'dom') return { orders: readDom(doc), source };
    const reply = await replyFor(screenOrderIds(doc));
    return { orders: reply.orders ? withShop(doc, reply.orders) : null, source, problem: reply.problem };
  }

  // --- the 发货 dialog -------------------------------------------------------------------
  function shipDialog(doc) {
    return P.dialogs(doc, { exclude: HOOKS.panelHost }).find(isShipDialog) || null;
  }

  async function closeDialog(doc, dialog) {
    if (!dialog || !dialog.isConnected || !D.isVisible(dialog)) return true;
    const btn = P.findButton(dialog, 'cancel') || P.closeControl(dialog);
    if (btn) P.pointerClick(btn);
    return Boolean(await D.waitFor(() => !dialog.isConnected || !D.isVisible(dialog), 3000, doc));
  }

  const groupOf = (doc, id) => orderGroups(doc).find((g) => g.id === id) || null;

  function shipButtonIn(g) {
    for (const row of g.rows) {
      const b = P.findButton(row, 'shipButton');
      if (b) return b;
    }
    return P.findButton(g.block || g.el.parentElement || g.el, 'shipButton');
  }

  // A dialog that asks the person something about this order (a refund in progress, a risk
  // warning) is not a changed page: the order needs a person, the walk goes on.
  const NEEDS_PERSON = /退款|售后|风险|异常|拦截|投诉|确认继续|仍要|确定要/;

  async function openShipDialog(doc, g) {
    const btn = shipButtonIn(g);
    if (!btn) return { error: P.pageChanged('找不到 发货 按钮', '发货 button not found').message };
    const before = new Set(P.dialogs(doc, { exclude: HOOKS.panelHost }));
    P.pointerClick(btn);
    const opened = await D.waitFor(() => shipDialog(doc)
      || P.dialogs(doc, { exclude: HOOKS.panelHost }).find((d) => !before.has(d)), 6000, doc);
    if (!opened) return { error: P.pageChanged('点 发货 后没有出现对话框', 'no dialog opened on 发货').message };
    // Some dialogs open on another tab (无物流发货…): go to the one with a courier.
    if (!P.findField(opened, 'courier')) {
      const tab = P.allElements(opened).find((el) => TEXT.selfShipTab.includes(D.text(el)) && D.isVisible(el));
      if (tab) P.pointerClick(tab);
      await D.waitFor(() => P.findField(opened, 'courier') && P.findField(opened, 'tracking'), 2000, doc);
    }
    if (!P.findField(opened, 'courier') || !P.findField(opened, 'tracking')) {
      const shows = P.lines(opened).filter((l) => l.length <= 40).slice(0, 6).join(' ');
      await closeDialog(doc, opened);
      if (NEEDS_PERSON.test(shows)) return { needsPerson: shows };
      // A dialog, but not the form Danhao knows (a new step, a new layout): say what it shows.
      return { error: P.pageChanged(`发货对话框里找不到 物流公司 和 运单号 输入框（对话框显示：${shows}）`,
        `no 物流公司 and 运单号 fields in the 发货 dialog (it shows: ${shows})`).message };
    }
    return { dialog: opened };
  }

  const SF = globalThis.DanhaoShipForm;

  async function readOptions(doc) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    let dialog = shipDialog(doc);
    let opened = false;
    if (!dialog) {
      // The first rows may need a person (a refund warning): try the next ones.
      const candidates = orderGroups(doc).filter((x) => shipButtonIn(x)).slice(0, 5);
      if (!candidates.length) return [];
      for (const g of candidates) {
        const r = await openShipDialog(doc, g);
        if (r.error) throw Object.assign(new Error(r.error), { code: 'page_changed' });
        if (r.dialog) { dialog = r.dialog; opened = true; break; }
      }
      if (!dialog) return [];
    }
    const field = P.findField(dialog, 'courier');
    if (!field) { if (opened) await closeDialog(doc, dialog); throw P.pageChanged('找不到 物流公司 选择框', '物流公司 select not found'); }
    const labels = await SF.courierOptions(field, doc);
    if (opened) await closeDialog(doc, dialog);
    if (!labels || !labels.length) throw P.pageChanged('找不到 物流公司 选项', '物流公司 options not found');
    return labels;
  }

  // The page's own ship request for this order and what it answered (seen by the observer).
  function shipReplyFor(entry, orderId) {
    const req = entry.request ? JSON.stringify(entry.request) : '';
    if (!req.includes(orderId)) return null;
    const d = entry.data || {};
    const ok = entry.status < 400 && (d.success === true || d.errorCode === 0 || d.error_code === 0 || d.result === true)
      && d.success !== false;
    return { ok, request: req, message: String(d.errorMsg || d.error_msg || d.message || '') };
  }

  // A row not drawn yet (lists that render more rows as they are scrolled): scroll to find it.
  async function findGroup(doc, orderId) {
    let g = groupOf(doc, orderId);
    for (let i = 0; !g && i < 12; i += 1) {
      const before = orderHeads(doc).length;
      const heads = orderHeads(doc);
      const last = heads[heads.length - 1];
      if (last) last.el.scrollIntoView({ block: 'end' });
      doc.defaultView.scrollTo(0, doc.documentElement.scrollHeight);
      for (const el of doc.querySelectorAll('*')) {
        if (el.scrollHeight > el.clientHeight + 40 && /auto|scroll/.test(getComputedStyle(el).overflowY)) el.scrollTop = el.scrollHeight;
      }
      const grew = await D.waitFor(() => orderHeads(doc).length > before || groupOf(doc, orderId), 1200, doc);
      g = groupOf(doc, orderId);
      if (!grew) break;
    }
    return g;
  }

  // The dialog must be about this order: its order id, or, when it shows none, the order's goods.
  function dialogBelongs(dialog, orderId, titles) {
    const text = P.deepText(dialog);
    const shown = ID_RE.exec(text);
    if (shown) return shown[1] === orderId ? 'ok' : 'other';
    return titles.some((t) => t && text.includes(t.slice(0, 12))) ? 'ok' : 'unknown';
  }

  async function fill(doc, shipment, ui = {}) {
    const failed = (e) => ({ result: 'failed', submitted: false, reason: e.message || String(e) });
    const option = shipment.target && shipment.target.option;
    if (!option || !shipment.number) return { result: 'failed', submitted: false, reason: 'bad_shipment: no option or number' };
    await waitForRows(doc);
    await dismissBlockers(doc);

    let dialog = shipDialog(doc);
    if (dialog) { await closeDialog(doc, dialog); dialog = null; }
    const g = await findGroup(doc, shipment.order_id);
    if (!g) return failed(P.pageChanged(`找不到订单行 ${shipment.order_id}`, `order row not found: ${shipment.order_id}`));
    const row = parseGroup(g, columns(doc));
    if (row.status && !row.status.includes(TEXT.pending)) return { result: 'skipped', submitted: false, reason: `not_pending: ${row.status}` };
    const opened = await openShipDialog(doc, g);
    if (opened.needsPerson) {
      return { result: 'skipped', submitted: false, reason: `needs_person: 平台提示“${opened.needsPerson}”，请人工处理 / the platform asks a person first` };
    }
    if (opened.error) return { result: 'failed', submitted: false, reason: opened.error };
    dialog = opened.dialog;
    // A number on a stranger's parcel is the worst outcome: never fill a dialog that is not
    // provably this order's.
    const belongs = dialogBelongs(dialog, shipment.order_id, row.items.map((i) => i.title));
    if (belongs !== 'ok') {
      await closeDialog(doc, dialog);
      return { result: 'failed', submitted: false, reason: belongs === 'other'
        ? `wrong_dialog: 对话框显示的是另一个订单 / dialog shows another order than ${shipment.order_id}`
        : `wrong_dialog: 对话框里看不到订单号或商品，无法确认是 ${shipment.order_id} / cannot tell the dialog belongs to ${shipment.order_id}` };
    }

    const courier = P.findField(dialog, 'courier');
    if (!courier) { await closeDialog(doc, dialog); return failed(P.pageChanged('找不到 物流公司 选择框', '物流公司 select not found')); }
    const number = P.findField(dialog, 'tracking', { exclude: [courier] });
    if (!number) { await closeDialog(doc, dialog); return failed(P.pageChanged('找不到 运单号 输入框', '运单号 input not found')); }
    const confirm = P.findButton(dialog, 'confirmShip');
    if (!confirm) { await closeDialog(doc, dialog); return failed(P.pageChanged('找不到 确认发货 按钮', '确认发货 button not found')); }

    const filled = await SF.fillFields(doc, { courier, number, option, value: shipment.number });
    if (!filled.ok) { await closeDialog(doc, dialog); return { result: 'failed', submitted: false, reason: filled.reason }; }
    return SF.confirmShip({
      doc, site: SITE, confirm, courier, number, option, shipment, ui,
      finished: () => !dialog.isConnected || !D.isVisible(dialog),
      abandon: () => closeDialog(doc, dialog),
      errorText: () => D.text(Array.from(dialog.querySelectorAll('[role="alert"], [class*="error" i], [class*="explain" i]')).find(D.isVisible)),
      replyFor: shipReplyFor,
      dismiss: () => dismissBlockers(doc),
    });
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (!u.pathname.startsWith('/orders/list')) return { kind: null, rows: 0 };
    return { kind: 'order-list', rows: orderGroups(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'pdd-seller',
    side: 'seller',
    matches: ['https://mms.pinduoduo.com/orders/list*'],
    detect, extract, extractVia, readOptions, fill, nextPage, goToPage, pageInfo,
    pendingStatus: (status) => !status || status.includes(TEXT.pending),
  });
})();
