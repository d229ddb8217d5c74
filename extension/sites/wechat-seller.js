// 微信小店 order list (store.weixin.qq.com/shop/order/list): read the orders, read the courier
// options of the 发货 dialog, fill the dialog one order at a time.
//
// Evidence (../reference real-pages.md §8 and 2025-26 desktop tools calling the page's own cgi):
// the list reply POST /shop-faas/mmchannelstradeorder/list/cgi/orderSearch → {code: 0, orderList,
// totalNum} with `commonInfo.orderId` a 19-digit STRING, times in unix seconds, money in fen as
// strings; the ship calls ship/cgi/initShipData and ship/cgi/updateDeliveryInfo, success =
// `success: true` (or code 0 and errcode 0), failures carrying `errmsg` (快递单号与所选物流商不匹配,
// 快递单号有误, 没有可更新的物流信息, 缺少承运商信息). No public markup of the page exists: the list
// is read by meaning through the shared order-list reader (订单号/订单编号 heads, column headers),
// the dialog by its labels. The app may live inside a micro-frontend's open shadow root
// (wujie): the reader is then given that root as its document.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const P = globalThis.DanhaoPage;
  const SF = globalThis.DanhaoShipForm;
  const SITE = 'wechat-seller';
  const { ID_RE, fen, unixToIso } = globalThis.DanhaoOrderList;

  // 20 待发货 and 30 待收货 are evidenced (ref: a 2026 tool); the rest follow the open API (GUESS),
  // used only where the row on screen shows no status.
  const STATUS = { 10: '待付款', 20: '待发货', 21: '部分发货', 30: '待收货', 100: '已完成', 200: '已取消', 250: '已取消' };
  const get = (o, path) => path.split('.').reduce((x, k) => (x && typeof x === 'object' ? x[k] : undefined), o);

  // orderSearch rows → MODEL.md. `deliveryDeadline`, `salePrice`, `productCnt`, `customerNotes` are
  // not in any public capture (GUESS names); when a `required` path is gone the reply is not
  // trusted: a note says so and the page is read.
  const REPLY = {
    items: (data) => (data && data.code === 0 && Array.isArray(data.orderList) ? data.orderList : null),
    required: ['commonInfo.orderId', 'commonInfo.createTime', 'commonInfo.deliveryDeadline', 'priceInfo.orderPrice',
      'orderProductInfo', 'deliveryInfo.addressInfo.userName', 'deliveryInfo.addressInfo.telNumber',
      'deliveryInfo.addressInfo.provinceName', 'deliveryInfo.addressInfo.cityName', 'deliveryInfo.addressInfo.countyName',
      'deliveryInfo.addressInfo.detailInfo'],
    productRequired: ['title', 'saleParam', 'productCnt', 'salePrice'],
    id: (r) => String(get(r, 'commonInfo.orderId')),
    order: (r) => {
      const a = get(r, 'deliveryInfo.addressInfo') || {};
      return {
        status: STATUS[get(r, 'commonInfo.status')] || '',
        created_at: unixToIso(get(r, 'commonInfo.createTime')),
        ship_by: unixToIso(get(r, 'commonInfo.deliveryDeadline')),
        buyer: { name: String(a.userName || ''), phone: String(a.telNumber || ''),
          address: { province: String(a.provinceName || ''), city: String(a.cityName || ''), district: String(a.countyName || ''), detail: String(a.detailInfo || '') } },
        items: (r.orderProductInfo || []).map((p) => ({ title: String(p.title || ''),
          sku: Array.isArray(p.saleParam) ? p.saleParam.join(' ') : String(p.saleParam || ''),
          quantity: Number(p.productCnt) || 1, price: fen(p.salePrice) })),
        amount: fen(get(r, 'priceInfo.orderPrice')),
        remark: String(get(r, 'extInfo.customerNotes') || ''),
      };
    },
  };

  const TEXT = {
    pending: '待发货',
    confirm: [...P.SYNONYMS.confirmShip, '发货'],      // this dialog's confirm reads 发货
    needsPerson: /退款|售后|风险|异常|拦截|投诉|确认继续|仍要|确定要/,
    pageOf: /^(\d+)\s*\/\s*(\d+)$/,                   // the pager writes "1/2"
  };
  const HOOKS = { panelHost: '#danhao-panel-host' };

  // --- the app's root: the document, or a micro-frontend's open shadow root ------------------
  /** A document-like view of the shadow root holding the app (body = its top element), or `doc`. */
  function appDoc(doc) {
    if (!doc.body || L.orderHeads(doc).length) return doc;
    const host = Array.from(doc.body.querySelectorAll('*')).find((el) => el.shadowRoot && !el.matches(HOOKS.panelHost)
      && /订单/.test(el.shadowRoot.textContent || ''));
    if (!host) return doc;
    const sr = host.shadowRoot;
    const tops = Array.from(sr.children).filter((el) => !/^(STYLE|SCRIPT|LINK)$/.test(el.tagName));
    const body = sr.querySelector('body') || (tops.length === 1 ? tops[0] : null);
    if (!body) return doc;
    return {
      body, documentElement: sr, defaultView: doc.defaultView, location: doc.location,
      createTreeWalker: (...a) => doc.createTreeWalker(...a),
      querySelectorAll: (s) => sr.querySelectorAll(s), querySelector: (s) => sr.querySelector(s),
    };
  }

  // GUESS (replica): the shop name is a titled element above the orders showing its own title.
  function shopOf(adoc) {
    const first = L.orderHeads(adoc)[0];
    const el = Array.from(adoc.body.querySelectorAll('[title]')).find((x) => D.isVisible(x) && D.text(x)
      && D.text(x) === D.norm(x.getAttribute('title')) && !/^\d+$/.test(D.text(x))
      && (!first || Boolean(x.compareDocumentPosition(first.el) & Node.DOCUMENT_POSITION_FOLLOWING)));
    return el ? D.text(el) : '';
  }

  const L = globalThis.DanhaoOrderList.reader({
    detailLink: 'a[href*="order/detail"]',
    remark: /(?:用户备注|买家留言|买家备注)\s*[:：]\s*(.*)$/,
    shopOf,
    keepDialog: (d) => isShipDialog(d),
  });
  const A = (doc) => appDoc(doc);

  async function waitForRows(doc, timeout = 15000) {
    return D.waitFor(() => L.orderHeads(A(doc)).length > 0 || L.isEmptyList(A(doc)), timeout, doc);
  }

  // --- the pager: "1/2" with 上一页 / 下一页 ------------------------------------------------------
  function pageInfo(doc) {
    const adoc = A(doc);
    const el = P.allElements(adoc.body).find((x) => !x.children.length && TEXT.pageOf.test(D.text(x)) && D.isVisible(x));
    if (!el) return L.pageInfo(adoc);
    const m = TEXT.pageOf.exec(D.text(el));
    return { current: Number(m[1]), total: Number(m[2]) };
  }

  const nextPage = (doc) => L.nextPage(A(doc));

  async function turn(doc, texts) {
    const adoc = A(doc);
    const btn = P.findButton(adoc.body, texts);
    if (!btn) return false;
    const was = L.orderGroups(adoc).map((g) => g.id).join(',');
    P.pointerClick(btn);
    return Boolean(await D.waitFor(() => { const now = L.orderGroups(A(doc)).map((g) => g.id).join(','); return now && now !== was; }, 15000, doc));
  }

  async function goToPage(doc, n) {
    for (let guard = 0; guard < 200 && pageInfo(doc).current !== n; guard += 1) {
      const back = pageInfo(doc).current > n;
      if (!(await turn(doc, back ? ['上一页', '<', '‹'] : 'next'))) return false;
    }
    return pageInfo(doc).current === n;
  }

  // --- the page's reply ---------------------------------------------------------------------
  function readReply(dom) {
    const PD = globalThis.DanhaoPageData;
    const ids = dom.map((o) => o.order_id);
    if (!PD || !ids.length) return { orders: null, problem: null };
    for (const entry of PD.replies(SITE, 'orderList').reverse()) {
      const rows = REPLY.items(entry.data);
      if (!rows) continue;
      const missing = rows.length ? REPLY.required.filter((k) => get(rows[0], k) === undefined) : [];
      const p0 = rows.length && Array.isArray(rows[0].orderProductInfo) ? rows[0].orderProductInfo[0] : null;
      if (p0) missing.push(...REPLY.productRequired.filter((k) => !(k in p0)));
      if (missing.length) return { orders: null, problem: `orderSearch 缺少字段 / reply lacks ${missing.join(', ')}` };
      const byId = new Map(rows.map((r) => [REPLY.id(r), r]));
      if (!ids.every((id) => byId.has(id))) continue;
      const shown = new Map(dom.map((o) => [o.order_id, o]));
      return {
        orders: ids.map((id) => {
          const o = REPLY.order(byId.get(id));
          const page = shown.get(id);
          return { order_id: id, shop: page.shop, status: page.status || o.status, created_at: o.created_at, ship_by: o.ship_by,
            buyer: o.buyer, items: o.items, amount: o.amount, remark: o.remark, url: page.url };
        }),
        problem: null,
      };
    }
    return { orders: null, problem: null };
  }

  // A busy machine may render the rows before the observer's copy of their reply arrives: with no
  // copy held yet, the first one is awaited longer.
  async function replyFor(dom) {
    const PD = globalThis.DanhaoPageData;
    return PD && dom.length ? PD.settled(SITE, 'orderList', () => readReply(dom), { firstWait: 3000 }) : readReply(dom);
  }

  async function extract(doc) {
    await waitForRows(doc);
    await L.dismissBlockers(A(doc));
    const dom = L.readDom(A(doc));
    const reply = await replyFor(dom);
    const notes = reply.problem ? [reply.problem] : [];
    if (reply.orders) return { orders: reply.orders, pages: pageInfo(doc), source: 'reply', notes };
    if (!dom.length && !L.isEmptyList(A(doc))) {
      const seen = globalThis.DanhaoPageData && globalThis.DanhaoPageData.latest(SITE, 'orderList');
      const rows = seen && REPLY.items(seen.data);
      if (rows && rows.length) throw P.pageChanged(`页面有 ${rows.length} 单，但找不到订单行`, `the page has ${rows.length} orders but no order rows were found`);
    }
    return { orders: dom, pages: pageInfo(doc), source: 'dom', notes };
  }

  async function extractVia(doc, source) {
    await waitForRows(doc);
    await L.dismissBlockers(A(doc));
    const dom = L.readDom(A(doc));
    if (source === 'dom') return { orders: dom, source };
    const reply = await replyFor(dom);
    return { orders: reply.orders, source, problem: reply.problem };
  }

  // --- the 发货 dialog ---------------------------------------------------------------------
  const isShipDialog = (d) => Boolean(P.findField(d, 'tracking') || P.findField(d, 'courier') || /订单发货/.test(P.deepText(d)));
  const shipDialog = (doc) => P.dialogs(A(doc), { exclude: HOOKS.panelHost }).find(isShipDialog) || null;

  async function closeDialog(doc, dialog) {
    if (!dialog || !dialog.isConnected || !D.isVisible(dialog)) return true;
    const btn = P.findButton(dialog, 'cancel') || P.closeControl(dialog);
    if (btn) P.pointerClick(btn);
    return Boolean(await D.waitFor(() => !dialog.isConnected || !D.isVisible(dialog), 3000, doc));
  }

  function shipButtonIn(g) {
    for (const row of g.rows) {
      const b = P.findButton(row, 'shipButton');
      if (b) return b;
    }
    return P.findButton(g.block || g.el.parentElement || g.el, 'shipButton');
  }

  const loading = (dialog) => /加载中|loading/i.test(P.deepText(dialog));
  const fieldsIn = (dialog) => P.findField(dialog, 'courier') && P.findField(dialog, 'tracking');

  // The dialog asks initShipData first and shows 加载中 until it answers.
  async function openShipDialog(doc, g) {
    const btn = shipButtonIn(g);
    if (!btn) return { error: P.pageChanged('找不到 发货 按钮', '发货 button not found').message };
    const before = new Set(P.dialogs(A(doc), { exclude: HOOKS.panelHost }));
    P.pointerClick(btn);
    const opened = await D.waitFor(() => P.dialogs(A(doc), { exclude: HOOKS.panelHost }).find((d) => !before.has(d)) || shipDialog(doc), 6000, doc);
    if (!opened) return { error: P.pageChanged('点 发货 后没有出现对话框', 'no dialog opened on 发货').message };
    await D.waitFor(() => fieldsIn(opened) || (!loading(opened) && P.lines(opened).length > 3), 10000, doc);
    if (!fieldsIn(opened)) await D.waitFor(() => fieldsIn(opened), 800, doc);
    if (!fieldsIn(opened)) {
      const shows = P.lines(opened).filter((l) => l.length <= 40).slice(0, 10).join(' ');
      await closeDialog(doc, opened);
      if (TEXT.needsPerson.test(shows)) return { needsPerson: shows };
      // e.g. 全部商品发货 / 部分商品发货 asked before any field: the seller's decision, not Danhao's.
      return { error: P.pageChanged(`发货对话框里找不到 快递公司 和 快递单号（对话框显示：${shows}）`,
        `no 快递公司 and 快递单号 fields in the 发货 dialog (it shows: ${shows})`).message };
    }
    return { dialog: opened };
  }

  async function readOptions(doc) {
    await waitForRows(doc);
    await L.dismissBlockers(A(doc));
    let dialog = shipDialog(doc);
    let opened = false;
    if (!dialog) {
      const groups = L.orderGroups(A(doc)).filter((x) => shipButtonIn(x)).slice(0, 5);
      if (!groups.length) return [];
      let lastError = '';
      for (const g of groups) {
        const r = await openShipDialog(doc, g);
        if (r.dialog) { dialog = r.dialog; opened = true; break; }
        if (r.error) lastError = r.error;
        // A multi-product order may ask a question first: another order's dialog gives the list.
      }
      // The last dialog's own words name the field that is missing (指给我看 offers that field).
      if (!dialog) {
        throw Object.assign(new Error(lastError || P.pageChanged('发货对话框里找不到 快递公司', '快递公司 not found in any 发货 dialog').message),
          { code: 'page_changed' });
      }
    }
    const field = P.findField(dialog, 'courier');
    const labels = field ? await SF.courierOptions(field, doc) : [];
    if (opened) await closeDialog(doc, dialog);
    if (!labels.length) throw P.pageChanged('找不到 快递公司 选项', '快递公司 options not found');
    return labels;
  }

  // updateDeliveryInfo {orderId, deliveryInfo: {…}} → success / errmsg (refs in the header).
  function shipReplyFor(entry, orderId) {
    const req = entry.request ? JSON.stringify(entry.request) : '';
    if (!req.includes(orderId)) return null;
    const d = entry.data || {};
    const ok = entry.status < 400 && (d.success === true || (d.code === 0 && d.errcode === 0));
    return { ok, request: req, message: String(d.errmsg || d.msg || d.message || '') };
  }

  function dialogBelongs(dialog, orderId, titles) {
    const text = P.deepText(dialog);
    const shown = ID_RE.exec(text);
    if (shown) return shown[1] === orderId ? 'ok' : 'other';
    return titles.some((t) => t && text.includes(t.slice(0, 12))) ? 'ok' : 'unknown';
  }

  const errorText = (dialog) => D.text(P.allElements(dialog).find((el) => el.matches('[role="alert"]') && D.isVisible(el) && D.text(el)));

  async function fill(doc, shipment, ui = {}) {
    const fail = (reason) => ({ result: 'failed', submitted: false, reason });
    const option = shipment.target && shipment.target.option;
    if (!option || !shipment.number) return fail('bad_shipment: no option or number');
    await waitForRows(doc);
    await L.dismissBlockers(A(doc));
    const stale = shipDialog(doc);
    if (stale) await closeDialog(doc, stale);
    const adoc = A(doc);
    const g = L.orderGroups(adoc).find((x) => x.id === shipment.order_id);
    if (!g) return fail(P.pageChanged(`找不到订单行 ${shipment.order_id}`, `order row not found: ${shipment.order_id}`).message);
    const row = L.parseGroup(g, L.columns(adoc));
    if (row.status && !row.status.includes(TEXT.pending)) return { result: 'skipped', submitted: false, reason: `not_pending: ${row.status}` };
    const opened = await openShipDialog(doc, g);
    if (opened.needsPerson) return { result: 'skipped', submitted: false, reason: `needs_person: 平台提示“${opened.needsPerson}”，请人工处理 / the platform asks a person first` };
    if (opened.error) return fail(opened.error);
    const dialog = opened.dialog;
    const belongs = dialogBelongs(dialog, shipment.order_id, row.items.map((i) => i.title));
    if (belongs !== 'ok') {
      await closeDialog(doc, dialog);
      return fail(belongs === 'other'
        ? `wrong_dialog: 对话框显示的是另一个订单 / dialog shows another order than ${shipment.order_id}`
        : `wrong_dialog: 对话框里看不到订单号或商品，无法确认是 ${shipment.order_id} / cannot tell the dialog belongs to ${shipment.order_id}`);
    }
    const courier = P.findField(dialog, 'courier');
    const number = P.findField(dialog, 'tracking', { exclude: [courier] });
    // The site's own words first; then the shared key, which also tries a place the person pointed at.
    const confirm = P.findButton(dialog, TEXT.confirm) || P.findButton(dialog, 'confirmShip');
    if (!confirm) { await closeDialog(doc, dialog); return fail(P.pageChanged('找不到 发货 确认按钮', 'confirm button not found').message); }
    const filled = await SF.fillFields(doc, { courier, number, option, value: shipment.number });
    if (!filled.ok) { await closeDialog(doc, dialog); return fail(filled.reason); }
    // A refusal (快递单号与所选物流商不匹配 …) ends this row at once with the platform's words;
    // the dialog stays open meanwhile for the person to read.
    let refused = false;
    const PD = globalThis.DanhaoPageData;
    const off = PD ? PD.subscribe((s, e, entry) => {
      const r = s === SITE && e === 'ship' && shipReplyFor(entry, shipment.order_id);
      if (r && !r.ok) refused = true;
    }) : () => {};
    try {
      const r = await SF.confirmShip({
        doc, site: SITE, confirm, courier, number, option, shipment, ui,
        finished: () => refused || !dialog.isConnected || !D.isVisible(dialog),
        abandon: () => closeDialog(doc, dialog),
        errorText: () => errorText(dialog),
        replyFor: shipReplyFor,
        dismiss: () => L.dismissBlockers(A(doc)),
      });
      if (refused) await closeDialog(doc, dialog);
      return r;
    } finally {
      off();
    }
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (!u.pathname.startsWith('/shop/order/list')) return { kind: null, rows: 0 };
    return { kind: 'order-list', rows: L.orderGroups(A(doc)).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'wechat-seller',
    side: 'seller',
    matches: ['https://store.weixin.qq.com/shop/order/list*'],
    detect, extract, extractVia, readOptions, fill, nextPage, goToPage, pageInfo,
    pendingStatus: (status) => !status || status.includes(TEXT.pending),
  });
})();
