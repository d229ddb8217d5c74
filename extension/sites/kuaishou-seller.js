// 快手小店 order list (s.kwaixiaodian.com/zone/order/list): read the orders, read the courier
// options of the 发货 dialog, fill the dialog one order at a time.
//
// Evidence (../reference real-pages.md §5 and public captures): the page URL and its list reply,
// POST /rest/app/tts/ks/seller/order/query/v2 → {result: 1, total, orderList: [...]}, rows with
// `oid` (a 16-digit JSON number), `createTime` (ms), `itemTitle`, `skuDesc`, four-level address
// parts (`province`, `city`, `district`, `town`). No public markup of the page exists: the list is
// read by meaning through the shared order-list reader (订单编号/订单号 heads, column headers
// 商品信息 / 单价/数量 / 收货信息 / 订单状态 / 实付款), the dialog by its labels (物流公司 / 快递公司,
// 快递单号 / 运单号). No class name is used: the page's classes are opaque CSS-module hashes.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const P = globalThis.DanhaoPage;
  const SF = globalThis.DanhaoShipForm;
  const SITE = 'kuaishou-seller';
  const { ID_RE, fen } = globalThis.DanhaoOrderList;

  const msToIso = (ms) => globalThis.DanhaoOrderList.unixToIso(Number(ms) / 1000);
  // GUESS (no web capture): the open API's order status numbering. Used only where the row on
  // screen shows no status of its own.
  const STATUS = { 10: '待付款', 30: '待发货', 40: '已发货', 50: '已签收', 70: '交易成功', 80: '交易关闭' };

  // query/v2 orderList rows → MODEL.md. Evidenced: oid, createTime, itemTitle, skuDesc, province,
  // city, district, town. The other names are not in any public capture (marked GUESS): when one
  // of `required` is gone the reply is not trusted, a note says so and the page is read instead.
  const REPLY = {
    items: (data) => (data && data.result === 1 && Array.isArray(data.orderList) ? data.orderList : null),
    required: ['oid', 'createTime', 'itemTitle', 'skuDesc', 'province', 'city', 'district', 'town',
      'status', 'promiseDeliveryTime', 'num', 'price', 'totalFee', 'consignee', 'buyerPhone', 'address'],
    // The id: a JSON number of 16 digits is exact below 2^53; beyond it the page's own text is used.
    id: (r) => (typeof r.oid === 'string' ? r.oid : Number.isSafeInteger(r.oid) ? String(r.oid) : null),
    order: (r) => ({
      status: STATUS[r.status] || '',
      created_at: msToIso(r.createTime),
      ship_by: msToIso(r.promiseDeliveryTime),
      buyer: {
        name: String(r.consignee || ''), phone: String(r.buyerPhone || ''),
        // The page writes town and street as the address's fourth part: `detail` keeps both.
        address: { province: String(r.province || ''), city: String(r.city || ''), district: String(r.district || ''),
          detail: [r.town, r.address].filter(Boolean).map(String).join(' ') },
      },
      items: [{ title: String(r.itemTitle || ''), sku: String(r.skuDesc || ''), quantity: Number(r.num) || 1, price: fen(r.price) }],
      amount: fen(r.totalFee),
      remark: String(r.remark || ''),
    }),
  };

  const TEXT = {
    pending: '待发货',
    // A dialog asking the person something about this order first: not a changed page.
    needsPerson: /退款|售后|风险|异常|拦截|投诉|确认继续|仍要|确定要/,
  };
  const HOOKS = {
    pagerNext: '[class*="pagination-next" i], [aria-label="下一页"], [title="下一页"]',
    panelHost: '#danhao-panel-host',
  };

  // GUESS (replica): the shop name is the page header's titled element (`<header>`, or the banner).
  function shopOf(doc) {
    const head = doc.querySelector('header, [role=banner]');
    const el = head && Array.from(head.querySelectorAll('[title]')).find((x) => D.isVisible(x) && D.text(x) && D.text(x) === D.norm(x.getAttribute('title')));
    return el ? D.text(el) : '';
  }

  const L = globalThis.DanhaoOrderList.reader({
    detailLink: 'a[href*="order/detail"]',
    specLabel: /(?!)/,                 // the SKU line is kept as shown ("规格:20袋装"), as skuDesc says
    pagerNext: HOOKS.pagerNext,
    shopOf,
    keepDialog: (d) => isShipDialog(d),
  });
  const { orderHeads, orderGroups, columns, parseGroup, isEmptyList, dismissBlockers, pageInfo, nextPage, goToPage } = L;

  // Kuaishou writes every address in four levels, space-separated (快手行政区划, 4 levels; the third
  // may be a 街道/镇 where a city has no districts: 东莞市, 儋州市). The shared split knows districts by
  // their suffix only: a third part it did not take is the district here.
  function fourLevels(o) {
    const a = o.buyer && o.buyer.address;
    if (!a || !a.province || !a.city || a.district) return o;
    const parts = a.detail.split(' ');
    if (parts.length < 2) return o;
    return { ...o, buyer: { ...o.buyer, address: { ...a, district: parts[0], detail: parts.slice(1).join(' ') } } };
  }
  const readDom = (doc) => L.readDom(doc).map(fourLevels);

  async function waitForRows(doc, timeout = 15000) {
    return D.waitFor(() => orderHeads(doc).length > 0 || isEmptyList(doc), timeout, doc);
  }

  // --- the page's reply ---------------------------------------------------------------------
  /** {orders, problem}: the newest reply that holds every order on screen, mapped; `dom` gives
   *  what the page shows that the reply does not (status, the 订单详情 link). */
  function readReply(dom) {
    const PD = globalThis.DanhaoPageData;
    const ids = dom.map((o) => o.order_id);
    if (!PD || !ids.length) return { orders: null, problem: null };
    for (const entry of PD.replies(SITE, 'orderList').reverse()) {
      const rows = REPLY.items(entry.data);
      if (!rows) continue;
      const missing = REPLY.required.filter((k) => rows.length && !(k in rows[0]));
      if (missing.length) return { orders: null, problem: `query/v2 缺少字段 / reply lacks ${missing.join(', ')}` };
      if (rows.some((r) => typeof r.price !== 'number' || typeof r.totalFee !== 'number')) {
        return { orders: null, problem: 'query/v2 金额格式已变 / amounts are not fen' };
      }
      const byId = new Map(rows.map((r) => [REPLY.id(r), r]).filter(([id]) => id));
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
    await dismissBlockers(doc);
    const dom = readDom(doc);
    const reply = await replyFor(dom);
    const notes = reply.problem ? [reply.problem] : [];
    if (reply.orders) return { orders: reply.orders, pages: pageInfo(doc), source: 'reply', notes };
    if (!dom.length && !isEmptyList(doc)) {
      const seen = globalThis.DanhaoPageData && globalThis.DanhaoPageData.latest(SITE, 'orderList');
      const rows = seen && REPLY.items(seen.data);
      if (rows && rows.length) throw P.pageChanged(`页面有 ${rows.length} 单，但找不到订单行`, `the page has ${rows.length} orders but no order rows were found`);
    }
    return { orders: dom, pages: pageInfo(doc), source: 'dom', notes };
  }

  async function extractVia(doc, source) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    const dom = readDom(doc);
    if (source === 'dom') return { orders: dom, source };
    const reply = await replyFor(dom);
    return { orders: reply.orders, source, problem: reply.problem };
  }

  // --- the 发货 dialog ---------------------------------------------------------------------
  const isShipDialog = (d) => Boolean(P.findField(d, 'tracking') || P.findField(d, 'courier'));
  const shipDialog = (doc) => P.dialogs(doc, { exclude: HOOKS.panelHost }).find(isShipDialog) || null;

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

  // Form items the dialog asks for that Danhao does not fill (a 退货地址, …): a required control
  // left empty means the platform wants a decision Danhao cannot make.
  function unknownRequired(dialog, known) {
    const out = [];
    for (const el of P.allElements(dialog)) {
      if (!el.matches('input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, [role=combobox]') || !D.isVisible(el)) continue;
      if (known.includes(el) || known.some((k) => P.composedContains(k, el) || P.composedContains(el, k))) continue;
      const empty = el.matches('[role=combobox]') ? (!D.text(el) || /^请选择|^请输入/.test(D.text(el))) : !el.value;
      if (!empty) continue;
      const label = P.labelsOf(el)[0] || '';
      if (label) out.push(label);
    }
    return out;
  }

  async function openShipDialog(doc, g) {
    const btn = shipButtonIn(g);
    if (!btn) return { error: P.pageChanged('找不到 发货 按钮', '发货 button not found').message };
    const before = new Set(P.dialogs(doc, { exclude: HOOKS.panelHost }));
    P.pointerClick(btn);
    const opened = await D.waitFor(() => shipDialog(doc)
      || P.dialogs(doc, { exclude: HOOKS.panelHost }).find((d) => !before.has(d)), 6000, doc);
    if (!opened) return { error: P.pageChanged('点 发货 后没有出现对话框', 'no dialog opened on 发货').message };
    await D.waitFor(() => P.findField(opened, 'courier') && P.findField(opened, 'tracking'), 2000, doc);
    if (!P.findField(opened, 'courier') || !P.findField(opened, 'tracking')) {
      const shows = P.lines(opened).filter((l) => l.length <= 40).slice(0, 8).join(' ');
      await closeDialog(doc, opened);
      if (TEXT.needsPerson.test(shows)) return { needsPerson: shows };
      return { error: P.pageChanged(`发货对话框里找不到 物流公司 和 快递单号（对话框显示：${shows}）`,
        `no 物流公司 and 快递单号 fields in the 发货 dialog (it shows: ${shows})`).message };
    }
    return { dialog: opened };
  }

  // The courier list is fetched when the dropdown first opens and shows 加载中… until then: open
  // it and wait for its options, so reading and choosing see the whole list.
  async function loadedCourierPanel(doc, field) {
    if (field.tagName === 'SELECT') return true;
    const panel = await globalThis.DanhaoSelect.open(field, {});
    if (!panel) return false;
    return Boolean(await D.waitFor(() => !/加载中|loading/i.test(D.text(panel))
      && (globalThis.DanhaoSelect.options(panel).length > 0 || /暂无/.test(D.text(panel))), 10000, doc));
  }

  async function readOptions(doc) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    let dialog = shipDialog(doc);
    let opened = false;
    if (!dialog) {
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
    await loadedCourierPanel(doc, field);
    const labels = await SF.courierOptions(field, doc);
    if (opened) await closeDialog(doc, dialog);
    if (!labels || !labels.length) throw P.pageChanged('找不到 物流公司 选项', '物流公司 options not found');
    return labels;
  }

  // GUESS (no capture of the web page's ship call): POST …/order/deliver {oid, expressCode, expressNo}
  // → {result: 1, error_msg}. Where it is not seen, the dialog closing after the click decides.
  function shipReplyFor(entry, orderId) {
    const req = entry.request ? JSON.stringify(entry.request) : '';
    if (!req.includes(orderId)) return null;
    const d = entry.data || {};
    return { ok: entry.status < 400 && d.result === 1, request: req, message: String(d.error_msg || d.message || '') };
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
    await dismissBlockers(doc);
    const stale = shipDialog(doc);
    if (stale) await closeDialog(doc, stale);
    const g = orderGroups(doc).find((x) => x.id === shipment.order_id);
    if (!g) return fail(P.pageChanged(`找不到订单行 ${shipment.order_id}`, `order row not found: ${shipment.order_id}`).message);
    const row = parseGroup(g, columns(doc));
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
    const number = courier && P.findField(dialog, 'tracking', { exclude: [courier] });
    const confirm = P.findButton(dialog, 'confirmShip');
    if (!courier || !number || !confirm) {
      await closeDialog(doc, dialog);
      const what = !courier ? '物流公司' : !number ? '快递单号' : '确认发货';
      return fail(P.pageChanged(`发货对话框里找不到 ${what}`, `${what} not found in the 发货 dialog`).message);
    }
    // A required choice Danhao does not know (a 退货地址 …) is the seller's: fill nothing, report.
    const extra = unknownRequired(dialog, [courier, number]);
    if (extra.length) {
      await closeDialog(doc, dialog);
      return fail(P.pageChanged(`发货对话框多了必填项：${extra.join('、')}，Danhao 不替卖家选择`,
        `the 发货 dialog asks for more: ${extra.join(', ')}; Danhao does not choose for the seller`).message);
    }
    if (!(await loadedCourierPanel(doc, courier))) {
      await closeDialog(doc, dialog);
      return fail(P.pageChanged('物流公司 下拉框没有加载出选项', '物流公司 dropdown never loaded its options').message);
    }
    const filled = await SF.fillFields(doc, { courier, number, option, value: shipment.number });
    if (!filled.ok) { await closeDialog(doc, dialog); return fail(filled.reason); }
    // A refusal (快递单号与物流公司不匹配 …) ends this row at once with the platform's words.
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
        dismiss: () => dismissBlockers(doc),
      });
      if (refused) await closeDialog(doc, dialog);
      return r;
    } finally {
      off();
    }
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (!u.pathname.startsWith('/zone/order/list')) return { kind: null, rows: 0 };
    return { kind: 'order-list', rows: orderGroups(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'kuaishou-seller',
    side: 'seller',
    matches: ['https://s.kwaixiaodian.com/zone/order/list*'],
    detect, extract, extractVia, readOptions, fill, nextPage, goToPage, pageInfo,
    pendingStatus: (status) => !status || status.includes(TEXT.pending),
  });
})();
