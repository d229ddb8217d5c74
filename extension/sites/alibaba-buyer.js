// 1688 已买到的货品: purchase orders with the courier text and 运单号 of each package.
// Since 2024 the list lives at air.1688.com/app/ctf-page/trade-order-list/ (trade.1688.com
// answers 302) and is drawn by Lit web components several shadow roots deep; the older list
// (trade.1688.com, ?oldBuyerOrderList=y) is still served. Both are read here.
//
// Two ways to read, same result: the mtop reply the page itself receives (copied by the page
// observer) when it covers the orders on screen, else the page's text, read by meaning: the
// 订单号 label, 收货人, prices and counts, package lines "<物流名>：<单号>". Class words
// (price, company, status) are hints that help, never the only way.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const N = globalThis.DanhaoNormalize;
  const P = globalThis.DanhaoPage;
  const SITE = 'alibaba-buyer';

  // mtop.1688.trading.dataline.service (OrderListDataLineService.buyerOrderList) → MODEL.md
  // purchase order. `data.data.result` is a JSON string; its `data.data[]` are the orders;
  // money in fen (captures 2026: refs 58605044079, 59668969671). Fields marked (unverified)
  // were not in any public capture: read when present, else the page's text fills them.
  const REPLY = {
    orders(reply) {
      if (!reply || !Array.isArray(reply.ret) || !String(reply.ret[0] || '').startsWith('SUCCESS')) return null;
      let result = reply.data && reply.data.data && reply.data.data.result;
      if (typeof result === 'string') { try { result = JSON.parse(result); } catch (e) { return null; } }
      const list = result && result.data && result.data.data;
      return Array.isArray(list) ? list : null;
    },
    required: ['idStr', 'sellerInfo', 'orderEntries'],
    order: {
      order_id: (r) => String(r.idStr),
      supplier: (r) => (r.sellerInfo && r.sellerInfo.companyName) || undefined,
      status: (r) => r.statusLabel || undefined,
      items: (r) => (r.orderEntries || []).map((e) => ({
        title: String(e.productName || ''),
        quantity: parseInt((e.quantity && e.quantity.realAmountStr) || e.quantity, 10) || 1,
        price: fen(e.price),
      })),
      remark: (r) => (typeof r.remark === 'string' ? r.remark : undefined),                  // (unverified)
      ship_to: (r) => {                                                                          // (unverified), masked
        const x = r.receiverInfo;
        if (!x) return undefined;
        return { name: String(x.toFullName || ''), phone: String(x.toMobile || ''),
          address: { province: String(x.toProvince || ''), city: String(x.toCity || ''),
            district: String(x.toArea || ''), detail: String(x.toAddress || '') } };
      },
      packages: (r) => {                                                                         // (unverified)
        if (!Array.isArray(r.logisticsOrderList)) return undefined;
        if (r.logisticsOrderList.some((p) => !('mailNo' in p))) return null;                     // shape changed
        return r.logisticsOrderList.map((p) => ({ courier_text: String(p.logisticsCompanyName || ''), tracking: String(p.mailNo || '') }));
      },
    },
  };

  const TEXT = {
    // "订单号", never "下游订单号" (a 代发 order's downstream id) or another word ending in 订单号.
    orderId: /^订单(?:编)?号\s*[：:]?\s*(\d{12,22})?$/,
    orderIdInline: /(?<![\u4e00-\u9fff])订单(?:编)?号\s*[：:]?\s*(\d{12,22})/,
    receiver: /^(?:收货人|收件人)\s*[：:]\s*(.*)$/,
    address: /^(?:收货地址|地址)\s*[：:]\s*(.*)$/,
    remark: /^(?:买家留言|买家备注|备注)\s*[：:]\s*(.*)$/,
    courierLabel: /^(?:物流公司|快递公司|承运商)\s*[：:]\s*(.*)$/,
    trackingLabel: /^(?:运单号码|运单号|快递单号|物流单号)\s*[：:]\s*(.*)$/,
    // A package line's name: a courier brand, or 其他 (self-pickup).
    courierWord: /(快递|速递|速运|物流|快运|邮政|EMS|express|极兔|顺丰|京东|德邦|中通|圆通|韵达|申通|百世|丰网|众邮|安能|跨越|优速|宅急送|天天|国通|菜鸟|其他)/i,
    trackingLike: /^[A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９，,、\s-]{5,}$/,
    gluedDate: /\d{4}-\d{2}-\d{2}.*$/,          // "73101610087325" + "2026-11-25 10:22…" shown without a gap
    company: /(公司|厂|商行|经营部|工作室|批发部|旗舰店|专营店|贸易|工厂)$/,
    empty: ['暂无订单', '没有找到', '没有符合条件的订单', '暂无数据'],
  };
  const ORDER_STATUSES = ['待付款', '待发货', '待收货', '已完成', '交易成功', '交易关闭', '已取消', '退款中',
    '等待买家付款', '等待卖家发货', '等待买家收货', '已收货', '已发货'];
  const HINTS = {
    status: '[class*="order-status" i]',
    company: '[class*="company" i]:not([class*="logistic" i]):not([class*="express" i])',
    title: '[class*="product-name" i], [class*="title" i]:not([class*="subtitle" i])',
    pagerNext: '[class*="page-next" i], [class*="pagination-next" i], [aria-label="下一页"], [title="下一页"]',
    memo: '[initialvalues]',
  };
  const PHONE_RE = /^(?:\+?86[-\s]?)?1\d{2}[\d*]{4}\d{4}$|^\d{3,4}-?[\d*]{7,8}$/;
  const REGION_RE = /省|自治区|特别行政区|^(?:北京|上海|天津|重庆)/;
  const PRICE_RE = /^[¥￥]\s*(-?[\d,]+(?:\.\d{1,2})?)$/;
  const QTY_RE = /^[x×X*]?\s*(\d{1,5})$/;

  function fen(v) {
    if (v === '' || v == null || !Number.isFinite(Number(v))) return '';
    const n = Math.round(Number(v));
    return `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;
  }

  // --- the page's text ---------------------------------------------------------------
  // Lines as rendered, with the separators components draw apart put back together:
  // ["颜色", "：", "白色"] → "颜色：白色", ["¥", "8.50"] → "¥8.50", ["订单号：", "3912…"] kept apart.
  function textLines(root) {
    const raw = P.lines(root);
    const out = [];
    for (let i = 0; i < raw.length; i += 1) {
      const l = raw[i];
      if ((l === '：' || l === ':') && out.length && i + 1 < raw.length) { out[out.length - 1] += `：${raw[++i]}`; continue; }
      if ((l === '¥' || l === '￥') && i + 1 < raw.length) { out.push(`¥${raw[++i]}`); continue; }
      out.push(l);
    }
    return out;
  }

  // An order's id: "订单号" and the number on one line or two.
  function idIn(lines) {
    for (let i = 0; i < lines.length; i += 1) {
      const m = TEXT.orderIdInline.exec(lines[i]);
      if (m) return m[1];
      if (TEXT.orderId.test(lines[i]) && /^\d{12,22}$/.test(lines[i + 1] || '')) return lines[i + 1];
    }
    return null;
  }
  const idCount = (lines) => lines.filter((l, i) => TEXT.orderIdInline.test(l)
    || (TEXT.orderId.test(l) && /^\d{12,22}$/.test(lines[i + 1] || ''))).length;

  // One element per order: the outermost component (shadow host) whose text holds exactly one
  // order id. No tag or class name is assumed (q-order-card, order-item, …).
  function orderCards(doc) {
    const hosts = P.allElements(doc).filter((el) => el.shadowRoot);
    const single = [];
    for (const h of hosts) {
      const lines = textLines(h);
      if (idCount(lines) === 1) single.push({ el: h, id: idIn(lines), lines });
    }
    return single.filter((c) => !single.some((o) => o !== c && P.composedContains(o.el, c.el)));
  }

  const deepFirst = (root, selector) => P.allElements(root).filter((el) => el.matches(selector) && D.isVisible(el));

  function statusOf(card) {
    const hinted = deepFirst(card.el, HINTS.status).map((el) => P.lines(el)[0]).find((t) => ORDER_STATUSES.includes(t));
    if (hinted) return hinted;
    const found = card.lines.filter((l) => ORDER_STATUSES.includes(l));
    return found.find((l) => l !== '已发货') || found[0] || '';
  }

  function supplierOf(card) {
    // A labelled text ("物流公司：…") is a field of its own, not the seller's name.
    const hinted = deepFirst(card.el, HINTS.company).map((el) => D.norm(P.deepText(el))).find((t) => t && !/[：:]/.test(t));
    if (hinted) return hinted;
    const named = card.lines.find((l) => TEXT.company.test(l) && !l.includes('：'));
    if (named) return named;
    // Older list: the first plain line after the order id.
    const at = card.lines.findIndex((l) => TEXT.orderIdInline.test(l) || TEXT.orderId.test(l));
    return card.lines.slice(at + 1).find((l) => !/[：:]/.test(l) && !ORDER_STATUSES.includes(l) && !/^\d/.test(l)) || '';
  }

  function shipToOf(lines) {
    const at = lines.findIndex((l) => TEXT.receiver.test(l));
    if (at < 0) return { name: '', phone: '', address: N.address('') };
    const inline = TEXT.receiver.exec(lines[at])[1];
    const after = lines.slice(at + 1, at + 6);
    const name = inline || after.shift() || '';
    const phone = after.find((l) => PHONE_RE.test(l)) || '';
    const addrLine = after.map((l) => (TEXT.address.exec(l) || [null, l])[1]).find((l) => REGION_RE.test(l)) || '';
    return { name, phone, address: N.address(addrLine) };
  }

  function remarkOf(card) {
    for (const el of P.allElements(card.el).filter((e) => e.hasAttribute('initialvalues'))) {
      try {
        const v = JSON.parse(el.getAttribute('initialvalues'));
        if (v && typeof v.remark === 'string') return v.remark;
      } catch (e) { /* not JSON */ }
    }
    const line = card.lines.map((l) => TEXT.remark.exec(l)).find(Boolean);
    return line ? D.norm(line[1]) : '';
  }

  // Items: each unit price followed by a count is one item; titles come from the elements
  // that name a product, else the nearest plain line above the price.
  function itemsOf(card) {
    const ls = card.lines;
    const anchors = [];
    for (let i = 0; i < ls.length; i += 1) {
      const p = PRICE_RE.exec(ls[i]);
      const q = p && QTY_RE.exec(ls[i + 1] || '');
      if (p && q) anchors.push({ at: i, price: N.money(p[1]), quantity: Number(q[1]) });
    }
    const titles = deepFirst(card.el, HINTS.title).map((el) => D.norm(P.deepText(el))).filter(Boolean);
    return anchors.map((a, k) => {
      let title = titles.length === anchors.length ? titles[k] : '';
      for (let j = a.at - 1; !title && j >= 0; j -= 1) {
        const l = ls[j];
        if (/[：:]/.test(l) || PRICE_RE.test(l) || QTY_RE.test(l) || ORDER_STATUSES.includes(l)) continue;
        title = l;
      }
      return { title, quantity: a.quantity, price: a.price };
    });
  }

  // Packages: "物流公司：…" + "运单号码：…" (older list) or "<物流名>：<单号>" lines (2024 list),
  // values raw as shown (several numbers in one field and full-width digits stay as they are).
  function packagesOf(lines) {
    const out = [];
    let pending = null;
    for (const l of lines) {
      let m;
      if ((m = TEXT.courierLabel.exec(l))) { pending = { courier_text: D.norm(m[1]), tracking: '' }; out.push(pending); continue; }
      if ((m = TEXT.trackingLabel.exec(l))) {
        if (!pending || pending.tracking) { pending = { courier_text: '', tracking: '' }; out.push(pending); }
        pending.tracking = D.norm(m[1]);
        pending = null;
        continue;
      }
      m = /^([^：:]{1,16})[：:]\s*(.+)$/.exec(l);
      if (!m || !TEXT.courierWord.test(m[1])) continue;
      const value = D.norm(m[2].replace(TEXT.gluedDate, ''));
      if (TEXT.trackingLike.test(value) || m[1] === '其他') out.push({ courier_text: D.norm(m[1]), tracking: value });
    }
    return out.filter((p) => p.courier_text || p.tracking);
  }

  function readCard(card) {
    return {
      order_id: card.id,
      supplier: supplierOf(card),
      status: statusOf(card),
      ship_to: shipToOf(card.lines),
      items: itemsOf(card),
      remark: remarkOf(card),
      packages: packagesOf(card.lines),
    };
  }

  const readDom = (doc) => orderCards(doc).map(readCard);

  // --- the page's reply ---------------------------------------------------------------------
  /** {orders, problem}: the reply's view of exactly `ids` (screen order), merged over the DOM's. */
  function readReply(dom) {
    const PD = globalThis.DanhaoPageData;
    const ids = dom.map((o) => o.order_id);
    if (!PD || !ids.length) return { orders: null, problem: null };
    for (const entry of PD.replies(SITE, 'orderList').reverse()) {
      const list = REPLY.orders(entry.data);
      if (!list) continue;
      const missing = REPLY.required.filter((k) => list.length && !(k in list[0]));
      if (missing.length) return { orders: null, problem: `mtop 订单列表缺少字段 / reply lacks ${missing.join(', ')}` };
      const byId = new Map(list.map((r) => [String(r.idStr), r]));
      if (!ids.every((id) => byId.has(id))) continue;
      const orders = [];
      for (let i = 0; i < ids.length; i += 1) {
        const mapped = {};
        for (const [key, fn] of Object.entries(REPLY.order)) mapped[key] = fn(byId.get(ids[i]));
        if (mapped.packages === null) return { orders: null, problem: 'mtop 订单列表的运单字段已变 / reply tracking fields changed' };
        const o = { ...dom[i] };
        for (const [k, v] of Object.entries(mapped)) if (v !== undefined) o[k] = v;
        orders.push(o);
      }
      return { orders, problem: null };
    }
    return { orders: null, problem: null };
  }

  async function replyFor(dom) {
    const PD = globalThis.DanhaoPageData;
    return PD && dom.length ? PD.settled(SITE, 'orderList', () => readReply(dom)) : readReply(dom);
  }

  // --- page state -------------------------------------------------------------------------
  const isEmpty = (doc) => TEXT.empty.some((t) => P.deepText(doc.body).includes(t));

  async function waitForCards(doc, timeout = 15000) {
    return D.waitFor(() => orderCards(doc).length > 0 || isEmpty(doc), timeout, doc);
  }

  function pageInfo(doc) {
    for (const l of P.lines(doc.body)) {
      const m = /^(?:第\s*)?(\d+)\s*\/\s*(\d+)\s*(?:页)?/.exec(l);
      if (m && !/\d{4}/.test(l)) return { current: Number(m[1]), total: Number(m[2]) };
    }
    return { current: 1, total: null };
  }

  // The next-page control: a pager's next element (shadow roots included) or a 下一页 button.
  function nextControl(doc) {
    const hinted = P.allElements(doc).find((el) => el.matches(HINTS.pagerNext) && D.isVisible(el));
    const host = hinted || P.findButton(doc, ['下一页']);
    if (!host) return null;
    // A component whose shadow holds the real control (q-button → div.q-button / button).
    const inner = host.shadowRoot && host.shadowRoot.querySelector('button, [role=button], [class*="button" i], a');
    return { el: inner || host, host };
  }
  const disabled = (c) => [c.el, c.host].some((el) => el.disabled || el.hasAttribute('disabled')
    || el.getAttribute('aria-disabled') === 'true' || /disabled/i.test(el.getAttribute('class') || ''));

  async function nextPage(doc) {
    const next = nextControl(doc);
    if (!next || disabled(next)) return false;
    const before = orderCards(doc).map((c) => c.id).join(',');
    P.pointerClick(next.el);
    return Boolean(await D.waitFor(() => {
      const ids = orderCards(doc).map((c) => c.id).join(',');
      return ids && ids !== before;
    }, 15000, doc));
  }

  async function goToPage(doc, n) {
    for (let guard = 0; guard < 200 && pageInfo(doc).current !== n; guard += 1) {
      const cur = pageInfo(doc).current;
      const prev = P.allElements(doc).find((el) => el.matches('[class*="page-prev" i], [class*="pagination-prev" i], [aria-label="上一页"]') && D.isVisible(el))
        || P.findButton(doc, ['上一页']);
      const target = cur > n ? prev && { el: (prev.shadowRoot && prev.shadowRoot.querySelector('button, [class*="button" i], a')) || prev, host: prev } : nextControl(doc);
      if (!target || disabled(target)) return false;
      const before = orderCards(doc).map((c) => c.id).join(',');
      P.pointerClick(target.el);
      const moved = await D.waitFor(() => { const ids = orderCards(doc).map((c) => c.id).join(','); return ids && ids !== before; }, 15000, doc);
      if (!moved) return false;
    }
    return pageInfo(doc).current === n;
  }

  // --- adapter ------------------------------------------------------------------------------
  async function extract(doc) {
    await waitForCards(doc);
    const dom = readDom(doc);
    if (!dom.length && !isEmpty(doc)) {
      const seen = globalThis.DanhaoPageData && globalThis.DanhaoPageData.latest(SITE, 'orderList');
      const list = seen && REPLY.orders(seen.data);
      if (list && list.length) throw P.pageChanged(`页面有 ${list.length} 个采购单，但找不到订单号`, `the page has ${list.length} orders but no 订单号 was found`);
    }
    const reply = await replyFor(dom);
    return { orders: reply.orders || dom, pages: pageInfo(doc), source: reply.orders ? 'reply' : 'dom',
      notes: reply.problem ? [reply.problem] : [] };
  }

  async function extractVia(doc, source) {
    await waitForCards(doc);
    const dom = readDom(doc);
    if (source === 'dom') return { orders: dom, source };
    const reply = await replyFor(dom);
    return { orders: reply.orders, source, problem: reply.problem };
  }

  function detect(doc, url) {
    const u = new URL(url);
    const list = u.pathname.startsWith('/order/buyer_order_list') || u.pathname.startsWith('/app/ctf-page/trade-order-list/');
    if (!list) return { kind: null, rows: 0 };
    return { kind: 'purchase-list', rows: orderCards(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'alibaba-buyer',
    side: 'supplier',
    matches: ['https://trade.1688.com/order/buyer_order_list*', 'https://air.1688.com/app/ctf-page/trade-order-list/*'],
    detect, extract, extractVia, nextPage, goToPage, pageInfo,
  });
})();
