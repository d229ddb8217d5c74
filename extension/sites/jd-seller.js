// 京东商家 订单查询 (shop.jd.com/jdm/trade/orders/order-list?tabType=waitOut|allOrders, the older
// /jdm/trade/order/orderList, and trade-order-jdm.jd.com/orderList/<tab>): read the orders, read the
// carriers of the 出库 dialog, fill that dialog one order at a time.
//
// Evidence (public, 2026): the rows come from the page's own POST to sff.jd.com
// (api=dsm.order.bff.orderListBffService.queryOrderPage, 50 a page) → {code, data: {totalItem, results[]}}
// with orderId, orderCreateTime / paymentConfirmTime (epoch ms), orderItems[{skuId, jdPrice, num}],
// orderStatusInfo.orderStatusName and orderPaymentInfo.receivables. Public captures show the answer
// wrapped as {body: "<json>"} (a CDP capture's wrapper): both forms are accepted. Orders are cards, not
// table rows: a card is found from its head (订单号：<id>) and read by what its lines say (… 下单,
// a status word, ¥ amounts, x<n>, "name，address"); the 2026 class names and `prop` attributes the
// evidence names are only hints. The list may sit in a micro-app's open shadow root: every search here
// goes through open shadow roots.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const P = globalThis.DanhaoPage;
  const N = globalThis.DanhaoNormalize;
  const SF = globalThis.DanhaoShipForm;
  const SITE = 'jd-seller';
  const { ID_RE, PHONE_RE } = globalThis.DanhaoOrderList;

  // queryOrderPage → MODEL.md. `required`: evidenced fields a trusted reply must have. The other
  // fields used below (consigneeInfo, promiseOutShipTime, orderRemark, skuName/skuSpec) are not in
  // any public capture: when absent, the card's own text gives them.
  const REPLY = {
    unwrap: (data) => {
      if (data && typeof data.body === 'string') { try { return JSON.parse(data.body); } catch (e) { return null; } }
      return data;
    },
    rows: (data) => (data && data.data && Array.isArray(data.data.results) ? data.data.results : null),
    isList: (data) => Boolean(data && data.data && typeof data.data === 'object' && 'totalItem' in data.data),
    total: (data) => data && data.data && data.data.totalItem,
    required: ['orderId', 'orderCreateTime', 'orderItems', 'orderStatusInfo', 'orderPaymentInfo'],
    // 12-digit ids are safe as JSON numbers; a longer one would be rounded: never used then.
    id: (r) => (typeof r.orderId === 'string' ? r.orderId
      : (Number.isSafeInteger(r.orderId) ? String(r.orderId) : null)),
  };
  const TEXT = {
    pending: ['等待出库', '待出库'],
    statuses: ['等待出库', '待出库', '已出库', '等待确认收货', '已完成', '完成', '已取消', '取消', '锁定', '暂停',
      '等待付款', '待付款', '配送退货', '等待发货', '已发货'],
    shipButton: ['出库', '发货', '立即出库', '立即发货', '订单出库'],
    confirm: ['确认出库', '确定出库', '确认发货', '确定发货', '确定', '确认', '提交'],
    shipBy: /(?:承诺出库时间|承诺发货时间|最晚出库时间|最晚发货时间|出库截止时间)\s*[:：]?\s*(\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?)?/,
    created: /(\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?)\s*下单/,
    remark: /(?:买家备注|买家留言|订单备注)\s*[:：]\s*(.*)$/,
    empty: /^(?:暂无数据|暂无订单|没有找到|暂无相关订单)/,
    needsPerson: /退款|售后|风险|异常|拦截|投诉|确认继续|仍要|确定要/,
  };
  const HOOKS = {
    // Evidence (2026-08): the frame's account name carries the shop in its title.
    shopName: '.shop-menu-accountV1__right-account-top-name[title]',
    // Evidence (2026-08): the 应收 column's cell; used only to prefer that amount where it exists.
    receivables: '[prop="receivables"]',
    panelHost: '#danhao-panel-host',
  };
  const DETAIL_URL = (id) => `https://shop.jd.com/jdm/trade/orders/order-detail?orderId=${id}`;   // GUESS (no capture)
  const LIST_PATHS = ['/jdm/trade/orders/order-list', '/jdm/trade/order/orderList', '/orderList'];

  // The shared reader only for what is not about rows: closing notices over the list.
  const L = globalThis.DanhaoOrderList.reader({ keepDialog: (d) => isShipDialog(d) });

  const isMoney = (t) => /^[¥￥]\s*-?[\d,]+(?:\.\d{1,2})?$/.test(t);
  const isQty = (t) => /^[x×X]\s*\d{1,5}$/.test(t);
  const inPanel = (el) => Boolean(el.closest && el.closest(HOOKS.panelHost));

  // --- cards ----------------------------------------------------------------------------
  /** Every root to search: the document and each open shadow root (a micro-app's list). */
  function roots(doc) {
    return [doc.body, ...P.allElements(doc.body).filter((el) => el.shadowRoot && !inPanel(el)).map((el) => el.shadowRoot)];
  }

  function textNodes(doc, test) {
    const out = [];
    for (const root of roots(doc)) {
      const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (test(n.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
      });
      for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n);
    }
    return out;
  }

  const HEAD_RE = new RegExp(`^${ID_RE.source}`);
  /** [{id, el}]: the innermost elements reading "订单号：<id>", outside dialogs and the panel. */
  function heads(doc) {
    const overlays = P.dialogs(doc);
    const out = [];
    for (const n of textNodes(doc, (t) => /^\s*(?:订单编号|订单号)/.test(t))) {
      let el = n.parentElement;
      if (!el || inPanel(el) || overlays.some((o) => o.contains(el))) continue;
      let m = HEAD_RE.exec(P.deepText(el));
      for (let up = 0; !m && up < 2 && P.composedParent(el); up += 1) { el = P.composedParent(el); m = HEAD_RE.exec(P.deepText(el)); }
      if (m && !out.some((h) => h.id === m[1])) out.push({ id: m[1], el });
    }
    return out;
  }

  const statusOf = (lines) => lines.find((l) => TEXT.statuses.includes(l)) || '';

  // The card of a head: the smallest ancestor holding a status word and an amount, and no other head.
  function cardsOf(doc) {
    const hs = heads(doc);
    return hs.map((h) => {
      let el = h.el;
      for (let up = el.parentElement; up; up = up.parentElement) {
        if (hs.some((o) => o !== h && up.contains(o.el))) break;
        el = up;
        const ls = P.lines(el);
        if (statusOf(ls) && ls.some(isMoney)) return { ...h, card: el };
        if (el === doc.body) break;
      }
      return null;
    }).filter(Boolean);
  }

  // Goods: each quantity line ("x2") with the largest block around it that holds no other quantity,
  // no head and no status (a card of one item: its goods column).
  function itemBlocks(card, headEl) {
    const qty = [];
    const walker = card.ownerDocument.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (isQty(D.norm(n.nodeValue))) qty.push(n.parentElement);
    const statusEls = [];
    const w2 = card.ownerDocument.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    for (let n = w2.nextNode(); n; n = w2.nextNode()) if (TEXT.statuses.includes(D.norm(n.nodeValue))) statusEls.push(n.parentElement);
    return qty.map((q) => {
      let block = q;
      for (let up = q.parentElement; up && up !== card; up = up.parentElement) {
        if (up.contains(headEl) || statusEls.some((s) => up.contains(s)) || qty.some((o) => o !== q && up.contains(o))) break;
        block = up;
      }
      return block;
    });
  }

  function parseItem(block) {
    const ls = P.lines(block);
    const rest = [];
    let price = ''; let quantity = 1;
    for (let i = 0; i < ls.length; i += 1) {
      const l = ls[i];
      if (/[:：]$/.test(l)) { i += 1; continue; }                   // "货号：" then its value
      if (/^(?:货号|skuId|SKU|商品编号|商家编码|商品ID)\s*[:：]/i.test(l)) continue;
      if (isMoney(l)) { if (!price) price = N.money(l); continue; }
      if (isQty(l)) { quantity = Number(l.replace(/\D/g, '')); continue; }
      rest.push(l);
    }
    return { title: rest[0] || '', sku: rest.slice(1).join(' '), quantity, price };
  }

  // Provinces as the card writes them ("陕西安康市紫阳县…", short names, evidence 2026-08).
  const PROVINCES = ['北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建',
    '江西', '山东', '河南', '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾',
    '内蒙古', '广西', '西藏', '宁夏', '新疆', '香港', '澳门'];
  function address(text) {
    const t = D.norm(text).replace(/\s+/g, '');
    const full = N.address(t);
    if (full.province) return full;
    const prov = PROVINCES.find((p) => t.startsWith(p));
    if (!prov) return full;
    let rest = t.slice(prov.length);
    const out = { province: prov, city: '', district: '', detail: '' };
    if (['北京', '天津', '上海', '重庆'].includes(prov)) {
      out.city = `${prov}市`;
      if (rest.startsWith(out.city)) rest = rest.slice(out.city.length);
    } else {
      const m = /^(.{1,15}?(?:自治州|地区|盟|市))/.exec(rest);
      if (m) { out.city = m[1]; rest = rest.slice(m[1].length); }
    }
    const d = /^(.{1,15}?(?:区|县|旗|市))/.exec(rest);
    if (d && d[1].length < rest.length) { out.district = d[1]; rest = rest.slice(d[1].length); }
    out.detail = rest;
    return out;
  }

  const startsWithRegion = (s) => PROVINCES.some((p) => s.startsWith(p)) || /^.{2,3}省|自治区/.test(s);
  // The masked mobile ("154****3467") first; a landline shape only when no mobile shows. The order id
  // (12 digits) has a landline's shape: it is never a phone.
  function receiver(lines, orderId) {
    const line = lines.find((l) => { const i = l.search(/[，,]/); return i > 0 && startsWithRegion(l.slice(i + 1).trim()); });
    const phones = lines.filter((l) => l !== orderId && PHONE_RE.test(l));
    const phone = phones.find((l) => /^(?:\+?86[-\s]?)?1\d{2}[\d*]{4}\d{4}$/.test(l)) || phones[0] || '';
    if (!line) return { name: '', phone, address: N.address('') };
    const i = line.search(/[，,]/);
    return { name: line.slice(0, i).trim(), phone, address: address(line.slice(i + 1)) };
  }

  function labelled(lines, re) {
    for (let i = 0; i < lines.length; i += 1) {
      const m = re.exec(lines[i]);
      if (m) return D.norm(m[1]) || (lines[i + 1] && !/[:：]$/.test(lines[i + 1]) ? lines[i + 1] : '');
    }
    return '';
  }

  const shopOf = (doc) => {
    const el = P.deepQueryAll(doc.body, HOOKS.shopName)[0];
    return el ? D.norm(el.getAttribute('title') || D.text(el)) : '';
  };

  function parseCard(c, shop) {
    const lines = P.lines(c.card);
    const blocks = itemBlocks(c.card, c.el);
    const inItems = (el) => blocks.some((b) => b.contains(el));
    // The amount: the 应收 cell where the page marks it, else the first ¥ line outside the goods
    // that is not a labelled extra (运费 ¥5.00).
    let amount = '';
    const hinted = c.card.querySelector(HOOKS.receivables);
    if (hinted) amount = N.money(P.lines(hinted).find(isMoney) || '');
    if (!amount) {
      const walker = c.card.ownerDocument.createTreeWalker(c.card, NodeFilter.SHOW_TEXT);
      let prev = '';
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = D.norm(n.nodeValue);
        if (!t) continue;
        if (isMoney(t) && !inItems(n.parentElement) && !/运费|优惠|税/.test(prev)) { amount = N.money(t); break; }
        prev = t;
      }
    }
    const created = TEXT.created.exec(lines.join(' '));
    let shipBy = '';
    const at = lines.findIndex((l) => TEXT.shipBy.test(l));
    if (at >= 0) {
      const same = TEXT.shipBy.exec(lines[at]);
      shipBy = N.datetime((same && same[1]) || lines[at + 1] || '');
    }
    const link = P.allElements(c.card).find((a) => a.tagName === 'A' && a.href && (/order-detail|orderDetail/.test(a.href) || D.text(a) === '查看详情'));
    return {
      order_id: c.id,
      shop,
      status: statusOf(lines),
      created_at: created ? N.datetime(created[1]) : '',
      ship_by: shipBy,
      buyer: receiver(lines, c.id),
      items: blocks.map(parseItem),
      amount,
      remark: labelled(lines, TEXT.remark),
      url: link ? link.href : DETAIL_URL(c.id),
    };
  }

  function readDom(doc) {
    const shop = shopOf(doc);
    return cardsOf(doc).map((c) => parseCard(c, shop));
  }

  // --- the page's own reply --------------------------------------------------------------
  const msToIso = (ms) => globalThis.DanhaoOrderList.unixToIso(Number(ms) / 1000);

  function mapReply(r, dom) {
    const c = r.consigneeInfo;
    const st = String((r.orderStatusInfo && r.orderStatusInfo.orderStatusName) || '');
    const hasConsignee = c && typeof c.consigneeName === 'string' && typeof c.consigneeAddress === 'string';
    let buyer = dom ? dom.buyer : { name: '', phone: '', address: N.address('') };
    if (hasConsignee) {
      const prefix = `${c.provinceName || ''}${c.cityName || ''}${c.countyName || ''}`;
      buyer = {
        name: c.consigneeName, phone: String(c.consigneeMobile || ''),
        address: c.provinceName && c.consigneeAddress.startsWith(prefix)
          ? { province: c.provinceName, city: c.cityName || '', district: c.countyName || '', detail: c.consigneeAddress.slice(prefix.length) }
          : address(c.consigneeAddress),
      };
    }
    const domItems = dom ? dom.items : [];
    return {
      order_id: REPLY.id(r),
      shop: dom ? dom.shop : '',
      status: st,
      created_at: msToIso(r.orderCreateTime),
      ship_by: 'promiseOutShipTime' in r ? (TEXT.pending.includes(st) && r.promiseOutShipTime ? msToIso(r.promiseOutShipTime) : '') : (dom ? dom.ship_by : ''),
      buyer,
      items: r.orderItems.map((it, i) => ({
        title: typeof it.skuName === 'string' ? it.skuName : ((domItems[i] && domItems[i].title) || ''),
        sku: typeof it.skuSpec === 'string' ? it.skuSpec : ((domItems[i] && domItems[i].sku) || ''),
        quantity: Number(it.num) || 1,
        price: N.money(String(it.jdPrice == null ? '' : it.jdPrice)),
      })),
      amount: N.money(String(r.orderPaymentInfo.receivables == null ? '' : r.orderPaymentInfo.receivables)),
      remark: 'orderRemark' in r ? String(r.orderRemark || '') : (dom ? dom.remark : ''),
      url: dom ? dom.url : DETAIL_URL(REPLY.id(r)),
    };
  }

  /** {orders, problem}: the reply's orders when one reply holds every order on screen. */
  function readReply(doc, ids) {
    const PD = globalThis.DanhaoPageData;
    if (!PD || !ids.length) return { orders: null, problem: null };
    for (const entry of PD.replies(SITE, 'orderList').reverse()) {
      const data = REPLY.unwrap(entry.data);
      const rows = REPLY.rows(data);
      if (!rows) {
        // A list answer without its rows: the rows moved, not "no orders".
        if (REPLY.isList(data)) return { orders: null, problem: 'queryOrderPage 缺少 data.results / reply lacks data.results' };
        continue;
      }
      const missing = REPLY.required.filter((k) => rows.length && !rows.every((r) => r && k in r));
      if (missing.length) return { orders: null, problem: `queryOrderPage 缺少字段 / reply lacks ${missing.join(', ')}` };
      if (rows.some((r) => REPLY.id(r) === null)) return { orders: null, problem: 'queryOrderPage 订单号无法精确读取 / reply order ids are unsafe numbers' };
      const got = rows.map(REPLY.id);
      if (got.length !== ids.length || !ids.every((id) => got.includes(id))) continue;
      const dom = new Map(readDom(doc).map((o) => [o.order_id, o]));
      const byId = new Map(rows.map((r) => [REPLY.id(r), r]));
      return { orders: ids.map((id) => mapReply(byId.get(id), dom.get(id))), problem: null };
    }
    return { orders: null, problem: null };
  }

  async function replyFor(doc, ids) {
    const PD = globalThis.DanhaoPageData;
    return PD && ids.length ? PD.settled(SITE, 'orderList', () => readReply(doc, ids)) : readReply(doc, ids);
  }

  // --- page state, pager ----------------------------------------------------------------
  const isEmptyList = (doc) => roots(doc).some((r) => P.lines(r).some((l) => TEXT.empty.test(l) && l.length < 20));
  const screenIds = (doc) => cardsOf(doc).map((c) => c.id);

  async function waitForRows(doc, timeout = 15000) {
    return D.waitFor(() => cardsOf(doc).length > 0 || isEmptyList(doc), timeout, doc);
  }

  // The pager (上一页 ‹ · 1 2 · › 下一页): the next button is found by its text or aria label even when
  // disabled (the last page), so the page numbers beside it are still read.
  const NEXT_WORDS = ['下一页', '后一页', '›', '>'];
  const PREV_WORDS = ['上一页', '前一页', '‹', '<'];
  function pagerButton(doc, words) {
    const want = words.map(P.strip);
    const hits = P.allElements(doc.body).filter((el) => el.matches('button, a, li, [role=button]') && D.isVisible(el)
      && !inPanel(el) && (want.includes(P.strip(P.deepText(el))) || want.includes(P.strip(el.getAttribute('aria-label') || ''))));
    return hits.filter((el) => !hits.some((o) => o !== el && P.composedContains(o, el)))[0] || null;
  }
  const nextControl = (doc) => pagerButton(doc, NEXT_WORDS);
  function pagerItems(doc) {
    const next = nextControl(doc);
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
  const isDisabled = (el) => el.disabled || el.getAttribute('aria-disabled') === 'true' || /disabled/i.test(el.className);

  async function turnTo(doc, target) {
    const was = screenIds(doc).join(',');
    await L.dismissBlockers(doc);
    P.pointerClick(target);
    return Boolean(await D.waitFor(() => { const ids = screenIds(doc).join(','); return ids && ids !== was; }, 15000, doc));
  }

  async function nextPage(doc) {
    const next = nextControl(doc);
    if (!next || isDisabled(next)) return false;
    return turnTo(doc, next);
  }

  async function goToPage(doc, n) {
    for (let guard = 0; guard < 200 && pageInfo(doc).current !== n; guard += 1) {
      const item = pagerItems(doc).find((el) => D.text(el) === String(n));
      const target = item || pagerButton(doc, pageInfo(doc).current > n ? PREV_WORDS : NEXT_WORDS);
      if (!target || isDisabled(target)) return false;
      if (!(await turnTo(doc, target))) return false;
    }
    return pageInfo(doc).current === n;
  }

  // --- extract --------------------------------------------------------------------------
  async function extract(doc) {
    await waitForRows(doc);
    await L.dismissBlockers(doc);
    const ids = screenIds(doc);
    const reply = await replyFor(doc, ids);
    const notes = reply.problem ? [reply.problem] : [];
    if (reply.orders) return { orders: reply.orders, pages: pageInfo(doc), source: 'reply', notes };
    const orders = readDom(doc);
    if (!orders.length && !isEmptyList(doc)) {
      const seen = globalThis.DanhaoPageData && globalThis.DanhaoPageData.latest(SITE, 'orderList');
      const total = seen && REPLY.total(REPLY.unwrap(seen.data));
      if (total) throw P.pageChanged(`页面有 ${total} 单，但找不到订单卡片`, `the page has ${total} orders but no order cards were found`);
    }
    return { orders, pages: pageInfo(doc), source: 'dom', notes };
  }

  async function extractVia(doc, source) {
    await waitForRows(doc);
    await L.dismissBlockers(doc);
    if (source === 'dom') return { orders: readDom(doc), source };
    const reply = await replyFor(doc, screenIds(doc));
    return { orders: reply.orders, source, problem: reply.problem };
  }

  // --- the 出库 dialog ---------------------------------------------------------------------
  function isShipDialog(d) {
    return Boolean(P.findField(d, 'courier') || P.findField(d, 'tracking') || /出库|发货/.test(D.text(d).slice(0, 40)) && ID_RE.test(D.text(d)));
  }
  const shipDialog = (doc) => P.dialogs(doc, { exclude: HOOKS.panelHost }).find(isShipDialog) || null;

  async function closeDialog(doc, dialog) {
    if (!dialog || !dialog.isConnected || !D.isVisible(dialog)) return true;
    const btn = P.findButton(dialog, 'cancel') || P.closeControl(dialog);
    if (btn) P.pointerClick(btn);
    return Boolean(await D.waitFor(() => !dialog.isConnected || !D.isVisible(dialog), 3000, doc));
  }

  const cardOf = (doc, id) => cardsOf(doc).find((c) => c.id === id) || null;
  const shipButtonIn = (c) => P.findButton(c.card, TEXT.shipButton);

  async function openShipDialog(doc, c) {
    const btn = shipButtonIn(c);
    if (!btn) return { error: P.pageChanged('找不到 出库 按钮', '出库 button not found').message };
    const before = new Set(P.dialogs(doc, { exclude: HOOKS.panelHost }));
    P.pointerClick(btn);
    const opened = await D.waitFor(() => shipDialog(doc) || P.dialogs(doc, { exclude: HOOKS.panelHost }).find((d) => !before.has(d)), 6000, doc);
    if (!opened) return { error: P.pageChanged('点 出库 后没有出现对话框', 'no dialog opened on 出库').message };
    // The carrier list arrives from its own request after the dialog opens.
    await D.waitFor(() => P.findField(opened, 'courier') && P.findField(opened, 'tracking'), 8000, doc);
    if (!P.findField(opened, 'courier') || !P.findField(opened, 'tracking')) {
      const shows = P.lines(opened).filter((l) => l.length <= 40).slice(0, 8).join(' ');
      await closeDialog(doc, opened);
      if (TEXT.needsPerson.test(shows)) return { needsPerson: shows };
      return { error: P.pageChanged(`出库对话框里找不到 物流公司 和 运单号（对话框显示：${shows}）`,
        `no 物流公司 and 运单号 fields in the 出库 dialog (it shows: ${shows})`).message };
    }
    return { dialog: opened };
  }

  async function readOptions(doc) {
    await waitForRows(doc);
    await L.dismissBlockers(doc);
    let dialog = shipDialog(doc);
    let opened = false;
    if (!dialog) {
      const candidates = cardsOf(doc).filter((c) => shipButtonIn(c)).slice(0, 5);
      if (!candidates.length) return [];
      for (const c of candidates) {
        const r = await openShipDialog(doc, c);
        if (r.error) throw Object.assign(new Error(r.error), { code: 'page_changed' });
        if (r.dialog) { dialog = r.dialog; opened = true; break; }
      }
      if (!dialog) return [];
    }
    const field = P.findField(dialog, 'courier');
    const labels = field ? await SF.courierOptions(field, doc) : [];
    if (opened) await closeDialog(doc, dialog);
    if (!labels.length) throw P.pageChanged('找不到 物流公司 选项', '物流公司 options not found');
    return labels;
  }

  // The page's own 出库 request for this order and its answer (GUESS endpoint: no public capture
  // of the 2026 dialog's call; the outbound services answer {code, data: {successList, failList}}).
  function shipReplyFor(entry, orderId) {
    const req = entry.request ? JSON.stringify(entry.request) : '';
    if (!req.includes(orderId)) return null;
    const d = REPLY.unwrap(entry.data) || {};
    const fails = (d.data && Array.isArray(d.data.failList)) ? d.data.failList : [];
    const ok = entry.status < 400 && (d.code === 200 || d.code === 0) && !fails.length
      && !(d.data && Array.isArray(d.data.successList) && !d.data.successList.map(String).includes(orderId));
    return { ok, request: req, message: String((fails[0] && fails[0].failReason) || d.msg || d.message || '') };
  }

  /** Controls in the dialog besides the two Danhao fills (a 短信验证码, a confirm box): their labels. */
  function unknownControls(dialog, known) {
    const ctl = 'input:not([type=hidden]):not([type=button]):not([type=submit]), select, textarea, [role=combobox], [contenteditable=true]';
    return P.allElements(dialog).filter((el) => el.matches(ctl) && !known.some((k) => k === el || k.contains(el) || el.contains(k))
      && !el.disabled && (D.isVisible(el) || (el.type === 'checkbox' && el.parentElement && D.isVisible(el.parentElement))))
      .map((el) => P.labelsOf(el).find((l) => !/^请输入/.test(l)) || P.labelsOf(el)[0] || el.getAttribute('name') || el.tagName);
  }

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
    await L.dismissBlockers(doc);
    const open = shipDialog(doc);
    if (open) await closeDialog(doc, open);
    const c = cardOf(doc, shipment.order_id);
    if (!c) return failed(P.pageChanged(`找不到订单 ${shipment.order_id}`, `order card not found: ${shipment.order_id}`));
    const row = parseCard(c, '');
    if (row.status && !TEXT.pending.includes(row.status)) return { result: 'skipped', submitted: false, reason: `not_pending: ${row.status}` };
    const opened = await openShipDialog(doc, c);
    if (opened.needsPerson) {
      return { result: 'skipped', submitted: false, reason: `needs_person: 平台提示“${opened.needsPerson}”，请人工处理 / the platform asks a person first` };
    }
    if (opened.error) return { result: 'failed', submitted: false, reason: opened.error };
    const { dialog } = opened;
    // Never fill a dialog that is not provably this order's.
    const belongs = dialogBelongs(dialog, shipment.order_id, row.items.map((i) => i.title));
    if (belongs !== 'ok') {
      await closeDialog(doc, dialog);
      return { result: 'failed', submitted: false, reason: belongs === 'other'
        ? `wrong_dialog: 对话框显示的是另一个订单 / dialog shows another order than ${shipment.order_id}`
        : `wrong_dialog: 对话框里看不到订单号或商品，无法确认是 ${shipment.order_id} / cannot tell the dialog belongs to ${shipment.order_id}` };
    }
    const courier = P.findField(dialog, 'courier');
    const number = P.findField(dialog, 'tracking', { exclude: [courier] });
    if (!courier || !number) { await closeDialog(doc, dialog); return failed(P.pageChanged('找不到 物流公司 / 运单号', '物流公司 / 运单号 not found')); }
    const extra = unknownControls(dialog, [courier, number]);
    if (extra.length) {
      // A step Danhao does not know (an SMS code only the account's phone receives, a new box): nothing
      // is filled, the page is reported, the person ships this one.
      const what = extra.join('、');
      await closeDialog(doc, dialog);
      return failed(P.pageChanged(`出库对话框多了不认识的项：${what}`, `the 出库 dialog has controls Danhao does not know: ${what}`));
    }
    // The site's own words first; then the shared key, which also tries a place the person pointed at.
    const confirm = P.findButton(dialog, TEXT.confirm) || P.findButton(dialog, 'confirmShip');
    if (!confirm) { await closeDialog(doc, dialog); return failed(P.pageChanged('找不到 确定 按钮', 'confirm button not found')); }
    const filled = await SF.fillFields(doc, { courier, number, option, value: shipment.number });
    if (!filled.ok) { await closeDialog(doc, dialog); return { result: 'failed', submitted: false, reason: filled.reason }; }
    return SF.confirmShip({
      doc, site: SITE, confirm, courier, number, option, shipment, ui,
      finished: () => !dialog.isConnected || !D.isVisible(dialog),
      abandon: () => closeDialog(doc, dialog),
      errorText: () => D.text(P.allElements(dialog).filter((el) => el.matches('[role="alert"], [class*="error" i]') && D.isVisible(el)).pop()),
      replyFor: shipReplyFor,
      dismiss: () => L.dismissBlockers(doc),
    });
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (!LIST_PATHS.some((p) => u.pathname.startsWith(p))) return { kind: null, rows: 0 };
    return { kind: 'order-list', rows: cardsOf(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'jd-seller',
    side: 'seller',
    matches: ['https://shop.jd.com/jdm/trade/orders/order-list*', 'https://shop.jd.com/jdm/trade/order/orderList*',
      'https://trade-order-jdm.jd.com/orderList*'],
    detect, extract, extractVia, readOptions, fill, nextPage, goToPage, pageInfo,
    pendingStatus: (status) => !status || TEXT.pending.includes(status),
  });
})();
