// 拼多多 buyer side (mobile.yangkeduo.com): the dropshipper's own purchases (采购单). The list
// (orders.html, a phone page, React, more rows only when it is scrolled) shows no receiver, no
// courier and no number — its reply's `tracking_number` is always "" (public 2026-08 capture) —
// so the list is sent with the keys it shows and the number is read on each shipped order's
// detail page (order.html?order_sn=…), whose server-rendered `window.rawData` carries
// trackingNumber, shipping.shippingName and expressInfo (public captures 2025–26). When that data
// no longer names the number, the walk follows the page's own 查看物流 link to the logistics page
// (goods_express.html), which shows it as text: "中通快递 : <no> 复制" (public 2026-08 capture), and
// where a person can point at it (指给我看) if its wording changes too. The walk through those pages
// is content/detail-pages.js.
//
// List: the page's own reply (POST …/aristotle/order_list_v4, copied by the page observer)
// when it covers the cards on screen, else the cards' text by meaning: the order link
// (order.html?order_sn=), a status word, ¥ price + ×count per goods line, 实付 + amount.
// Class names are hashed per build: never read.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const N = globalThis.DanhaoNormalize;
  const P = globalThis.DanhaoPage;
  const SITE = 'pdd-buyer';

  const fen = (v) => globalThis.DanhaoOrderList.fen(v);

  // order_list_v4 `orders[]` → MODEL.md purchase order (list keys only: the list shows no
  // receiver, remark or number, and an empty value would overwrite what a detail page gave).
  const REPLY = {
    required: ['order_sn', 'order_goods', 'order_amount', 'order_status_prompt', 'mall'],
    order: (r) => ({
      order_id: String(r.order_sn),
      supplier: String((r.mall && r.mall.mall_name) || ''),
      status: String(r.order_status_prompt || ''),
      items: (r.order_goods || []).map((g) => ({ title: String(g.goods_name || ''), sku: String(g.spec || ''),
        quantity: parseInt(g.goods_number, 10) || 1, price: fen(g.goods_price) })),
      amount: fen(r.order_amount),
    }),
  };

  // order.html's `window.rawData.data` (refs in the replica README: trackingNumber,
  // shipping.shippingName, expressInfo{trackingNumber, shippingName}; the receiver parts).
  const DETAIL = {
    number: (d) => d.trackingNumber || (d.expressInfo && d.expressInfo.trackingNumber) || '',
    courier: (d) => (d.shipping && d.shipping.shippingName) || (d.expressInfo && d.expressInfo.shippingName) || '',
    // The page says the order went out: an express card, a 发货时间, or a shipped status word.
    shipped: (d) => Boolean(d.expressInfo || d.shippingTime || (d.shipping && d.shipping.shippingName)),
  };

  const STATUSES = ['待付款', '待分享', '待发货', '待收货', '已签收', '待评价', '交易成功', '交易已取消', '已取消', '退款成功', '退款中', '已发货'];
  // Statuses under which the order has (or had) a number on its detail page.
  const SHIPPED = /^(?:待收货|已签收|待评价|交易成功|已发货)$/;
  const SN_RE = /^\d{6}-\d{6,}$/;
  const TEXT = {
    price: /^[¥￥]\s*(-?[\d,]+(?:\.\d{1,2})?)$/,
    qty: /^[×x]\s*(\d{1,5})$/,
    paid: /实付/,
    end: ['没有更多订单了', '没有更多了'],
    empty: ['您还没有相关的订单', '暂无订单'],
    loading: ['加载中'],
  };

  // --- the list's cards ---------------------------------------------------------------
  const snOf = (a) => { try { return new URL(a.href).searchParams.get('order_sn') || ''; } catch (e) { return ''; } };
  const inDialog = (el) => P.dialogs(el.ownerDocument).some((d) => d.contains(el));

  /** One card per order: the outermost element around an order link holding no other order. */
  function cards(doc) {
    const links = Array.from(doc.querySelectorAll('a[href*="order_sn="]')).filter((a) => SN_RE.test(snOf(a)) && !inDialog(a));
    const out = [];
    const seen = new Set();
    for (const a of links) {
      const sn = snOf(a);
      if (seen.has(sn)) continue;
      let el = a;
      while (el.parentElement && el.parentElement !== doc.body) {
        const ids = new Set(Array.from(el.parentElement.querySelectorAll('a[href*="order_sn="]')).map(snOf));
        if (ids.size > 1) break;
        el = el.parentElement;
      }
      seen.add(sn);
      out.push({ id: sn, el, link: a });
    }
    return out;
  }

  function readCard(card) {
    const goods = P.lines(card.link);
    const before = [];
    const after = [];
    const w = card.el.ownerDocument.createTreeWalker(card.el, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const t = D.norm(n.nodeValue);
      if (!t || card.link.contains(n)) continue;
      (card.link.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_PRECEDING ? before : after).push(t);
    }
    // The head: a status word and the mall name (a "›" after it; the mall may sit in its own row
    // under the status). The nearest ones above the goods count: a lone card may take in the tabs.
    const status = [...before].reverse().find((l) => STATUSES.includes(l)) || '';
    let supplier = '';
    for (let i = before.length - 1; i >= 0 && !supplier; i -= 1) {
      if (before[i] === '›' && i > 0) supplier = before[i - 1];
      else if (/.›$/.test(before[i])) supplier = D.norm(before[i].replace(/›$/, ''));
    }
    // Goods lines: [title, spec?, ¥price, ×count] each.
    const items = [];
    let from = 0;
    for (let i = 0; i < goods.length; i += 1) {
      const p = TEXT.price.exec(goods[i]);
      const q = p && TEXT.qty.exec(goods[i + 1] || '');
      if (!p || !q) continue;
      const words = goods.slice(from, i);
      items.push({ title: words[0] || '', sku: words.slice(1).join(' '), quantity: Number(q[1]), price: N.money(p[1]) });
      from = i + 2;
    }
    // 实付: the amount on the same line or the next.
    let amount = '';
    for (let i = 0; i < after.length && !amount; i += 1) {
      if (!TEXT.paid.test(after[i])) continue;
      const m = /[¥￥]\s*([\d,]+(?:\.\d{1,2})?)/.exec(after[i]) || TEXT.price.exec(after[i + 1] || '');
      if (m) amount = N.money(m[1]);
    }
    return { order_id: card.id, supplier, status, items, amount };
  }

  // --- the page's reply -----------------------------------------------------------------
  /** {orders, problem}: the replies' view of exactly `ids`, or null when they do not cover them. */
  function readReply(ids) {
    const PD = globalThis.DanhaoPageData;
    if (!PD || !ids.length) return { orders: null, problem: null };
    const byId = new Map();
    for (const entry of PD.replies(SITE, 'orderList')) {
      const list = entry.data && Array.isArray(entry.data.orders) ? entry.data.orders : null;
      if (!list) continue;
      const missing = REPLY.required.filter((k) => list.length && !(k in list[0]));
      if (missing.length) return { orders: null, problem: `order_list_v4 缺少字段 / reply lacks ${missing.join(', ')}` };
      for (const r of list) byId.set(String(r.order_sn), r);
    }
    if (!ids.every((id) => byId.has(id))) return { orders: null, problem: null };
    return { orders: ids.map((id) => REPLY.order(byId.get(id))), problem: null };
  }

  // --- batches (the infinite list) -------------------------------------------------------
  // The list appends 10 cards per scroll; a "page" is one appended batch. `bounds[i]` = the
  // card count before batch i+1.
  const state = { bounds: [0], current: 1, done: false };
  const listText = (doc) => P.lines(doc.body);
  const ended = (doc) => listText(doc).some((l) => TEXT.end.includes(l) || TEXT.empty.includes(l));
  const loading = (doc) => listText(doc).some((l) => TEXT.loading.some((w) => l.startsWith(w)));

  function batch(doc, n = state.current) {
    const all = cards(doc);
    const from = state.bounds[n - 1] || 0;
    const to = n < state.bounds.length ? state.bounds[n] : all.length;
    return all.slice(from, to);
  }

  async function waitForCards(doc, timeout = 15000) {
    return D.waitFor(() => (cards(doc).length && !loading(doc)) || (ended(doc) && !loading(doc)), timeout, doc);
  }

  // A promo over the list blocks its scrolling: closed as a person does (its × or a dismiss word).
  async function dismissBlockers(doc) {
    for (let round = 0; round < 3; round += 1) {
      const blockers = P.dialogs(doc, { exclude: '#danhao-panel-host' });
      if (!blockers.length) return;
      for (const d of blockers) {
        const btn = P.findButton(d, 'dismiss') || P.closeControl(d)
          || Array.from(d.querySelectorAll('*')).find((el) => /^[×✕╳xX]$/.test(D.ownText(el)) && D.isVisible(el));
        if (!btn) continue;
        P.pointerClick(btn);
        await D.waitFor(() => !d.isConnected || !D.isVisible(d), 3000, doc);
      }
    }
  }

  function pageInfo(doc) {
    return { current: state.current, total: state.done ? state.bounds.length : null };
  }

  async function nextPage(doc) {
    if (state.current < state.bounds.length) { state.current += 1; scrollToBatch(doc); return true; }
    await waitForCards(doc);
    if (ended(doc)) { state.done = true; return false; }
    await dismissBlockers(doc);
    const before = cards(doc).length;
    // Scrolling to the end is how a person asks this list for more (the page sends its request).
    doc.defaultView.scrollTo(0, doc.documentElement.scrollHeight);
    const more = await D.waitFor(() => (cards(doc).length > before && !loading(doc)) || (ended(doc) && !loading(doc)), 15000, doc);
    if (!more || cards(doc).length <= before) { state.done = ended(doc); return false; }
    state.bounds.push(before);
    state.current = state.bounds.length;
    if (ended(doc)) state.done = true;
    return true;
  }

  function scrollToBatch(doc) {
    const first = batch(doc)[0];
    if (state.current === 1) doc.defaultView.scrollTo(0, 0);
    else if (first) first.el.scrollIntoView({ block: 'start' });
  }

  /** Back to batch `n` (loaded rows stay in the DOM): the list scrolls there. */
  async function goToPage(doc, n) {
    if (n < 1 || n > state.bounds.length) return false;
    state.current = n;
    scrollToBatch(doc);
    return true;
  }

  // --- the detail page ---------------------------------------------------------------------
  /** The JSON object assigned to `window.<name>` in the page's own inline scripts (balanced braces). */
  function inlineObject(doc, name) {
    const re = new RegExp(`window\\.${name}\\s*=\\s*\\{`);
    for (const s of doc.querySelectorAll('script:not([src])')) {
      const text = s.textContent;
      const m = re.exec(text);
      if (!m) continue;
      const start = m.index + m[0].length - 1;
      let depth = 0; let str = false; let esc = false;
      for (let i = start; i < text.length; i += 1) {
        const c = text[i];
        if (str) { if (esc) esc = false; else if (c === '\\') esc = true; else if (c === '"') str = false; continue; }
        if (c === '"') str = true;
        else if (c === '{') depth += 1;
        else if (c === '}' && --depth === 0) {
          try { return JSON.parse(text.slice(start, i + 1)); } catch (e) { return null; }
        }
      }
    }
    return null;
  }

  /** The order id the detail page shows (订单编号 row), else its rawData's. */
  function detailOrderId(doc) {
    const ls = P.lines(doc.body);
    for (let i = 0; i < ls.length; i += 1) {
      const m = /^订单编号\s*[:：]?\s*(\d{6}-\d{6,})?$/.exec(ls[i]);
      if (m) return m[1] || (SN_RE.test(ls[i + 1] || '') ? ls[i + 1] : null);
    }
    const raw = inlineObject(doc, 'rawData');
    return raw && raw.data && raw.data.orderSn ? String(raw.data.orderSn) : null;
  }

  /**
   * order.html → {order, notes, problem, follow}. `order`: the keys this page shows (list keys,
   * ship_to with the receiver parts, packages [{courier_text, tracking}] — [] before shipping). A
   * page that shows the order shipped but whose data no longer names the number: a note
   * (reply_changed), no `packages` key (never a package without a number), and `follow` = the
   * page's own 查看物流 link (goods_express.html, read next by extractExpress) — or, when it has
   * none, `problem` (page changed). Another order shown → `problem`.
   */
  async function extractDetail(doc) {
    if (isExpress(doc.location.href)) return extractExpress(doc);
    await D.waitFor(() => detailOrderId(doc) || P.lines(doc.body).includes('订单不存在'), 15000, doc);
    const raw = inlineObject(doc, 'rawData');
    const d = raw && raw.data;
    if (!d) return { order: null, notes: [], problem: P.pageChanged('订单详情页读不到订单数据', 'the order detail page shows no order data').message };
    const shown = detailOrderId(doc);
    const order = {
      order_id: String(d.orderSn || shown || ''),
      supplier: String((d.mall && d.mall.mallName) || ''),
      status: String(d.orderStatusPrompt || ''),
      items: (d.orderGoods || []).map((g) => ({ title: String(g.goodsName || ''), sku: String(g.spec || ''),
        quantity: parseInt(g.goodsNumber, 10) || 1, price: fen(g.goodsPrice) })),
      amount: fen(d.orderAmount),
      ship_to: { name: String(d.receiveName || ''), phone: String(d.mobile || ''),
        address: { province: String(d.provinceName || ''), city: String(d.cityName || ''),
          district: String(d.districtName || ''), detail: String(d.shippingAddress || '') } },
    };
    for (const k of ['supplier', 'status', 'amount']) if (!order[k]) delete order[k];
    if (!order.items.length) delete order.items;
    if (!order.ship_to.name && !order.ship_to.address.detail) delete order.ship_to;
    const notes = [];
    let problem = null;
    let follow = null;
    const number = String(DETAIL.number(d) || '');
    if (number) order.packages = [{ courier_text: String(DETAIL.courier(d) || ''), tracking: number }];
    else if (DETAIL.shipped(d) || SHIPPED.test(order.status || '')) {
      notes.push('order.html 的 rawData 找不到运单号字段 / rawData no longer names the tracking number');
      // The logistics page this page links to shows the number as text: the walk goes there next
      // (no `packages` key here: the number comes from that page, never a package without one).
      follow = expressLink(doc, d);
      if (!follow) problem = P.pageChanged('订单已发货，但详情页读不到运单号', 'the order shipped but its detail page shows no readable tracking number').message;
    } else order.packages = [];
    if (shown && shown !== order.order_id) { problem = P.pageChanged(`详情页显示订单 ${shown}`, `the detail page shows order ${shown}`).message; follow = null; }
    return { order, notes, problem, follow };
  }

  // --- the logistics page (goods_express.html) ------------------------------------------------
  const isExpress = (url) => new URL(url).pathname === '/goods_express.html';

  /** The order's own 查看物流 link (its button, else the logistics card), absolute; else the
   *  page data's 查看物流 button url (what that button opens); null when the page has none. */
  function expressLink(doc, d) {
    const links = Array.from(doc.querySelectorAll('a[href]')).filter((a) => {
      try { return isExpress(a.href); } catch (e) { return false; }
    });
    const byWord = links.find((a) => D.norm(a.textContent) === '查看物流');
    if (byWord || links[0]) return (byWord || links[0]).href;
    const btn = (d.orderButtons || []).find((b) => b && b.briefPrompt === '查看物流' && b.typeValue && b.typeValue.url);
    if (!btn) return null;
    try {
      const url = new URL(String(btn.typeValue.url), doc.location.href);
      return isExpress(url.href) ? url.href : null;
    } catch (e) { return null; }
  }

  // A courier's name, as a logistics line starts with it: a known brand (中通快递, 顺丰速运, 京东物流,
  // 极兔速递, 邮政快递包裹, 宅急送, 壹米滴答, J&T极兔 …), or a name ending as courier names do — never
  // a verb or a person (联系快递, 寄快递, 查看物流, 我的包裹, 快递员, 客服电话) nor a label (物流公司).
  const BRANDS = /顺丰|京东|德邦|极兔|J&T|中通|圆通|申通|韵达|邮政|EMS|E邮宝|百世|汇通|天天|宅急送|丹鸟|壹米滴答|顺心捷达|安能|跨越|优速|速尔|丰网|众邮|菜鸟|国通|苏宁|日日顺|中铁|加运美|信丰|兔喜|UPS|DHL|FedEx|TNT/i;
  const COURIERISH = /^[\u4e00-\u9fffA-Za-z&]{1,10}(?:快递|速运|速递|物流|快运|邮政|快件|包裹)$/;
  const NOT_COURIER = /^(?:联系|寄|查看|查询|我的|取|催|投诉)|员|电话|手机|客服|公司|信息|详情|地址|订单/;
  const NUMBER = /^[A-Za-z0-9]{6,40}$/;
  // One name: no other words beside it ("中通快递 物流凭证" names something else), spaces only
  // inside a Latin name (DHL Express).
  const oneName = (c) => !/\s/.test(c.replace(/([A-Za-z&]) (?=[A-Za-z&])/g, '$1'));
  const courierName = (c) => Boolean(c) && c.length <= 20 && oneName(c) && !NOT_COURIER.test(c) && (BRANDS.test(c) || COURIERISH.test(c));

  /** Our own panel and pointing overlay are never read as the page. */
  const pageElements = (doc) => Array.from(doc.body.children).filter((el) => !/^danhao-/.test(el.id));
  const pageLines = (doc) => pageElements(doc).flatMap((el) => P.lines(el));

  /**
   * The page's short lines: each text node's, and each small element's whole text (a line a page
   * builds of several text nodes — "中通快递", " : ", "7912…" — read as the person sees it).
   */
  function shortLines(doc) {
    const joined = [];
    for (const root of pageElements(doc)) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const ls = P.lines(el);
        if (ls.length > 1 && ls.length <= 6) joined.push(ls);
      }
    }
    // The smallest element first: its words are the line, a wider one's add its neighbours'.
    joined.sort((a, b) => a.length - b.length);
    const out = [...pageLines(doc), ...joined.map((ls) => ls.join(' '))];
    return [...new Set(out.map((l) => D.norm(D.norm(l).replace(/\s*复制$/, ''))))].filter((l) => l && l.length <= 80);
  }

  /**
   * The logistics lines of goods_express.html → [{courier, number}] (page order, each number once):
   * "中通快递 : 7912… 复制" (2026-08 capture), "中通快递 快递单号：7912…", a tracking word alone with
   * the number on the next line. A line naming a tracking word (运单号, 快递单号 …) is taken with
   * whatever courier name precedes it; a line without one only after a courier's name. The number is
   * the page's text as shown (letters and digits only), never rebuilt.
   */
  function expressLines(doc) {
    const ls = shortLines(doc);
    const words = P.SYNONYMS.tracking.slice().sort((a, b) => b.length - a.length);
    const split = (head) => {
      const h = D.norm(head);
      const w = words.find((x) => h.endsWith(x));
      return w ? { courier: D.norm(h.slice(0, -w.length)), worded: true } : { courier: h, worded: false };
    };
    // A mobile phone's shape after a name that is not a tracking word is a phone, not a number.
    const PHONE = /^1[3-9]\d{9}$/;
    const ok = (h, number) => (h.worded ? !h.courier || !NOT_COURIER.test(h.courier) : courierName(h.courier) && !PHONE.test(number));
    const found = [];
    const add = (courier, number) => { if (!found.some((f) => f.number === number)) found.push({ courier, number }); };
    for (let i = 0; i < ls.length; i += 1) {
      const m = /^(.*?)\s*[:：]\s*([A-Za-z0-9]{6,40})$/.exec(ls[i]);
      if (m) {
        const h = split(m[1]);
        if (ok(h, m[2])) add(h.courier, m[2]);
        continue;
      }
      const alone = /^(.*?)\s*[:：]?$/.exec(ls[i]);
      const h = alone && split(alone[1]);
      if (h && h.worded && ok(h, ls[i + 1]) && NUMBER.test(ls[i + 1] || '')) add(h.courier, ls[i + 1]);
    }
    return found;
  }

  /**
   * goods_express.html → {order, notes, problem}: `order` = {order_id, packages} (the id from the
   * page's 订单编号 line, else its data's). The number: the page's logistics line, else the page
   * data (`window.rawData.store.traceData`, a 2026 client reads it; its fields are not evidenced),
   * else the site's saved 指给我看 patch. None of them → `problem` (page changed) and no `packages`.
   */
  async function extractExpress(doc) {
    const empty = () => pageLines(doc).some((l) => l === '暂无物流信息');
    // The page renders at once: its 订单编号 line shown means its logistics line is there too, if any.
    await D.waitFor(() => detailOrderId(doc) || empty(), 15000, doc);
    const raw = inlineObject(doc, 'rawData');
    const t = raw && raw.store && raw.store.traceData;
    const shown = detailOrderId(doc) || (t && t.orderSn ? String(t.orderSn) : null);
    if (!shown) return { order: null, notes: [], problem: P.pageChanged('物流页找不到订单编号', 'the logistics page shows no order number').message };
    const order = { order_id: shown };
    const notes = [];
    if (t && !('trackingNumber' in t)) notes.push('goods_express.html 的 traceData 缺少 trackingNumber / traceData lacks trackingNumber');
    let packages = expressLines(doc).map((l) => ({ courier_text: l.courier || String((t && t.shippingName) || ''), tracking: l.number }));
    if (!packages.length) {
      let number = String((t && t.trackingNumber) || '');
      if (!number && globalThis.DanhaoPointing) number = globalThis.DanhaoPointing.detailValue(doc, SITE, 'tracking', shown);
      packages = NUMBER.test(number) ? [{ courier_text: String((t && t.shippingName) || ''), tracking: number }] : [];
    }
    let problem = null;
    if (packages.length) order.packages = packages;
    else problem = P.pageChanged('订单已发货，但物流页读不到运单号', 'the order shipped but its logistics page shows no readable tracking number').message;
    return { order, notes, problem };
  }

  // --- adapter --------------------------------------------------------------------------------
  const isDetail = (url) => ['/order.html', '/goods_express.html'].includes(new URL(url).pathname);

  async function extractVia(doc, source) {
    await waitForCards(doc);
    const dom = batch(doc).map(readCard);
    if (source === 'dom') return { orders: dom, source };
    let reply = readReply(dom.map((o) => o.order_id));
    if (!reply.orders && !reply.problem && globalThis.DanhaoPageData) {
      await globalThis.DanhaoPageData.next(SITE, 'orderList', () => true, 1000);
      reply = readReply(dom.map((o) => o.order_id));
    }
    return { orders: reply.orders, source, problem: reply.problem };
  }

  async function extract(doc) {
    if (isDetail(doc.location.href)) {
      const r = await extractDetail(doc);
      if (!r.order) throw P.pageChanged('订单详情页读不到订单', 'no order on this detail page');
      if (r.problem) throw P.pageChanged(r.problem, 'this page of the order shows no readable tracking number');
      return { orders: [r.order], pages: { current: 1, total: 1 }, source: 'reply', notes: r.notes };
    }
    await waitForCards(doc);
    const ids = batch(doc).map((c) => c.id);
    if (!ids.length && !ended(doc)) throw P.pageChanged('订单列表找不到订单链接', 'no order link found on the order list');
    const reply = await extractVia(doc, 'reply');
    const orders = reply.orders || batch(doc).map(readCard);
    if (orders.some((o) => !o.status || !o.items.length)) {
      throw P.pageChanged('订单列表读不到状态或商品', 'the order list shows no readable status or goods');
    }
    return { orders, pages: pageInfo(doc), source: reply.orders ? 'reply' : 'dom', notes: reply.problem ? [reply.problem] : [] };
  }

  /** The card's own link to its detail page (the goods area a person taps), absolute; null when absent. */
  function detailPageUrl(doc, orderId) {
    const card = cards(doc).find((c) => c.id === orderId);
    return card ? card.link.href : null;
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (u.pathname === '/orders.html') return { kind: 'purchase-list', rows: cards(doc).length };
    if (u.pathname === '/order.html' || u.pathname === '/goods_express.html') return { kind: 'purchase-detail', rows: 1 };
    return { kind: null, rows: 0 };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'pdd-buyer',
    side: 'supplier',
    matches: ['https://mobile.yangkeduo.com/orders.html*', 'https://mobile.yangkeduo.com/order.html*',
      'https://mobile.yangkeduo.com/goods_express.html*'],
    detect, extract, extractVia, nextPage, goToPage, pageInfo,
    detailPageUrl, extractDetail, detailOrderId,
    needsDetail: (o) => SHIPPED.test(o.status || ''),
  });
})();
