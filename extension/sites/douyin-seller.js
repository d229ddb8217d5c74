// 抖店 order list (fxg.jinritemai.com/ffa/morder/order/list): read the orders.
//
// The list is drawn as on 拼多多: a head per order (订单编号：<19 digits>, 下单时间, 承诺发货时间)
// and table rows under a header (商品信息, 单价/数量, 收货信息, 订单状态, 实付金额), so the shared
// order-list reader does the work. The page's own reply (`/api/order/searchlist`, evidence
// 2021–26) is used where its fields are documented: the order ids on screen and the masked
// receiver; goods fields and amounts in the reply are not documented, so they are read from the
// page. Filling happens on a separate ship page per order (/ffa/morder/logistics/delivery),
// which this adapter does not drive yet: ready shipments go out as the 批量发货 file instead.
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

  function detect(doc, url) {
    const u = new URL(url);
    if (!u.pathname.startsWith('/ffa/morder/order/list')) return { kind: null, rows: 0 };
    return { kind: 'order-list', rows: L.orderGroups(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'douyin-seller',
    side: 'seller',
    matches: ['https://fxg.jinritemai.com/ffa/morder/order/list*'],
    detect, extract, extractVia, nextPage, goToPage, pageInfo,
  });
})();
