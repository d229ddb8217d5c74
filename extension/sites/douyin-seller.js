// 抖店 order list (fxg.jinritemai.com/ffa/morder/order/list): read the orders.
//
// The list is drawn as on 拼多多: a head per order (订单编号：<19 digits>, 下单时间, 承诺发货时间)
// and table rows under a header (商品信息, 单价/数量, 收货信息, 订单状态, 实付金额), so the shared
// order-list reader does the work. The page's own reply (`/api/order/searchlist`, evidence
// 2021–26) is used where its fields are documented: the order ids on screen and the masked
// receiver; goods fields and amounts in the reply are not documented, so they are read from the
// page. Filling happens on a separate ship page per order (/ffa/morder/logistics/delivery,
// evidence 2022–26): the list gives each order's 发货 link, content/ship-pages.js walks the tab
// through them, and on each ship page this adapter reads the courier list and fills the form.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const P = globalThis.DanhaoPage;
  const SITE = 'douyin-seller';

  // searchlist rows → the parts of MODEL.md the public captures document (refs: 抖店 API catalog
  // 2026-05; receiver_info 2021–22). `post_tel` is masked in the list.
  const REPLY = {
    rows: (data) => (data && data.code === 0 && Array.isArray(data.data) ? data.data : null),
    required: ['shop_order_id'],
    id: (r) => String(r.shop_order_id),
    receiver: (r) => {
      const x = r.receiver_info;
      if (!x || typeof x.post_receiver !== 'string') return undefined;
      return { name: x.post_receiver, phone: typeof x.post_tel === 'string' ? x.post_tel : undefined };
    },
  };
  const HOOKS = {
    shopName: '[class*="shopName" i], [class*="shop-name" i], [class*="shop_name" i]',
    pagerNext: '[class*="pagination-next" i], [aria-label="下一页"], [title="下一页"]',
  };
  const DETAIL_URL = (id) => `https://fxg.jinritemai.com/ffa/morder/order/detail?id=${id}`;

  const L = globalThis.DanhaoOrderList.reader({
    detailUrl: DETAIL_URL,
    detailLink: 'a[href*="order/detail"]',
    pagerNext: HOOKS.pagerNext,
    // The shop is named once, in the page header, not per row.
    shopOf: (doc) => {
      const el = Array.from(doc.querySelectorAll(HOOKS.shopName)).find(D.isVisible);
      return el ? (el.getAttribute('title') || D.text(el)) : '';
    },
  });
  const { isEmptyList, dismissBlockers, pageInfo, nextPage, goToPage } = L;

  async function waitForRows(doc, timeout = 15000) {
    return D.waitFor(() => L.orderHeads(doc).length > 0 || isEmptyList(doc), timeout, doc);
  }

  /** Cross-check with the page's own reply: every order on screen in it, receivers as it says. */
  function checkWithReply(orders) {
    const PD = globalThis.DanhaoPageData;
    if (!PD || !orders.length) return { source: 'dom', notes: [] };
    for (const entry of PD.replies(SITE, 'orderList').reverse()) {
      const rows = REPLY.rows(entry.data);
      if (!rows) continue;
      const missing = REPLY.required.filter((k) => rows.length && !(k in rows[0]));
      if (missing.length) return { source: 'dom', notes: [`searchlist 缺少字段 / reply lacks ${missing.join(', ')}`] };
      const byId = new Map(rows.map((r) => [REPLY.id(r), r]));
      if (!orders.every((o) => byId.has(o.order_id))) continue;
      const notes = [];
      for (const o of orders) {
        const rcv = REPLY.receiver(byId.get(o.order_id));
        if (rcv && rcv.name && o.buyer.name && rcv.name !== o.buyer.name) {
          notes.push(`收货人与页面数据不一致 / receiver differs from the page's data: ${o.order_id}`);
        }
      }
      return { source: 'dom+reply', notes };
    }
    return { source: 'dom', notes: [] };
  }

  async function extract(doc) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    const orders = L.readDom(doc);
    const seen = globalThis.DanhaoPageData && globalThis.DanhaoPageData.latest(SITE, 'orderList');
    const rows = seen && REPLY.rows(seen.data);
    if (!orders.length && !isEmptyList(doc) && rows && rows.length) {
      throw P.pageChanged(`页面有 ${rows.length} 单，但找不到订单行`, `the page has ${rows.length} orders but no order rows were found`);
    }
    let checked = checkWithReply(orders);
    // The rows may render a moment before the copy of their reply arrives.
    if (checked.source === 'dom' && !checked.notes.length && orders.length && globalThis.DanhaoPageData) {
      await globalThis.DanhaoPageData.next(SITE, 'orderList', () => true, 1000);
      checked = checkWithReply(orders);
    }
    return { orders, pages: pageInfo(doc), source: checked.source, notes: checked.notes };
  }

  async function extractVia(doc, source) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    return { orders: L.readDom(doc), source };
  }

  // --- the ship page (one order) -------------------------------------------------------
  const SF = globalThis.DanhaoShipForm;
  const SHIP_PATH = '/ffa/morder/logistics/delivery';
  const { ID_RE } = globalThis.DanhaoOrderList;
  const SHIPPED = /发货成功|已发货/;

  /** The address of the order's 发货 link on the list (the page's own link, never one built). */
  function shipPageUrl(doc, orderId) {
    const g = L.orderGroups(doc).find((x) => x.id === orderId);
    if (!g) return null;
    const links = g.rows.flatMap((row) => Array.from(row.querySelectorAll('a[href]')));
    const link = links.find((a) => P.names(D.text(a), 'shipButton', { exact: true }) && a.getAttribute('href') !== '#');
    return link ? new URL(link.getAttribute('href'), doc.location.href).href : null;
  }

  // The ship form: the form holding a courier control (the page also has an order search form).
  async function shipForm(doc, timeout = 15000) {
    return D.waitFor(() => (P.findField(doc.body, 'courier') ? doc.body : null)
      || (notPending(doc) ? doc.body : null) || (P.findField(doc.body, 'tracking') ? doc.body : null), timeout, doc);
  }
  // Text of the page without the order search box (it holds an id typed by whoever searched).
  const pageText = (doc) => P.lines(doc.body).join('\n');
  // A ship page for an order that cannot be shipped shows a notice instead of the form.
  const notPending = (doc) => !P.findField(doc.body, 'courier') && /已发货|已取消|无法发货|不可发货|已关闭/.test(pageText(doc))
    && P.lines(doc.body).find((l) => /已发货|已取消|无法发货|不可发货|已关闭/.test(l));

  /** The order id the ship page shows (订单编号：…), or null. */
  async function shipPageOrderId(doc) {
    await shipForm(doc);
    const m = ID_RE.exec(pageText(doc));
    return m ? m[1] : null;
  }

  async function readOptions(doc) {
    if (!new URL(doc.location.href).pathname.startsWith(SHIP_PATH)) return [];
    await shipForm(doc);
    await dismissBlockers(doc);
    const field = P.findField(doc.body, 'courier');
    if (!field) throw P.pageChanged(`发货页找不到 物流公司 选择框（页面显示：${P.lines(doc.body).slice(0, 8).join(' ')}）`, '物流公司 select not found on the ship page');
    const labels = await SF.courierOptions(field, doc);
    if (!labels.length) throw P.pageChanged('找不到 物流公司 选项', '物流公司 options not found');
    return labels;
  }

  // The page's own ship request for this order, if the observer saw one (endpoint: a guess
  // from the open API's logisticsAdd; without it the page's success text decides).
  function shipReplyFor(entry, orderId) {
    const req = entry.request ? JSON.stringify(entry.request) : '';
    if (!req.includes(orderId)) return null;
    const d = entry.data || {};
    return { ok: entry.status < 400 && d.code === 0, request: req, message: String(d.msg || d.message || '') };
  }

  async function fill(doc, shipment, ui = {}) {
    const failed = (e) => ({ result: 'failed', submitted: false, reason: e.message || String(e) });
    const option = shipment.target && shipment.target.option;
    if (!option || !shipment.number) return { result: 'failed', submitted: false, reason: 'bad_shipment: no option or number' };
    await shipForm(doc);
    await dismissBlockers(doc);
    const shown = ID_RE.exec(pageText(doc));
    // A number on a stranger's parcel is the worst outcome: the page must show this order.
    if (!shown || shown[1] !== shipment.order_id) {
      return { result: 'failed', submitted: false, reason: `wrong_page: 发货页显示的是 ${shown ? shown[1] : '（无订单号）'}，不是 ${shipment.order_id} / the ship page is not this order's` };
    }
    const notice = notPending(doc);
    if (notice) return { result: 'skipped', submitted: false, reason: `not_pending: ${notice}` };
    const courier = P.findField(doc.body, 'courier');
    const number = courier && P.findField(doc.body, 'tracking', { exclude: [courier] });
    if (!courier || !number) {
      const shows = P.lines(doc.body).filter((l) => l.length <= 40).slice(-10).join(' ');
      return failed(P.pageChanged(`发货页找不到 物流公司 和 运单号 输入框（页面显示：${shows}）`, `no 物流公司 and 运单号 fields on the ship page (it shows: ${shows})`));
    }
    const confirm = P.findButton(doc.body, 'confirmShip');
    if (!confirm) return failed(P.pageChanged('找不到 确认发货 按钮', '确认发货 button not found'));
    const filled = await SF.fillFields(doc, { courier, number, option, value: shipment.number });
    if (!filled.ok) return { result: 'failed', submitted: false, reason: filled.reason };
    const errorText = () => D.text(Array.from(doc.querySelectorAll('[role="alert"], [class*="explain-error" i], [class*="error" i], [class*="message-notice" i]')).find(D.isVisible));
    return SF.confirmShip({
      doc, site: SITE, confirm, courier, number, option, shipment, ui,
      // Done when the page says so, or the form is gone.
      finished: () => !courier.isConnected || SHIPPED.test(P.lines(doc.body).filter((l) => l.length <= 30).join(' ')),
      abandon: async () => {},        // nothing to close: the walk moves on to the next page
      errorText,
      replyFor: shipReplyFor,
      dismiss: () => dismissBlockers(doc),
    });
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (u.pathname.startsWith(SHIP_PATH)) return { kind: 'ship-page', rows: 1 };
    if (!u.pathname.startsWith('/ffa/morder/order/list')) return { kind: null, rows: 0 };
    return { kind: 'order-list', rows: L.orderGroups(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'douyin-seller',
    side: 'seller',
    matches: ['https://fxg.jinritemai.com/ffa/morder/order/list*', 'https://fxg.jinritemai.com/ffa/morder/logistics/delivery*'],
    detect, extract, extractVia, nextPage, goToPage, pageInfo,
    readOptions, fill, shipPageUrl, shipPageOrderId,
  });
})();
