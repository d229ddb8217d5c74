// 淘宝/天猫 千牛 已卖出的宝贝 (myseller.taobao.com/home.htm/trade-platform/tp/sold, also on qn.taobao.com)
// and the consign-order 发货 page (qn.taobao.com/home.htm/consign-order/?…&tradeId=<id>), one order a page.
//
// Evidence (public, 2024–26): the list's rows come from the page's own cross-origin POST to
// trade.taobao.com/trade/itemlist/asyncSold.htm, answered in GBK (the browser decodes it); its fields
// (mainOrders[].id, orderInfo.createTime, statusInfo{text, operations[]}, subOrders[]{idStr, quantity,
// itemInfo{title, skuText[]}, priceInfo.realTotal}, payInfo.actualFee) are documented, so the reply is read
// first when it holds every order on screen. The list shows no receiver and no ship-by time (the
// address needs a separate encrypted call): buyer parts and ship_by stay empty. Each order is its own
// table (head row 订单号：…, one row per sub-order under a header 宝贝 / 单价 / 数量 / 交易状态 / 实收款),
// read by header titles and table semantics (rowspans), never by class names.
// Filling: no public markup of the consign page exists. It is read by meaning (the 自己联系物流 tab,
// fields labelled 物流公司 / 运单号, a search-select for the company, 确认发货); the list's own 发货
// link opens it (content/ship-pages.js walks the tab through the ready orders).
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const P = globalThis.DanhaoPage;
  const N = globalThis.DanhaoNormalize;
  const SF = globalThis.DanhaoShipForm;
  const SITE = 'taobao-seller';
  const { ID_RE } = globalThis.DanhaoOrderList;

  // asyncSold mainOrders → MODEL.md (refs: Go structs with a captured form; largesky/shoperp
  // TaobaoQueryOrderListResponse). `id` is a string in the evidence; a reply where it became a JSON
  // number (JSON.parse rounds 19 digits) is read from `idStr`, never from the number.
  const REPLY = {
    rows: (data) => (data && Array.isArray(data.mainOrders) ? data.mainOrders : null),
    total: (data) => data && data.page && data.page.totalNumber,
    required: ['statusInfo', 'subOrders', 'orderInfo', 'payInfo'],
    id: (r) => (typeof r.id === 'string' ? r.id : (typeof r.idStr === 'string' ? r.idStr : null)),
  };
  const TEXT = {
    pending: ['买家已付款', '等待发货', '待发货'],
    // Taobao's trade statuses as the list writes them (largesky/shoperp ConvertState) + the tab words.
    statuses: ['买家已付款', '卖家已发货', '交易成功', '交易关闭', '等待买家付款', '卖家部分发货', '等待发货', '待发货',
      '已发货', '退款中', '交易成功，待评价'],
    empty: /没有符合条件的宝贝|暂无数据|没有找到/,
    selfShipTab: /自己联系(?:物流|快递)/,
    shipped: /恭喜您，操作成功|发货成功|操作成功/,
    notPending: /无需发货|不能发货|已发货|订单不存在|无权操作|交易已关闭/,
    // A prompt about a refund or a risk is the person's call, not Danhao's.
    needsPerson: /退款|售后|风险|确认继续/,
  };
  const HOOKS = {
    // GUESS (replica): the 千牛 frame names the shop in its top bar; no public markup shows where.
    shopName: '[class*="shopName" i][title], [class*="shop-name" i][title], #qn-workbench-head [title]',
    panelHost: '#danhao-panel-host',
  };
  // Evidence: 详情 → qn.taobao.com/home.htm/trade-platform/tp/detail?bizOrderId=<id>.
  const DETAIL_URL = (id) => `https://qn.taobao.com/home.htm/trade-platform/tp/detail?bizOrderId=${id}`;
  const LIST_PATH = '/home.htm/trade-platform/tp/sold';
  const SHIP_PATH = '/home.htm/consign-order';

  const L = globalThis.DanhaoOrderList.reader({ statuses: TEXT.statuses, detailUrl: DETAIL_URL });
  const { dismissBlockers, cellsOf, cellLines } = L;

  const https = (u) => (typeof u === 'string' && u.startsWith('//') ? `https:${u}` : u || '');
  const isMoney = (t) => /^[¥￥]\s*-?[\d,]+(?:\.\d{1,2})?$/.test(t);
  const shopOf = (doc) => {
    const el = Array.from(doc.querySelectorAll(HOOKS.shopName)).find(D.isVisible);
    return el ? D.norm(el.getAttribute('title') || D.text(el)) : '';
  };
  const isEmptyList = (doc) => TEXT.empty.test(P.lines(doc.body).filter((l) => l.length < 60).join('\n'));

  // --- the list, read from the page ----------------------------------------------------------
  // Header titles → keys (宝贝 / 单价 / 数量 / 售后 / 买家 / 交易状态 / 实收款 / 操作).
  const COLUMN_WORDS = {
    item: ['宝贝', '商品', '商品信息', '宝贝信息'],
    price: ['单价', '价格'],
    quantity: ['数量'],
    afterSale: ['售后', '退款'],
    buyer: ['买家', '买家信息'],
    status: ['交易状态', '订单状态', '状态'],
    paid: ['实收款', '实收金额', '实付款', '实付金额'],
    actions: ['操作'],
  };
  function headerKeys(doc) {
    const heads = Array.from(doc.body.querySelectorAll('th, [role=columnheader]')).filter((c) => !c.closest(HOOKS.panelHost));
    const rows = Array.from(new Set(heads.map((c) => c.parentElement)));
    for (const row of rows) {
      const keys = cellsOf(row).map((c) => {
        const t = P.strip(D.text(c));
        return Object.keys(COLUMN_WORDS).find((k) => COLUMN_WORDS[k].some((w) => P.strip(w) === t)) || null;
      });
      if (keys.filter(Boolean).length >= 3) return keys;
    }
    return [];
  }

  // Cells of an order's rows placed in header columns, honouring rowspans (the order-level cells —
  // buyer, status, amount, actions — span every sub-order row): [{key: cell}] per row.
  function placeCells(rows, keys) {
    const taken = [];                              // column → rows still covered by a rowspan
    return rows.map((row) => {
      const out = {};
      let col = 0;
      for (const cell of cellsOf(row)) {
        while (taken[col] > 0) col += 1;
        const span = Number(cell.getAttribute('colspan')) || 1;
        const rs = Number(cell.getAttribute('rowspan')) || 1;
        for (let k = 0; k < span; k += 1) {
          if (keys[col + k] && !out[keys[col + k]]) out[keys[col + k]] = cell;
          if (rs > 1) taken[col + k] = rs;        // decremented below, after this row
        }
        col += span;
      }
      for (let c = 0; c < taken.length; c += 1) if (taken[c] > 0) taken[c] -= 1;
      return out;
    });
  }

  // A money amount as shown, struck prices (the original before a discount) left out.
  function liveMoney(cell) {
    if (!cell) return '';
    const texts = [];
    const walker = cell.ownerDocument.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el.closest('del, s, strike') || getComputedStyle(el).textDecorationLine.includes('line-through')) continue;
      const t = D.norm(n.nodeValue);
      if (t) texts.push(t);
    }
    const hit = texts.find(isMoney) || texts.find((t) => /^-?[\d,]*\d\.\d{1,2}$/.test(t));
    return hit ? N.money(hit) : '';
  }

  const LABELLED = /^(?:商家编码|货号|商品编码|SKU编码|宝贝编码|规格编码|ID)\s*[:：]/;
  function parseItem(cells) {
    const ls = cellLines(cells.item).filter((l) => !LABELLED.test(l));
    // "颜色分类：白色" / "香型：雪松": the values, as the reply's skuText values.
    const sku = ls.slice(1).map((l) => { const m = /^[^:：]{1,12}[:：]\s*(.+)$/.exec(l); return m ? m[1] : l; }).join(' ');
    const q = D.text(cells.quantity).match(/\d+/);
    return { title: ls[0] || '', sku, quantity: q ? Number(q[0]) : 1, price: liveMoney(cells.price) };
  }

  const timeAfter = (text, words) => {
    for (const w of words) {
      const m = new RegExp(`${w}\\s*[：:]?\\s*(\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)`).exec(text);
      if (m) return N.datetime(m[1]);
    }
    return '';
  };

  function labelled(lines, re) {
    for (let i = 0; i < lines.length; i += 1) {
      const m = re.exec(lines[i]);
      if (m) return D.norm(m[1]) || (lines[i + 1] && !/[:：]$/.test(lines[i + 1]) ? lines[i + 1] : '');
    }
    return '';
  }

  function detailLink(block) {
    const links = Array.from(block.querySelectorAll('a[href]'));
    const a = links.find((x) => D.text(x) === '详情' || D.text(x) === '订单详情') || links.find((x) => /tp\/detail|trade_item_detail/.test(x.href));
    return a ? a.href : '';
  }

  function parseGroup(g, keys, shop) {
    const placed = placeCells(g.rows, keys);
    const first = placed[0] || {};
    const block = g.block || g.el.parentElement || g.el;
    const statusLines = cellLines(first.status);
    const status = statusLines.find((l) => TEXT.statuses.includes(l)) || statusLines[0] || '';
    const all = P.lines(block).concat(...(g.notes || []).map((r) => P.lines(r)));
    return {
      order_id: g.id,
      shop,
      status,
      created_at: timeAfter(D.text(g.el.closest('tr') || g.el), ['创建时间', '下单时间', '成交时间']),
      ship_by: '',
      // The sold list shows the buyer's hidden nick, not the receiver (evidence): empty.
      buyer: { name: '', phone: '', address: N.address('') },
      items: placed.map(parseItem),
      amount: N.money((cellLines(first.paid).find(isMoney)) || ''),
      remark: labelled(all, /(?:买家留言|买家备注)\s*[:：]\s*(.*)$/),
      url: detailLink(block) || DETAIL_URL(g.id),
    };
  }

  function readDom(doc) {
    const keys = headerKeys(doc);
    const shop = shopOf(doc);
    return L.orderGroups(doc).map((g) => parseGroup(g, keys, shop));
  }

  // --- the list, read from the page's own reply --------------------------------------------
  function mapReply(r) {
    const ops = (r.statusInfo && r.statusInfo.operations) || [];
    const detail = ops.find((o) => o && o.text === '详情');
    const url = detail && detail.params && detail.params.qianNiuPCDetailUrl;
    return {
      order_id: REPLY.id(r),
      shop: '',
      status: String(r.statusInfo.text || ''),
      created_at: N.datetime(String(r.orderInfo.createTime || '')),
      ship_by: '',
      buyer: { name: '', phone: '', address: N.address('') },
      items: r.subOrders.map((s) => ({
        title: String((s.itemInfo && s.itemInfo.title) || ''),
        sku: ((s.itemInfo && s.itemInfo.skuText) || []).map((x) => String(x.value || '')).filter(Boolean).join(' '),
        quantity: Number(s.quantity) || 1,
        price: N.money(String((s.priceInfo && s.priceInfo.realTotal) || '')),
      })),
      amount: N.money(String(r.payInfo.actualFee || '')),
      // GUESS field (no capture names the buyer's message): the page's text fills it when absent.
      remark: typeof r.orderInfo.buyerMessage === 'string' ? r.orderInfo.buyerMessage : null,
      url: url ? https(url) : DETAIL_URL(REPLY.id(r)),
    };
  }

  /** {orders, problem}: the reply's orders when one reply holds exactly the orders on screen. */
  function readReply(doc, ids) {
    const PD = globalThis.DanhaoPageData;
    if (!PD || !ids.length) return { orders: null, problem: null };
    for (const entry of PD.replies(SITE, 'orderList').reverse()) {
      const rows = REPLY.rows(entry.data);
      if (!rows || !rows.length) continue;
      const missing = REPLY.required.filter((k) => !rows.every((r) => r && typeof r[k] === 'object'));
      if (missing.length) return { orders: null, problem: `asyncSold 缺少字段 / reply lacks ${missing.join(', ')}` };
      if (rows.some((r) => REPLY.id(r) === null)) {
        return { orders: null, problem: 'asyncSold 订单号不是字符串（可能被截断） / reply order ids are not strings' };
      }
      const got = rows.map(REPLY.id);
      if (got.length !== ids.length || !ids.every((id) => got.includes(id))) continue;
      const byId = new Map(rows.map((r) => [REPLY.id(r), r]));
      // What the reply does not carry is taken from the page: the shop, and the memo where absent.
      const dom = new Map(readDom(doc).map((o) => [o.order_id, o]));
      const shop = shopOf(doc);
      return {
        orders: ids.map((id) => {
          const o = mapReply(byId.get(id));
          o.shop = shop;
          if (o.remark === null) o.remark = (dom.get(id) && dom.get(id).remark) || '';
          return o;
        }),
        problem: null,
      };
    }
    return { orders: null, problem: null };
  }

  async function replyFor(doc, ids) {
    const PD = globalThis.DanhaoPageData;
    return PD && ids.length ? PD.settled(SITE, 'orderList', () => readReply(doc, ids)) : readReply(doc, ids);
  }

  const screenIds = (doc) => L.orderGroups(doc).map((g) => g.id);

  // --- the pager (Fusion Pagination: 上一页 · 1 2 3 · 下一页). The 下一页 button is found by its text
  // even when disabled (on the last page), so the page numbers around it are still read.
  const NEXT_WORDS = ['下一页', '后一页', '›', '>'];
  const PREV_WORDS = ['上一页', '前一页', '‹', '<'];
  function pagerButton(doc, words) {
    const want = words.map(P.strip);
    const hits = P.allElements(doc.body).filter((el) => el.matches('button, a, li, [role=button]') && D.isVisible(el)
      && !el.closest(HOOKS.panelHost) && (want.includes(P.strip(P.deepText(el))) || want.includes(P.strip(el.getAttribute('aria-label') || ''))));
    return hits.filter((el) => !hits.some((o) => o !== el && o.contains(el)))[0] || null;
  }
  const isDisabled = (el) => el.disabled || el.getAttribute('aria-disabled') === 'true' || /disabled/i.test(el.className);
  function pagerItems(doc) {
    const next = pagerButton(doc, NEXT_WORDS);
    if (!next) return [];
    let box = next.parentElement;
    const nums = (b) => P.allElements(b).filter((el) => el.matches('li, a, button') && /^\d+$/.test(D.text(el)));
    for (let i = 0; i < 3 && box && !nums(box).length; i += 1) box = box.parentElement;
    return box ? nums(box) : [];
  }
  function pageInfo(doc) {
    const items = pagerItems(doc);
    const active = items.find((el) => el.getAttribute('aria-current') === 'true' || el.getAttribute('aria-current') === 'page'
      || /active|current|selected/i.test(el.className));
    const nums = items.map((el) => Number(D.text(el)));
    return { current: active ? Number(D.text(active)) : 1, total: nums.length ? Math.max(...nums) : 1 };
  }
  async function turnTo(doc, target) {
    const was = screenIds(doc).join(',');
    await dismissBlockers(doc);
    P.pointerClick(target);
    return Boolean(await D.waitFor(() => { const ids = screenIds(doc).join(','); return ids && ids !== was; }, 15000, doc));
  }
  async function nextPage(doc) {
    const next = pagerButton(doc, NEXT_WORDS);
    if (!next || isDisabled(next)) return false;
    return turnTo(doc, next);
  }
  /** Back to page `n` (after an all-pages walk): its number in the pager, else 上一页 / 下一页 until there. */
  async function goToPage(doc, n) {
    for (let guard = 0; guard < 200 && pageInfo(doc).current !== n; guard += 1) {
      const item = pagerItems(doc).find((el) => D.text(el) === String(n));
      const target = item || pagerButton(doc, pageInfo(doc).current > n ? PREV_WORDS : NEXT_WORDS);
      if (!target || isDisabled(target)) return false;
      if (!(await turnTo(doc, target))) return false;
    }
    return pageInfo(doc).current === n;
  }

  async function waitForRows(doc, timeout = 15000) {
    return D.waitFor(() => L.orderHeads(doc).length > 0 || isEmptyList(doc), timeout, doc);
  }

  async function extract(doc) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    const ids = screenIds(doc);
    const reply = await replyFor(doc, ids);
    const notes = reply.problem ? [reply.problem] : [];
    if (reply.orders) return { orders: reply.orders, pages: pageInfo(doc), source: 'reply', notes };
    const orders = readDom(doc);
    if (!orders.length && !isEmptyList(doc)) {
      const seen = globalThis.DanhaoPageData && globalThis.DanhaoPageData.latest(SITE, 'orderList');
      const total = seen && REPLY.total(seen.data);
      if (total) throw P.pageChanged(`页面有 ${total} 单，但找不到订单行`, `the page has ${total} orders but no order rows were found`);
    }
    return { orders, pages: pageInfo(doc), source: 'dom', notes };
  }

  async function extractVia(doc, source) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    if (source === 'dom') return { orders: readDom(doc), source };
    const reply = await replyFor(doc, screenIds(doc));
    return { orders: reply.orders, source, problem: reply.problem };
  }

  /** The address of the order's own 发货 link on the list (never one built from the id). */
  function shipPageUrl(doc, orderId) {
    const g = L.orderGroups(doc).find((x) => x.id === orderId);
    if (!g) return null;
    const block = g.block || g.el.parentElement;
    const links = Array.from(block.querySelectorAll('a[href]'));
    const link = links.find((a) => P.strip(D.text(a)) === '发货' && a.getAttribute('href') !== '#');
    return link ? new URL(link.getAttribute('href'), doc.location.href).href : null;
  }

  // --- the 发货 page (one order) --------------------------------------------------------
  const pageText = (doc) => P.lines(doc.body).join('\n');
  const shownId = (doc) => { const m = ID_RE.exec(pageText(doc)); return m ? m[1] : null; };
  const noticeLine = (doc) => P.lines(doc.body).find((l) => l.length <= 60 && TEXT.notPending.test(l)) || '';

  function selfShipTab(doc) {
    return P.allElements(doc.body).find((el) => el.matches('[role=tab], li, a, button') && D.isVisible(el)
      && TEXT.selfShipTab.test(D.text(el)) && D.text(el).length <= 10) || null;
  }

  // The page has loaded its order (id shown) and either a form, the tabs, or a notice.
  async function shipPageReady(doc, timeout = 15000) {
    return D.waitFor(() => (shownId(doc) || noticeLine(doc))
      && (P.findField(doc.body, 'courier') || selfShipTab(doc) || noticeLine(doc)), timeout, doc);
  }

  // The 自己联系物流 form (the page opens on 在线下单, the e-waybill tab, which has no fields).
  async function openSelfShipForm(doc) {
    if (P.findField(doc.body, 'courier')) return true;
    const tab = selfShipTab(doc);
    if (!tab) return false;
    P.pointerClick(tab);
    return Boolean(await D.waitFor(() => P.findField(doc.body, 'courier'), 5000, doc));
  }

  /** The order id the ship page shows (订单号：…), or null. */
  async function shipPageOrderId(doc) {
    await shipPageReady(doc);
    return shownId(doc);
  }

  // The company list the page itself loaded (GUESS endpoint and shape, from the replica: no capture
  // exists). The search-select draws only its 常用 group until something is typed, so without this
  // reply only those are offered and the helper holds the others as not offered.
  function repliedCompanies() {
    const PD = globalThis.DanhaoPageData;
    const last = PD && PD.latest(SITE, 'companies');
    const list = last && last.data && last.data.data && last.data.data.list;
    return Array.isArray(list) ? list.map((x) => D.norm(x && x.name)).filter(Boolean) : [];
  }

  async function readOptions(doc) {
    if (!new URL(doc.location.href).pathname.startsWith(SHIP_PATH)) return [];
    await shipPageReady(doc);
    await dismissBlockers(doc);
    if (!(await openSelfShipForm(doc))) {
      throw P.pageChanged(`发货页找不到 物流公司 选择框（页面显示：${P.lines(doc.body).slice(-8).join(' ')}）`, '物流公司 field not found on the ship page');
    }
    const field = P.findField(doc.body, 'courier');
    const drawn = await SF.courierOptions(field, doc);
    const labels = Array.from(new Set([...drawn, ...repliedCompanies()]));
    if (!labels.length) throw P.pageChanged('找不到 物流公司 选项', '物流公司 options not found');
    return labels;
  }

  // The form around the two fields: its <form>, else their closest common ancestor.
  function formOf(a, b) {
    const f = a.closest('form');
    if (f && f.contains(b)) return f;
    let el = a.parentElement;
    while (el && !el.contains(b)) el = el.parentElement;
    return el || a.ownerDocument.body;
  }

  /** Controls in the form besides the two Danhao fills (a new required box, a code): their labels. */
  function unknownControls(form, known) {
    const ctl = 'input:not([type=hidden]):not([type=button]):not([type=submit]), select, textarea, [role=combobox], [contenteditable=true]';
    return P.allElements(form).filter((el) => el.matches(ctl) && !known.some((k) => k === el || k.contains(el) || el.contains(k))
      && !el.disabled && (D.isVisible(el) || (el.type === 'checkbox' && el.parentElement && D.isVisible(el.parentElement))))
      .map((el) => D.text(el.closest('label')) || P.labelsOf(el)[0] || el.getAttribute('name') || el.type || el.tagName);
  }

  async function fill(doc, shipment, ui = {}) {
    const failed = (e) => ({ result: 'failed', submitted: false, reason: e.message || String(e) });
    const option = shipment.target && shipment.target.option;
    if (!option || !shipment.number) return { result: 'failed', submitted: false, reason: 'bad_shipment: no option or number' };
    await shipPageReady(doc);
    await dismissBlockers(doc);
    const shown = shownId(doc);
    // A number on a stranger's parcel is the worst outcome: the page must show this order.
    if (shown !== shipment.order_id) {
      return { result: 'failed', submitted: false, reason: `wrong_page: 发货页显示的是 ${shown || '（无订单号）'}，不是 ${shipment.order_id} / the ship page is not this order's` };
    }
    if (!P.findField(doc.body, 'courier') && !selfShipTab(doc) && noticeLine(doc)) {
      return { result: 'skipped', submitted: false, reason: `not_pending: ${noticeLine(doc)}` };
    }
    await openSelfShipForm(doc);
    const courier = P.findField(doc.body, 'courier');
    const number = courier && P.findField(doc.body, 'tracking', { exclude: [courier] });
    if (!courier || !number) {
      const shows = P.lines(doc.body).filter((l) => l.length <= 40).slice(-10).join(' ');
      return failed(P.pageChanged(`发货页找不到 物流公司 和 运单号 输入框（页面显示：${shows}）`, `no 物流公司 and 运单号 fields on the ship page (it shows: ${shows})`));
    }
    const form = formOf(courier, number);
    const extra = unknownControls(form, [courier, number]);
    if (extra.length) {
      // A form Danhao does not know (a new required box — e.g. confirming a refund in progress —
      // or a code): nothing is filled, the page is reported, the person decides.
      const what = extra.join('、');
      const person = TEXT.needsPerson.test(what) ? '（需人工确认 / needs a person）' : '';
      return failed(P.pageChanged(`发货表单多了不认识的项：${what}${person}`, `the ship form has controls Danhao does not know: ${what}`));
    }
    const confirm = P.findButton(form, ['确认发货', '确定发货', '提交发货', '发货', '确定', '确认'])
      || P.findButton(doc.body, ['确认发货', '确定发货', '提交发货'])
      || P.findButton(form, 'confirmShip');   // the shared key also tries a place the person pointed at
    if (!confirm) return failed(P.pageChanged('找不到 确认发货 按钮', '确认发货 button not found'));
    const filled = await SF.fillFields(doc, { courier, number, option, value: shipment.number });
    if (!filled.ok) return { result: 'failed', submitted: false, reason: filled.reason };
    const errorText = () => D.text(Array.from(doc.querySelectorAll('[role="alert"]')).filter(D.isVisible).pop());
    return SF.confirmShip({
      doc, site: SITE, confirm, courier, number, option, shipment, ui,
      // Done only when the page says it shipped: a form that merely went away (another tab) is not a ship.
      finished: () => TEXT.shipped.test(P.lines(doc.body).filter((l) => l.length <= 30).join('\n')),
      abandon: async () => {},        // nothing to close: the walk moves on to the next page
      errorText,
      replyFor: () => null,           // the ship request is form-encoded: the page's success text decides
      dismiss: () => dismissBlockers(doc),
    });
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (u.hostname === 'qn.taobao.com' && u.pathname.startsWith(SHIP_PATH)) return { kind: 'ship-page', rows: 1 };
    if (!u.pathname.startsWith(LIST_PATH)) return { kind: null, rows: 0 };
    return { kind: 'order-list', rows: L.orderGroups(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'taobao-seller',
    side: 'seller',
    matches: ['https://myseller.taobao.com/home.htm/trade-platform/tp/sold*', 'https://qn.taobao.com/home.htm/trade-platform/tp/sold*',
      'https://qn.taobao.com/home.htm/consign-order*'],
    detect, extract, extractVia, nextPage, goToPage, pageInfo,
    readOptions, fill, shipPageUrl, shipPageOrderId,
    pendingStatus: (status) => !status || TEXT.pending.includes(status),
  });
})();
