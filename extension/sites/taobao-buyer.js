// 淘宝 已买到的宝贝 (buyertrade.taobao.com): the dropshipper's own Taobao purchases (采购单). The
// list shows no receiver, no buyer message, no courier and no number; those show only on each
// order's 交易详情 (trade.taobao.com/trade/detail/trade_order_detail.htm?biz_order_id=), whose
// inlined JSON carries deliveryInfo{logisticsName, logisticsNum, address} and buyMessage
// (public samples 2025-11: DF-wu/taobaoOrderExporter orders.json / orderdetails.json). So the
// list is sent with the keys it shows, and content/detail-pages.js walks the shipped orders'
// 订单详情 links (the list's own; they pass through trade_item_detail.htm) to read the rest.
//
// List: page 1 is inlined in the page as `var data = JSON.parse('…')`, later pages come from the
// page's own asyncBought.htm request (copied by the page observer); a reply is used when it
// covers the orders on screen, else the tables are read by meaning: the 订单号 head, the header
// row's column titles (宝贝, 单价, 数量, 实付款, 交易状态), ¥ amounts, the 订单详情 link.
// Class names (CSS-module hashes, antd or Fusion) are never read.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const N = globalThis.DanhaoNormalize;
  const P = globalThis.DanhaoPage;
  const SITE = 'taobao-buyer';

  // The list JSON's `mainOrders[]` → MODEL.md purchase order (list keys only).
  const REPLY = {
    required: ['id', 'seller', 'statusInfo', 'subOrders', 'payInfo'],
    order: (r) => ({
      order_id: String(r.id),
      supplier: String((r.seller && (r.seller.shopName || r.seller.nick)) || ''),
      status: String((r.statusInfo && r.statusInfo.text) || ''),
      items: (r.subOrders || []).map((s) => ({
        title: String((s.itemInfo && s.itemInfo.title) || ''),
        sku: ((s.itemInfo && s.itemInfo.skuText) || []).map((k) => `${k.name}：${k.value}`).join(' '),
        quantity: parseInt(s.quantity && s.quantity.count, 10) || 1,
        price: N.money((s.priceInfo && s.priceInfo.realTotal) || ''),
      })),
      amount: N.money((r.payInfo && r.payInfo.actualFee) || ''),
    }),
  };

  // Statuses under which the order has (or had) a number on its detail page.
  const SHIPPED = /卖家已发货|交易成功|已发货|待收货/;
  const ID_RE = /^(?:订单编号|订单号)\s*[:：]?\s*(\d{12,22})?$/;
  const DETAIL_LINK = ['订单详情', '查看详情', '详情'];

  // --- inlined JSON: `var data = JSON.parse('…')` -------------------------------------------
  /** The object a page script builds with `JSON.parse('<literal>')` after `var <name> =`; null when absent. */
  function inlineJson(doc, name) {
    const head = new RegExp(`\\b${name}\\s*=\\s*JSON\\.parse\\(\\s*'`);
    for (const s of doc.querySelectorAll('script:not([src])')) {
      const text = s.textContent;
      const m = head.exec(text);
      if (!m) continue;
      let i = m.index + m[0].length;
      let lit = '';
      for (; i < text.length && text[i] !== "'"; i += 1) {
        if (text[i] === '\\') { lit += text[i] + text[i + 1]; i += 1; } else lit += text[i];
      }
      // A JS single-quoted literal → a JSON string literal: \' is ', \xHH is \u00HH.
      const json = lit.replace(/\\'/g, "'").replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1');
      try { return JSON.parse(JSON.parse(`"${json}"`)); } catch (e) { return null; }
    }
    return null;
  }

  // --- the list's tables ---------------------------------------------------------------------
  const inDialog = (el) => P.dialogs(el.ownerDocument).some((d) => d.contains(el));

  /** One group per order: {id, el (its table), head (the head's lines)}. */
  function orderGroups(doc) {
    const out = [];
    const w = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (/^\s*(?:订单编号|订单号)/.test(n.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
    });
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const label = n.parentElement;
      if (!label || inDialog(label)) continue;
      // "订单号: 4881…" in one text, or the id in the next text of the same head.
      const holder = label.closest('td, th, div, li') || label;
      const ls = P.lines(holder);
      const at = ls.findIndex((l) => /^(?:订单编号|订单号)/.test(l));
      const inline = /^(?:订单编号|订单号)\s*[:：]?\s*(\d{12,22})/.exec(ls[at] || '');
      const id = inline ? inline[1] : (ID_RE.test(ls[at] || '') && /^\d{12,22}$/.test(ls[at + 1] || '') ? ls[at + 1] : null);
      if (!id || out.some((g) => g.id === id)) continue;
      const el = label.closest('table') || holder;
      out.push({ id, el, head: ls.slice(at) });
    }
    return out;
  }

  /** Column index per meaning from the page's header row (宝贝, 单价, 数量, 实付款, 交易状态). */
  function columns(doc) {
    const ths = Array.from(doc.querySelectorAll('th')).filter((th) => !inDialog(th));
    const row = ths.length ? ths[0].closest('tr') : null;
    if (!row) return null;
    const titles = Array.from(row.children).map((c) => D.text(c));
    const find = (words) => titles.findIndex((t) => words.includes(t));
    const cols = { item: find(['宝贝', '商品', '宝贝信息', '商品信息']), price: find(['单价']), qty: find(['数量']),
      paid: find(P.SYNONYMS.paid), status: find(['交易状态', '订单状态', '状态']) };
    return Object.values(cols).some((i) => i < 0) ? null : { ...cols, count: titles.length };
  }

  // Order-level cells sit in the first row only (rowSpan): later rows carry the line columns.
  function rowsOf(group, cols) {
    const trs = Array.from(group.el.querySelectorAll('tr')).filter((tr) => tr.children.length > 1);
    if (!trs.length) return [];
    const first = Array.from(trs[0].children);
    const lineCols = first.map((c, i) => (Number(c.getAttribute('rowspan') || 1) > 1 ? -1 : i)).filter((i) => i >= 0);
    return trs.map((tr, k) => {
      const cells = Array.from(tr.children);
      if (k === 0 || cells.length === cols.count) return { cells, at: (i) => cells[i] };
      return { cells, at: (i) => cells[lineCols.indexOf(i)] };
    });
  }

  const PRICE = /^[¥￥]\s*([\d,]+(?:\.\d{1,2})?)$/;

  function readGroup(group, cols) {
    const rows = rowsOf(group, cols);
    const items = rows.map((r) => {
      const ls = P.lines(r.at(cols.item) || r.cells[0]);
      const prices = P.lines(r.at(cols.price) || r.cells[0]).filter((l) => PRICE.test(l));
      const qty = P.lines(r.at(cols.qty) || r.cells[0]).find((l) => /^\d{1,5}$/.test(l));
      return { title: ls[0] || '', sku: ls.slice(1).filter((l) => /^[^：:]{1,16}：/.test(l)).join(' '),
        quantity: Number(qty) || 1, price: prices.length ? N.money(PRICE.exec(prices[prices.length - 1])[1]) : '' };
    });
    const first = rows[0];
    const paid = first ? P.lines(first.at(cols.paid)).find((l) => PRICE.test(l)) : '';
    const status = first ? P.lines(first.at(cols.status))[0] || '' : '';
    // The head: date, 订单号 + id, the shop's name, 旺旺.
    const after = group.head.slice(group.head.findIndex((l) => l.includes(group.id)) + 1);
    const supplier = after.find((l) => !/^(?:旺旺|和我联系|\d{4}-\d{2}-\d{2})$/.test(l)) || '';
    return { order_id: group.id, supplier, status, items, amount: paid ? N.money(PRICE.exec(paid)[1]) : '' };
  }

  // --- the page's data ---------------------------------------------------------------------
  function listReplies(doc) {
    const out = [];
    const inline = inlineJson(doc, 'data');
    if (inline && Array.isArray(inline.mainOrders)) out.push(inline);
    const PD = globalThis.DanhaoPageData;
    if (PD) for (const e of PD.replies(SITE, 'orderList')) if (e.data && Array.isArray(e.data.mainOrders)) out.push(e.data);
    return out;
  }

  function readReply(doc, ids) {
    if (!ids.length) return { orders: null, problem: null };
    for (const data of listReplies(doc).reverse()) {
      const list = data.mainOrders;
      const missing = REPLY.required.filter((k) => list.length && !(k in list[0]));
      if (missing.length) return { orders: null, problem: `已买到的宝贝 列表数据缺少字段 / list data lacks ${missing.join(', ')}` };
      const byId = new Map(list.map((r) => [String(r.id), r]));
      if (ids.every((id) => byId.has(id))) return { orders: ids.map((id) => REPLY.order(byId.get(id))), problem: null };
    }
    return { orders: null, problem: null };
  }

  // --- paging (an SPA: the page asks asyncBought.htm; the old rows stay until the answer) ---
  function nextControl(doc) {
    const hinted = Array.from(doc.querySelectorAll('[title="下一页"], [aria-label="下一页"]')).find(D.isVisible);
    return hinted || P.findButton(doc.body, 'next');
  }
  const off = (el) => [el, el && el.closest('li'), el && el.querySelector('button')].filter(Boolean)
    .some((e) => e.disabled || e.getAttribute('aria-disabled') === 'true' || /disabled/i.test(e.getAttribute('class') || ''));

  function pageInfo(doc) {
    const next = nextControl(doc);
    const box = next && (next.closest('ul') || next.parentElement.closest('div'));
    const items = box ? Array.from(box.querySelectorAll('li, button, a')).filter((el) => /^\d+$/.test(D.text(el))) : [];
    const active = items.find((el) => el.getAttribute('aria-current') || /active|current/i.test(el.getAttribute('class') || '')
      || /active|current/i.test((el.parentElement && el.parentElement.getAttribute('class')) || ''));
    const nums = items.map((el) => Number(D.text(el)));
    return { current: active ? Number(D.text(active)) : 1, total: nums.length ? Math.max(...nums) : 1 };
  }

  async function dismissBlockers(doc) {
    for (const d of P.dialogs(doc, { exclude: '#danhao-panel-host' })) {
      const btn = P.findButton(d, 'dismiss') || P.closeControl(d);
      if (!btn) continue;
      P.pointerClick(btn);
      await D.waitFor(() => !d.isConnected || !D.isVisible(d), 3000, doc);
    }
  }

  async function turn(doc, target) {
    const was = orderGroups(doc).map((g) => g.id).join(',');
    await dismissBlockers(doc);
    P.pointerClick(target);
    return Boolean(await D.waitFor(() => { const ids = orderGroups(doc).map((g) => g.id).join(','); return ids && ids !== was; }, 15000, doc));
  }

  async function nextPage(doc) {
    const next = nextControl(doc);
    if (!next || off(next)) return false;
    return turn(doc, next);
  }

  async function goToPage(doc, n) {
    for (let guard = 0; guard < 100 && pageInfo(doc).current !== n; guard += 1) {
      const next = nextControl(doc);
      const box = next && (next.closest('ul') || next.parentElement.closest('div'));
      const item = box && Array.from(box.querySelectorAll('li, button, a')).find((el) => D.text(el) === String(n));
      if (!item || !(await turn(doc, item))) return false;
    }
    return pageInfo(doc).current === n;
  }

  // --- the detail page ------------------------------------------------------------------------
  /** The value shown next to a label the page names with one of `words` (dt/dd, label cells). */
  function labelled(doc, words) {
    for (const el of doc.body.querySelectorAll('dt, th, td, span, label, div')) {
      const own = P.strip(D.ownText(el) || (el.children.length ? '' : D.text(el)));
      if (!own || !words.some((w) => P.strip(w) === own)) continue;
      const next = el.nextElementSibling;
      const v = next ? D.text(next) : '';
      if (v) return v;
    }
    return '';
  }

  function splitAddress(s) {
    const parts = String(s || '').split('，').map((x) => D.norm(x));
    if (parts.length < 3) return null;
    const addr = parts[2].split(' ').filter(Boolean);
    return { name: parts[0], phone: parts[1],
      address: { province: addr[0] || '', city: addr[1] || '', district: addr[2] || '', detail: addr.slice(3).join(' ') } };
  }

  function detailOrderId(doc) {
    const shown = labelled(doc, ['订单编号:', '订单编号', '订单号']);
    if (/^\d{12,22}$/.test(shown)) return shown;
    return null;
  }

  /**
   * 交易详情 → {order, notes, problem}: order_id, supplier (the seller's nick: the page shows no shop
   * name), status (the sentence's word), ship_to, items, amount, remark (buyMessage, "" when none),
   * packages ([{courier_text, tracking}], [] when not shipped or 无需物流). The number comes from the
   * page's JSON, else from the 物流信息 rows; shipped but no number readable → `problem`, no packages key.
   */
  async function extractDetail(doc) {
    await D.waitFor(() => detailOrderId(doc) || P.lines(doc.body).includes('订单不存在'), 15000, doc);
    const data = inlineJson(doc, 'data');
    const main = data && data.mainOrder;
    if (!main) return { order: null, notes: [], problem: P.pageChanged('交易详情页读不到订单数据', 'the order detail page shows no order data').message };
    const di = data.deliveryInfo || {};
    const shown = detailOrderId(doc);
    const lineId = ((main.orderInfo && main.orderInfo.lines) || []).flatMap((l) => l.content || [])
      .map((c) => c.value || {}).find((v) => /订单编号/.test(v.name || ''));
    const status = /当前订单状态[：:]\s*([^，,。]+)/.exec((main.statusInfo && main.statusInfo.text) || '');
    const order = {
      order_id: String(shown || (lineId && lineId.value) || ''),
      supplier: String((main.seller && main.seller.nick) || ''),
      status: status ? D.norm(status[1]) : '',
      ship_to: splitAddress(di.address),
      items: (main.subOrders || []).map((s) => ({
        title: String((s.itemInfo && s.itemInfo.title) || ''),
        sku: ((s.itemInfo && s.itemInfo.skuText) || []).flatMap((l) => l.content || []).map((c) => `${(c.value || {}).name || ''}${(c.value || {}).value || ''}`).join(' '),
        quantity: parseInt(s.quantity, 10) || 1,
        price: N.money(s.priceInfo || ''),
      })),
      amount: N.money((main.payInfo && main.payInfo.actualFee && main.payInfo.actualFee.value) || ''),
      remark: typeof data.buyMessage === 'string' ? data.buyMessage : '',
    };
    if (!order.ship_to) delete order.ship_to;
    const notes = [];
    let problem = null;
    const domNumber = labelled(doc, P.SYNONYMS.tracking);
    const domCourier = labelled(doc, P.SYNONYMS.courier);
    let number = typeof di.logisticsNum === 'string' ? di.logisticsNum : '';
    if (!('logisticsNum' in di) && (di.logisticsName || domNumber)) {
      notes.push('交易详情的 deliveryInfo 缺少 logisticsNum / detail data lacks deliveryInfo.logisticsNum');
    }
    if (!number) number = domNumber || (globalThis.DanhaoPointing ? globalThis.DanhaoPointing.detailValue(doc, SITE, 'tracking', order.order_id) : '');
    const courier = String(di.logisticsName || domCourier || '');
    const noLogistics = /无需物流/.test(String(di.shipType || '') + labelled(doc, ['运送方式', '运送方式：']));
    if (number) order.packages = [{ courier_text: courier, tracking: number }];
    else if (!noLogistics && (di.logisticsName || domCourier)) {
      problem = P.pageChanged('订单已发货，但交易详情读不到运单号', 'the order shipped but its detail page shows no readable tracking number').message;
    } else order.packages = [];
    if (!order.order_id) problem = P.pageChanged('交易详情找不到订单编号', 'no 订单编号 on the detail page').message;
    return { order, notes, problem };
  }

  // --- adapter ------------------------------------------------------------------------------
  const isDetail = (url) => /\/trade\/detail\/trade_order_detail\.htm/.test(new URL(url).pathname);

  async function waitForOrders(doc) {
    return D.waitFor(() => orderGroups(doc).length || P.SYNONYMS.empty.some((t) => P.deepText(doc.body).includes(t))
      || P.deepText(doc.body).includes('没有符合条件'), 15000, doc);
  }

  async function extractVia(doc, source) {
    await waitForOrders(doc);
    const groups = orderGroups(doc);
    if (source === 'dom') {
      const cols = columns(doc);
      return { orders: cols ? groups.map((g) => readGroup(g, cols)) : [], source, problem: cols ? null : 'no header row' };
    }
    let reply = readReply(doc, groups.map((g) => g.id));
    if (!reply.orders && !reply.problem && globalThis.DanhaoPageData) {
      await globalThis.DanhaoPageData.next(SITE, 'orderList', () => true, 1000);
      reply = readReply(doc, groups.map((g) => g.id));
    }
    return { orders: reply.orders, source, problem: reply.problem };
  }

  async function extract(doc) {
    if (isDetail(doc.location.href)) {
      const r = await extractDetail(doc);
      if (!r.order || !r.order.order_id) throw P.pageChanged('交易详情页读不到订单', 'no order on this detail page');
      return { orders: [r.order], pages: { current: 1, total: 1 }, source: 'reply', notes: r.notes };
    }
    const reply = await extractVia(doc, 'reply');
    let orders = reply.orders;
    if (!orders) {
      const dom = await extractVia(doc, 'dom');
      if (dom.problem && orderGroups(doc).length) throw P.pageChanged('已买到的宝贝 找不到表头（宝贝/单价/数量/实付款/交易状态）', 'the list header columns were not found');
      orders = dom.orders;
    }
    return { orders, pages: pageInfo(doc), source: reply.orders ? 'reply' : 'dom', notes: reply.problem ? [reply.problem] : [] };
  }

  /** The order's own 订单详情 link (absolute); null when the row has none. */
  function detailPageUrl(doc, orderId) {
    const g = orderGroups(doc).find((x) => x.id === orderId);
    const a = g && Array.from(g.el.querySelectorAll('a[href]')).find((x) => DETAIL_LINK.includes(D.text(x)));
    return a ? a.href : null;
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (u.pathname.startsWith('/trade/itemlist/list_bought_items')) return { kind: 'purchase-list', rows: orderGroups(doc).length };
    if (isDetail(url)) return { kind: 'purchase-detail', rows: 1 };
    return { kind: null, rows: 0 };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'taobao-buyer',
    side: 'supplier',
    matches: ['https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm*',
      'https://buyertrade.taobao.com/trade/detail/*', 'https://trade.taobao.com/trade/detail/trade_order_detail.htm*'],
    detect, extract, extractVia, nextPage, goToPage, pageInfo,
    detailPageUrl, extractDetail, detailOrderId,
    needsDetail: (o) => SHIPPED.test(o.status || ''),
  });
})();
