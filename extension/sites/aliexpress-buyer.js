// AliExpress My orders (www.aliexpress.com/p/order/index.html): the dropshipper's own AliExpress
// purchases (采购单), English UI. The list shows no ship-to and no number; the numbers show on the
// order's tracking page (track.aliexpress.com/logisticsdetail.htm?tradeId=), whose page JSON
// carries `logisticsNo`, `interMailNo` and `lgOrderCode` per parcel (public code reads them with
// regexes over that page's HTML; real-pages.md §11). So the list is sent with the keys it shows,
// and content/detail-pages.js walks the shipped orders' own "Track order" links (the card's link,
// never a built URL) and sends every number each tracking page shows.
//
// RED LINE: a parcel's first-mile number (logisticsNo, "Tracking number"), its last-mile number
// (interMailNo, "Last-mile tracking number", under the last-mile carrier) and Cainiao's logistics
// order code (lgOrderCode) are three numbers, sent as three packages each with its `kind`
// (tracking / last_mile / cainiao_order) and the name the page gives its courier. Danhao never
// decides here that two are the same parcel (a tracking provider shows that, in the helper), and
// never changes a digit.
//
// List: page 1 is rendered server-side with its data inlined (`_dida_config_._init_data_`, a
// GUESS of the replica about the name: the evidence says only that page 1 never passes through
// fetch/XHR); "View orders" appends the next 10 from the mtop gateway
// (mtop.aliexpress.trade.buyer.order.list, JSONP, copied by the page observer). A reply is used
// when it covers the cards on screen; else the cards are read by meaning: the order's detail link
// (evidence: `a[data-pl=order_item_header_detail]` → detail.html?orderId=), the store link
// (/store/<id>), the item link (/item/<id>.html), a price with a currency sign, `x<n>`, "Total".
// Class names (CSS-module hashes in the 2026 builds) are never read on the list.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const N = globalThis.DanhaoNormalize;
  const P = globalThis.DanhaoPage;
  const SITE = 'aliexpress-buyer';

  // --- money: "US $6.40" / formatPriceInfo "US $6.40|6|40" → "6.40" ---------------------------
  function price(text, format) {
    const parts = String(format || '').split('|');
    if (parts.length === 3 && /^\d[\d,]*$/.test(parts[1]) && /^\d{1,2}$/.test(parts[2])) return N.money(`${parts[1]}.${parts[2]}`);
    const m = /(\d[\d,]*(?:\.\d{1,2})?)\s*$/.exec(D.norm(text));
    return m ? N.money(m[1]) : '';
  }

  // `pc_om_list_order` fields (refs in the replica README: 2026 wire types) → MODEL.md purchase
  // order, the list's keys only (no ship_to, remark or packages: the list shows none).
  const REPLY = {
    required: ['orderId', 'storeName', 'statusText', 'orderLines', 'totalPriceText'],
    order: (f) => ({
      order_id: String(f.orderId),
      supplier: String(f.storeName || ''),
      status: String(f.statusText || ''),
      items: (f.orderLines || []).map((l) => ({
        title: String(l.itemTitle || ''),
        sku: (l.skuAttrs || []).map((s) => `${s.name}: ${s.text}`).join(', '),
        quantity: parseInt(l.quantity, 10) || 1,
        price: price(l.itemPriceText, l.formatPriceInfo),
      })),
      amount: price(f.totalPriceText, f.formatPriceInfo),
    }),
  };

  // The tracking page's JSON: per parcel, each number field with the role it has and whose name
  // is its courier's. Field names: evidence (ref 46264530194, which also tries realMailNo/mailNo);
  // the envelope `runParams.data.packages[]` and logisticsName/lastMileCarrier: replica GUESS.
  const TRACK = {
    numbers: [
      { field: 'logisticsNo', kind: 'tracking', courier: (p) => p.logisticsName },
      { field: 'interMailNo', kind: 'last_mile', courier: (p) => p.lastMileCarrier },
      { field: 'lgOrderCode', kind: 'cainiao_order', courier: (p) => p.logisticsName },
    ],
  };
  // The tracking page's labels by meaning (checked in this order: "Last-mile tracking number" also
  // says "tracking"). The 2026 labels are a replica GUESS; these words cover them and their variants.
  const LABEL_KINDS = [
    { kind: 'last_mile', re: /last[\s-]*mile|local\s+carrier|destination|末程|末端/i },
    { kind: 'cainiao_order', re: /cainiao|logistics\s+order|lp\s*(?:no|number|code)|物流订单/i },
    { kind: 'tracking', re: /tracking|track\s*no|mail\s*no|运单号|物流单号|快递单号/i },
  ];
  const NUMBER = /^[A-Za-z0-9-]{6,40}$/;
  const TEXT = {
    more: /^(?:view (?:more )?orders|load more|view more|show more|more orders)$/i,
    track: /^track(?:\s+(?:order|package|parcel))?$/i,
    total: /^total\b/i,
    qty: /^x\s*(\d{1,5})$/i,
    money: /^(?:[A-Za-z]{1,3}\s*)?[$€£¥₩₽]\s*\d[\d,]*(?:\.\d{1,2})?$/,
    empty: ['No orders yet', 'No orders'],
    loading: /^loading/i,
    noTracking: /no tracking information/i,
  };
  const SHIPPED = /^(?:awaiting delivery|completed|shipped|delivered|in transit)$/i;

  // --- data inlined in the page ------------------------------------------------------------
  /** The JSON object assigned to `<prefix>` in the page's own inline scripts (balanced braces); null when absent. */
  function inlineObject(doc, prefix) {
    const re = new RegExp(`${prefix}\\s*=\\s*\\{`);
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

  /** The `pc_om_list_order` fields of one ultron answer's `data` ({data: {<tag>_<id>: comp}}). */
  function orderFields(listData) {
    const comps = listData && listData.data && typeof listData.data === 'object' ? listData.data : null;
    if (!comps) return null;
    const out = Object.entries(comps)
      .filter(([k, c]) => c && (c.tag === 'pc_om_list_order' || /^pc_om_list_order_/.test(k)))
      .map(([, c]) => c.fields || {});
    return out.length ? out : null;
  }

  function listAnswers(doc) {
    const out = [];
    const init = inlineObject(doc, '_init_data_');
    if (init && init.data) out.push(init.data);
    const PD = globalThis.DanhaoPageData;
    if (PD) for (const e of PD.replies(SITE, 'orderList')) if (e.data && e.data.data) out.push(e.data.data);
    return out;
  }

  /** {orders, problem}: the page's data for exactly `ids` (screen order), or null when it does not cover them. */
  function readReply(doc, ids) {
    if (!ids.length) return { orders: null, problem: null };
    const byId = new Map();
    for (const answer of listAnswers(doc)) {
      const list = orderFields(answer);
      if (!list) continue;
      const missing = REPLY.required.filter((k) => !(k in list[0]));
      if (missing.length) return { orders: null, problem: `mtop 订单列表缺少字段 / order.list data lacks ${missing.join(', ')}` };
      for (const f of list) byId.set(String(f.orderId), f);
    }
    if (!ids.every((id) => byId.has(id))) return { orders: null, problem: null };
    return { orders: ids.map((id) => REPLY.order(byId.get(id))), problem: null };
  }

  // --- the list's cards ----------------------------------------------------------------------
  const idOf = (a) => { try { return new URL(a.href).searchParams.get('orderId') || ''; } catch (e) { return ''; } };
  const inDialog = (el) => P.dialogs(el.ownerDocument).some((d) => d.contains(el));
  const detailLinks = (root) => Array.from(root.querySelectorAll('a[href*="/p/order/detail.html"]'))
    .filter((a) => /^\d{12,20}$/.test(idOf(a)));

  /** One card per order: the outermost element around the order's detail link holding no other order. */
  function cards(doc) {
    const out = [];
    const seen = new Set();
    for (const a of detailLinks(doc)) {
      const id = idOf(a);
      if (seen.has(id) || inDialog(a)) continue;
      let el = a;
      while (el.parentElement && el.parentElement !== doc.body) {
        const ids = new Set(detailLinks(el.parentElement).map(idOf));
        if (ids.size > 1) break;
        el = el.parentElement;
      }
      seen.add(id);
      out.push({ id, el, link: a });
    }
    return out;
  }

  function readCard(card) {
    const ls = P.lines(card.el);
    const store = card.el.querySelector('a[href*="/store/"]');
    const order = { order_id: card.id, supplier: store ? D.text(store) : '', status: ls[0] || '' };
    // Goods: one titled item link → one line read from the card; several lines show only their
    // pictures (evidence, ref 71165616108): then the card gives no items (the key is left out).
    const itemLinks = Array.from(card.el.querySelectorAll('a[href*="/item/"]'));
    const products = new Set(itemLinks.map((a) => a.getAttribute('href')));
    const titled = itemLinks.filter((a) => D.text(a));
    if (products.size === 1 && titled.length) {
      const title = D.text(titled[0]);
      const at = ls.indexOf(title);
      const rest = ls.slice(at + 1);
      const m = rest.findIndex((l) => TEXT.money.test(l));
      const q = rest.map((l) => TEXT.qty.exec(l)).find(Boolean);
      const sku = rest.slice(0, Math.max(m, 0)).filter((l) => /^[^:]{1,30}:\s/.test(l)).join(', ');
      order.items = [{ title, sku, quantity: q ? Number(q[1]) : 1, price: m >= 0 ? price(rest[m]) : '' }];
    }
    // "Total:" then the amount in the same line or split over the next spans ("US $", "6.40").
    const t = ls.findIndex((l) => TEXT.total.test(l));
    if (t >= 0) {
      const joined = [ls[t].replace(TEXT.total, '').replace(/^[\s:：]+/, ''), ls[t + 1] || '', ls[t + 2] || ''].join('');
      const m = /^(?:[A-Za-z]{1,3}\s*)?[$€£¥₩₽]?\s*(\d[\d,]*(?:\.\d{1,2})?)/.exec(joined.replace(/\s+/g, ''));
      order.amount = m ? N.money(m[1]) : '';
    }
    return order;
  }

  // --- batches ("View orders" appends the next 10) ------------------------------------------
  // A "page" is one appended batch; `bounds[i]` = the card count before batch i+1.
  const state = { bounds: [0], current: 1, done: false };
  const moreControl = (doc) => {
    const hooked = doc.querySelector('[data-pl="order_more"] button, button[data-pl="order_more"]');
    if (hooked && D.isVisible(hooked)) return hooked;
    return Array.from(doc.querySelectorAll('button, a, [role=button]'))
      .find((el) => TEXT.more.test(D.text(el)) && D.isVisible(el) && !inDialog(el)) || null;
  };
  const loading = (doc) => P.lines(doc.body).some((l) => TEXT.loading.test(l));
  const empty = (doc) => P.lines(doc.body).some((l) => TEXT.empty.includes(l));

  function batch(doc, n = state.current) {
    const all = cards(doc);
    const from = state.bounds[n - 1] || 0;
    const to = n < state.bounds.length ? state.bounds[n] : all.length;
    return all.slice(from, to);
  }

  async function waitForCards(doc, timeout = 15000) {
    return D.waitFor(() => (cards(doc).length || empty(doc)) && !loading(doc), timeout, doc);
  }

  // The coupon notice over the list on load: closed as a person does (its close control).
  async function dismissBlockers(doc) {
    for (const d of P.dialogs(doc, { exclude: '#danhao-panel-host' })) {
      const btn = P.closeControl(d) || P.findButton(d, 'dismiss');
      if (!btn) continue;
      P.pointerClick(btn);
      await D.waitFor(() => !d.isConnected || !D.isVisible(d), 3000, doc);
    }
  }

  function pageInfo() {
    return { current: state.current, total: state.done ? state.bounds.length : null };
  }

  function scrollToBatch(doc) {
    const first = batch(doc)[0];
    if (state.current === 1) doc.defaultView.scrollTo(0, 0);
    else if (first) first.el.scrollIntoView({ block: 'start' });
  }

  async function nextPage(doc) {
    if (state.current < state.bounds.length) { state.current += 1; scrollToBatch(doc); return true; }
    await waitForCards(doc);
    const more = moreControl(doc);
    if (!more) { state.done = true; return false; }
    await dismissBlockers(doc);
    const before = cards(doc).length;
    P.pointerClick(more);
    const grew = await D.waitFor(() => cards(doc).length > before && !loading(doc), 15000, doc);
    if (!grew) return false;
    state.bounds.push(before);
    state.current = state.bounds.length;
    return true;
  }

  /** Back to batch `n` (loaded cards stay in the DOM): the list scrolls there. */
  async function goToPage(doc, n) {
    if (n < 1 || n > state.bounds.length) return false;
    state.current = n;
    scrollToBatch(doc);
    return true;
  }

  // --- the tracking page ---------------------------------------------------------------------
  const isTrack = (url) => { const u = new URL(url); return u.hostname === 'track.aliexpress.com' && u.pathname === '/logisticsdetail.htm'; };

  /** The order the tracking page is about: its JSON's tradeId, else the page address's tradeId. */
  function detailOrderId(doc) {
    const rp = inlineObject(doc, 'runParams');
    const id = rp && rp.data && rp.data.tradeId != null ? String(rp.data.tradeId) : new URL(doc.location.href).searchParams.get('tradeId');
    return id && /^\d{12,20}$/.test(id) ? id : null;
  }

  /** From the page JSON: {packages, problem}; packages null when the JSON names no number field it knows. */
  function trackFromJson(doc) {
    const rp = inlineObject(doc, 'runParams');
    const list = rp && rp.data && Array.isArray(rp.data.packages) ? rp.data.packages : null;
    if (!list) return { packages: null, problem: 'logisticsdetail 页面数据读不到 packages / the tracking page JSON has no packages' };
    const packages = [];
    for (const p of list) {
      if (!TRACK.numbers.some((n) => n.field in p)) {
        return { packages: null, problem: `物流页数据缺少单号字段 / tracking page JSON lacks ${TRACK.numbers.map((n) => n.field).join(', ')}` };
      }
      for (const n of TRACK.numbers) {
        const v = p[n.field];
        if (typeof v === 'string' && v) packages.push({ kind: n.kind, courier_text: String(n.courier(p) || ''), tracking: v });
      }
    }
    return { packages, problem: null };
  }

  /**
   * From what the page shows: per parcel (`.tracking-module`, `span.title-eclp` = its service:
   * class names the evidence names, refs 46530980410, 43458292092), every row whose label names a
   * number, classified by the label's meaning. → {packages, problem}.
   */
  function trackFromDom(doc) {
    const modules = Array.from(doc.querySelectorAll('.tracking-module'));
    const packages = [];
    let withoutTracking = 0;            // parcels shown with a number but none read as the 运单号
    for (const mod of modules) {
      const before = packages.length;
      const titleEl = mod.querySelector('.title-eclp');
      const service = titleEl ? D.text(titleEl) : (P.lines(mod)[0] || '');
      for (const label of mod.querySelectorAll('span, div, label, dt, th')) {
        const own = D.ownText(label);
        if (!own || !/[:：]$/.test(own) || label.children.length) continue;
        const kind = (LABEL_KINDS.find((k) => k.re.test(own)) || {}).kind;
        if (!kind) continue;
        const row = label.parentElement;
        const after = P.lines(row).slice(P.lines(row).indexOf(own) + 1);
        const number = after[0] || '';
        if (!NUMBER.test(number)) return { packages: null, problem: `物流页“${own}”后不是单号 / no number after "${own}"` };
        const bracket = after.slice(1).map((l) => /^\((.+)\)$/.exec(l)).find(Boolean);
        packages.push({ kind, courier_text: kind === 'last_mile' ? (bracket ? D.norm(bracket[1]) : '') : service, tracking: number });
      }
      const mine = packages.slice(before);
      if (mine.length && !mine.some((p) => p.kind === 'tracking')) withoutTracking += 1;
    }
    return { packages, problem: null, withoutTracking, parcels: modules.filter((m) => !TEXT.noTracking.test(D.text(m))).length };
  }

  async function waitForTrack(doc) {
    return D.waitFor(() => doc.querySelector('.tracking-module') || P.lines(doc.body).some((l) => TEXT.noTracking.test(l)), 15000, doc);
  }

  /**
   * logisticsdetail.htm → {order, notes, problem}. `order` = {order_id, packages: [{kind,
   * courier_text, tracking}]} (every number the page shows, parcel by parcel, in page order; []
   * when the page shows none). The page JSON is read first; a JSON whose number fields are gone
   * is a note (reply_changed) and the page's rows are read; when their labels name no number either,
   * the site's saved patch (指给我看, DanhaoPointing.detailValue) gives the first-mile number as the
   * page shows it (one `tracking` package, the first parcel's service). A page that shows a parcel but no
   * readable number → `problem` (page changed) and no `packages` key: never a package without a number.
   */
  async function extractDetail(doc) {
    await waitForTrack(doc);
    const order = { order_id: detailOrderId(doc) || '' };
    const notes = [];
    let problem = null;
    const json = trackFromJson(doc);
    let packages = json.packages;
    if (!packages) {
      notes.push(json.problem);
      const dom = trackFromDom(doc);
      packages = dom.packages;
      // Neither gives a number: the saved patch (the row the person pointed at), as the page shows it.
      const patched = packages && !packages.length && dom.parcels && globalThis.DanhaoPointing
        ? globalThis.DanhaoPointing.detailValue(doc, SITE, 'tracking', order.order_id) : '';
      if (patched) packages = [{ kind: 'tracking', courier_text: D.text(doc.querySelector('.tracking-module .title-eclp') || doc.createElement('i')), tracking: patched }];
      if (!packages) problem = P.pageChanged(dom.problem, 'no readable number on the tracking page').message;
      else if (dom.parcels && !packages.length) {
        problem = P.pageChanged('物流页显示包裹，但读不到运单号', 'the tracking page shows a parcel but no readable number').message;
        packages = null;
      } else if (dom.withoutTracking) {
        // Other numbers of a parcel were read but not its 运单号: what was read is sent, and the
        // missing one is reported — a number is never silently dropped.
        problem = P.pageChanged(`物流页有 ${dom.withoutTracking} 个包裹读不到运单号`, `${dom.withoutTracking} parcel(s) show no readable first-mile number`).message;
      }
    }
    if (packages) order.packages = packages;
    if (!order.order_id) problem = P.pageChanged('物流页找不到订单号', 'no order id on the tracking page').message;
    return { order, notes, problem };
  }

  // --- adapter --------------------------------------------------------------------------------
  async function extractVia(doc, source) {
    if (isTrack(doc.location.href)) {
      await waitForTrack(doc);
      const r = source === 'dom' ? trackFromDom(doc) : trackFromJson(doc);
      const id = detailOrderId(doc);
      return { orders: r.packages ? [{ order_id: id, packages: r.packages }] : null, source,
        problem: r.problem ? P.pageChanged(r.problem, 'tracking page').message : null };
    }
    await waitForCards(doc);
    if (source === 'dom') return { orders: batch(doc).map(readCard), source };
    const ids = batch(doc).map((c) => c.id);
    let reply = readReply(doc, ids);
    if (!reply.orders && !reply.problem && globalThis.DanhaoPageData) {
      await globalThis.DanhaoPageData.next(SITE, 'orderList', () => true, 1000);
      reply = readReply(doc, ids);
    }
    return { orders: reply.orders, source, problem: reply.problem };
  }

  async function extract(doc) {
    if (isTrack(doc.location.href)) {
      const r = await extractDetail(doc);
      if (!r.order.order_id || r.problem) throw P.pageChanged('物流页读不到单号', 'no readable number on this tracking page');
      return { orders: [r.order], pages: { current: 1, total: 1 }, source: r.notes.length ? 'dom' : 'reply', notes: r.notes };
    }
    await waitForCards(doc);
    if (!batch(doc).length && !empty(doc)) throw P.pageChanged('订单列表找不到订单链接', 'no order link found on My orders');
    const reply = await extractVia(doc, 'reply');
    const orders = reply.orders || batch(doc).map(readCard);
    if (orders.some((o) => !o.status || !o.supplier)) {
      throw P.pageChanged('订单列表读不到状态或店铺', 'My orders shows no readable status or store');
    }
    return { orders, pages: pageInfo(doc), source: reply.orders ? 'reply' : 'dom', notes: reply.problem ? [reply.problem] : [] };
  }

  /** The card's own "Track order" link (absolute), null when the card has none. Never built. */
  function detailPageUrl(doc, orderId) {
    const card = cards(doc).find((c) => c.id === orderId);
    if (!card) return null;
    const a = Array.from(card.el.querySelectorAll('a[href]')).find((x) => TEXT.track.test(D.text(x)));
    return a ? a.href : null;
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (u.hostname === 'www.aliexpress.com' && u.pathname === '/p/order/index.html') return { kind: 'purchase-list', rows: cards(doc).length };
    if (isTrack(url)) return { kind: 'purchase-detail', rows: 1 };
    return { kind: null, rows: 0 };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'aliexpress-buyer',
    side: 'supplier',
    matches: ['https://www.aliexpress.com/p/order/index.html*', 'https://track.aliexpress.com/logisticsdetail.htm*'],
    detect, extract, extractVia, nextPage, goToPage, pageInfo,
    detailPageUrl, extractDetail, detailOrderId,
    needsDetail: (o) => SHIPPED.test(o.status || ''),
  });
})();
