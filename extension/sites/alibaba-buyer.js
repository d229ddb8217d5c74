// 1688 已买到的货品 (trade.1688.com/order/buyer_order_list.htm): read purchase orders with
// the courier text and 运单号 of each package. The newest list is built from web
// components with open shadow roots (q-order-card, q-button), so reading walks into
// shadowRoot; labels ("订单号：", "运单号码：") are the stable anchors.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const N = globalThis.DanhaoNormalize;

  const SEL = {
    card: 'q-order-card',
    button: 'q-button',
  };
  const LABEL = {
    orderId: '订单号：',
    receiver: '收货人：',
    address: '收货地址：',
    remark: '买家留言：',
    courier: '物流公司：',
    tracking: '运单号码：',
    next: '下一页',
  };
  const STATUSES = ['等待买家付款', '等待卖家发货', '等待买家收货', '已发货', '交易成功', '交易关闭', '已收货', '退款中'];
  const EMPTY = ['暂无订单', '没有找到', '没有符合条件的订单', '暂无数据'];
  const PHONE_RE = /^\+?[\d*\s-]{7,}$/;
  const PRICE_RE = /^[¥￥]\s*\d/;
  const QTY_RE = /^[x×X]\s*(\d+)$/;

  const cards = (doc) => D.deepQueryAll(doc, SEL.card).filter((c) => c.shadowRoot);

  // Text lines of a subtree in document order, through nested open shadow roots.
  function lines(root) {
    const out = [];
    const walk = (node) => {
      const kids = node.shadowRoot ? [node.shadowRoot, ...node.childNodes] : node.childNodes;
      for (const n of kids) {
        if (n.nodeType === Node.TEXT_NODE) { const t = D.norm(n.nodeValue); if (t) out.push(t); }
        else if (n.nodeType === Node.DOCUMENT_FRAGMENT_NODE) walk(n);
        else if (n.nodeType === Node.ELEMENT_NODE && !['SCRIPT', 'STYLE', 'TEMPLATE'].includes(n.tagName)) walk(n);
      }
    };
    walk(root);
    // A label and its value may be split over two nodes ("运单号码：" + "7301…"); an empty
    // label ("买家留言：" with no text) must not swallow the next label.
    const merged = [];
    for (const l of out) {
      const prev = merged[merged.length - 1];
      if (prev && /：$/.test(prev) && !/：/.test(l)) merged[merged.length - 1] = prev + l; else merged.push(l);
    }
    return merged;
  }

  const valueOf = (line, label) => D.norm(line.slice(line.indexOf(label) + label.length));

  const isLabel = (l) => /：/.test(l);   // fullwidth colon: 1688's labels; SKU text uses ':'

  // An item: title, optional SKU line, price (¥8.50) and quantity (x1). Walk back from each
  // quantity over price and text lines to the previous label, status or item.
  function parseItems(ls) {
    const items = [];
    for (let i = 0; i < ls.length; i++) {
      const q = QTY_RE.exec(ls[i]);
      if (!q) continue;
      let price = '';
      const texts = [];
      for (let j = i - 1; j >= 0; j--) {
        const l = ls[j];
        if (QTY_RE.test(l) || isLabel(l) || STATUSES.includes(l)) break;
        if (PRICE_RE.test(l)) { if (!price) price = N.money(l); continue; }
        texts.unshift(l);
      }
      if (!price && PRICE_RE.test(ls[i + 1] || '')) price = N.money(ls[i + 1]);
      items.push({ title: texts[0] || '', quantity: Number(q[1]), price });
    }
    return items;
  }

  function parseCard(card) {
    const root = card.shadowRoot;
    const ls = lines(root);
    const find = (label) => ls.find((l) => l.includes(label));
    const idLine = find(LABEL.orderId);
    const order_id = idLine ? (valueOf(idLine, LABEL.orderId).match(/\d{6,}/) || [''])[0] : '';

    // The supplier name has no label: it is the first plain line after the order id
    // (not a label such as 下单时间：, not a status).
    const at = ls.indexOf(idLine);
    const supplier = ls.slice(at + 1).find((l) => !isLabel(l) && !STATUSES.includes(l) && !/^\d{4}-\d{2}-\d{2}/.test(l)) || '';
    const status = ls.find((l) => STATUSES.includes(l)) || '';

    const rcvLine = find(LABEL.receiver);
    const name = rcvLine ? valueOf(rcvLine, LABEL.receiver) : '';
    const rcvAt = ls.indexOf(rcvLine);
    const phone = rcvAt >= 0 ? (ls.slice(rcvAt + 1, rcvAt + 3).find((l) => PHONE_RE.test(l)) || '') : '';
    const addrLine = find(LABEL.address);
    const remarkLine = find(LABEL.remark);

    // Packages: each 物流公司 line pairs with the next 运单号码 line; a package may lack either.
    const packages = [];
    let cur = null;
    for (const l of ls) {
      if (l.startsWith(LABEL.courier)) { cur = { courier_text: valueOf(l, LABEL.courier), tracking: '' }; packages.push(cur); }
      else if (l.startsWith(LABEL.tracking)) {
        if (!cur || cur.tracking) { cur = { courier_text: '', tracking: '' }; packages.push(cur); }
        cur.tracking = valueOf(l, LABEL.tracking);
        cur = null;
      }
    }

    return {
      order_id,
      supplier,
      status,
      ship_to: { name, phone, address: N.address(addrLine ? valueOf(addrLine, LABEL.address) : '') },
      items: parseItems(ls),
      remark: remarkLine ? valueOf(remarkLine, LABEL.remark) : '',
      packages: packages.filter((p) => p.courier_text || p.tracking),
    };
  }

  const isEmpty = (doc) => EMPTY.some((t) => D.text(doc.body).includes(t));

  function nextButton(doc) {
    const host = D.deepQueryAll(doc, SEL.button).find((b) => D.text(b) === LABEL.next || lines(b).includes(LABEL.next));
    if (!host) return null;
    const inner = host.shadowRoot && host.shadowRoot.querySelector('button');
    return { host, inner, disabled: Boolean((inner && inner.disabled) || host.hasAttribute('disabled')) };
  }

  async function extract(doc) {
    await D.waitFor(() => cards(doc).some((c) => lines(c.shadowRoot).some((l) => l.startsWith(LABEL.orderId))) || isEmpty(doc), 15000, doc);
    const orders = cards(doc).map(parseCard).filter((o) => o.order_id);
    return { orders, pages: { current: null, total: null } };
  }

  async function nextPage(doc) {
    const next = nextButton(doc);
    if (!next || next.disabled) return false;
    const before = cards(doc).map((c) => parseCard(c).order_id).join(',');
    D.click(next.inner || next.host);
    return Boolean(await D.waitFor(() => {
      const ids = cards(doc).map((c) => parseCard(c).order_id).join(',');
      return ids && ids !== before;
    }, 15000, doc));
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (!u.pathname.startsWith('/order/buyer_order_list')) return { kind: null, rows: 0 };
    return { kind: 'purchase-list', rows: cards(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'alibaba-buyer',
    side: 'supplier',
    matches: ['https://trade.1688.com/order/buyer_order_list*', 'https://air.1688.com/app/ctf-page/trade-order-list/*'],
    detect, extract, nextPage,
  });
})();
