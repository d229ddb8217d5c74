// 拼多多商家后台 order list (mms.pinduoduo.com/orders/list): read the orders, read the
// courier options of the 发货 dialog, fill the dialog one order at a time.
// beast-core class names churn with every release (TB_tableWrapper_5-188-0 → _15w5x36),
// so everything below keys on data-testid, placeholders and visible label text.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const N = globalThis.DanhaoNormalize;

  const SEL = {
    tbody: 'tbody[data-testid="beast-core-table-middle-tbody"]',
    modal: '[data-testid="beast-core-modal"]',
    modalBody: '[data-testid="beast-core-modal-body"]',
    formItem: '[data-testid="beast-core-form-item"]',
    selectInput: 'input[data-testid="beast-core-select-htmlInput"]',
    textInput: 'input[data-testid="beast-core-input-htmlInput"]',
    pagerNext: '[data-testid="beast-core-pagination-next"]',
    button: 'button, [data-testid="beast-core-button"], [role="button"]',
    dropdown: { panel: '[role="listbox"]', option: '[role="option"]' },
    panelHost: '#danhao-panel-host',
  };
  const TEXT = {
    orderId: '订单编号：',
    createdAt: '订单成交时间：',
    shipBy: '承诺发货时间：',
    merchantCode: '商家编码：',
    shipButton: '发货',
    confirm: '确认发货',
    cancel: '取消',
    selfShipTab: '自己联系物流',
    courierPlaceholder: '请选择物流公司',
    numberPlaceholder: '请输入运单号',
    courierLabel: '物流公司',
    numberLabel: '运单号',
    pending: '待发货',
    shipped: '已发货',
    promoClose: ['知道了', '我知道了', '关闭', '暂不'],
    empty: ['暂无数据', '暂无订单'],
  };
  const STATUSES = ['待发货', '已发货', '待收货', '已收货', '已签收', '已取消', '交易成功', '交易关闭', '待付款', '售后中', '待成团'];
  const COLUMNS = { item: ['商品'], quantity: ['数量'], goods: ['商品总价'], paid: ['实收金额'], status: ['订单状态', '状态'], receiver: ['收货信息', '收货人'], shop: ['店铺'] };
  const ORDER_ID_RE = /订单编号[：:]\s*([0-9A-Za-z-]{6,})/;
  const TIME_RE = (label) => new RegExp(label.replace('：', '[：:]') + '\\s*(\\d{4}[-/]\\d{1,2}[-/]\\d{1,2}\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)');
  const DETAIL_URL = (id) => `https://mms.pinduoduo.com/orders/detail?sn=${id}`;

  // --- reading the list ---------------------------------------------------------------
  const inOverlay = (el) => Boolean(el.closest(SEL.modal) || el.closest(SEL.panelHost));

  // The innermost elements carrying "订单编号：" outside dialogs: one per order block.
  // Walks text nodes, not elements: asking every element for its textContent costs the whole
  // page's text per ancestor, which on a 500-row page made each lookup take tens of ms.
  function orderHeads(doc) {
    const heads = [];
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.data.includes(TEXT.orderId) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el && !inOverlay(el) && heads[heads.length - 1] !== el) heads.push(el);
    }
    return heads;
  }

  // Order blocks carry no hook on real PDD: climb from the head to the element that also
  // holds the item table.
  function orderBlocks(doc) {
    const blocks = [];
    for (const head of orderHeads(doc)) {
      let el = head;
      while (el && el !== doc.body && !el.querySelector(SEL.tbody)) el = el.parentElement;
      if (!el || el === doc.body) continue;
      const idText = ORDER_ID_RE.exec(D.text(head)) || ORDER_ID_RE.exec(D.text(head.parentElement));
      if (idText) blocks.push({ id: idText[1], head, block: el });
    }
    return blocks;
  }

  const findBlock = (doc, orderId) => orderBlocks(doc).find((b) => b.id === orderId) || null;

  // Each visible text line of a cell, in order (leaf-ish elements and loose text nodes).
  function lines(cell) {
    const out = [];
    const walk = (node) => {
      for (const n of node.childNodes) {
        if (n.nodeType === Node.TEXT_NODE) { const t = D.norm(n.nodeValue); if (t) out.push(t); }
        else if (n.nodeType === Node.ELEMENT_NODE && !['BUTTON', 'SCRIPT', 'STYLE', 'IMG'].includes(n.tagName)) walk(n);
      }
    };
    walk(cell);
    return out;
  }

  // Column index by header label (beast-core draws the header as a separate table above
  // the order blocks), else the documented order.
  function columnIndex(doc) {
    const idx = { item: 0, quantity: 1, goods: 2, paid: 3, status: 4, receiver: 5, shop: 6 };
    const head = Array.from(doc.querySelectorAll('thead')).find((t) => D.text(t).includes('实收金额'));
    const ths = head ? Array.from(head.querySelectorAll('th, td')) : [];
    ths.forEach((th, i) => {
      const t = D.text(th);
      for (const [key, labels] of Object.entries(COLUMNS)) if (labels.includes(t)) idx[key] = i;
    });
    return idx;
  }

  function parseReceiver(cell) {
    const ls = lines(cell);
    const phoneAt = ls.findIndex((l) => /^\+?[\d*\s-]{7,}(?:[-转]\d+)?$/.test(l));
    const addrAt = ls.findIndex((l) => /省|自治区|北京|上海|天津|重庆|市.+区|特别行政区/.test(l));
    const name = ls[0] || '';
    const phone = phoneAt >= 0 ? ls[phoneAt] : '';
    const address = addrAt >= 0 ? N.address(ls.slice(addrAt).join(' ').replace(/查看$/, '')) : N.address('');
    return { name, phone, address };
  }

  // The page shows only 商品总价 and xN: the unit price is their quotient, in cents so
  // that no float rounding creeps in.
  function unitPrice(total, qty) {
    const m = N.money(total);
    if (!m || !qty) return m;
    const cents = Math.round(Number(m) * 100);
    const unit = Math.round(cents / qty);
    return `${Math.floor(unit / 100)}.${String(unit % 100).padStart(2, '0')}`;
  }

  function parseItem(row, idx) {
    const cells = Array.from(row.children).filter((c) => c.tagName === 'TD' || c.tagName === 'TH');
    const itemLines = lines(cells[idx.item] || row);
    // 商家编码 is the seller's own SKU code, not part of what MODEL.md carries for an item.
    const rest = itemLines.filter((l) => !l.startsWith(TEXT.merchantCode));
    const qty = D.text(cells[idx.quantity]).match(/\d+/);
    const quantity = qty ? Number(qty[0]) : 1;
    const item = {
      title: rest[0] || '',
      sku: rest.slice(1).join(' '),
      quantity,
      price: unitPrice(D.text(cells[idx.goods]), quantity),
    };
    return { item, cells };
  }

  function parseOrder(b) {
    const blockText = D.text(b.block);
    const idx = columnIndex(b.block.ownerDocument);
    const rows = Array.from(b.block.querySelector(SEL.tbody).querySelectorAll(':scope > tr'));
    const parsed = rows.map((r) => parseItem(r, idx));
    const first = parsed[0] ? parsed[0].cells : [];
    const statusText = D.text(first[idx.status]);
    const shopText = D.text(first[idx.shop]);
    const created = TIME_RE(TEXT.createdAt).exec(blockText);
    const shipBy = TIME_RE(TEXT.shipBy).exec(blockText);
    const link = b.block.querySelector('a[href*="orders/detail"]');
    return {
      order_id: b.id,
      shop: shopText,
      status: STATUSES.find((s) => statusText.includes(s)) || statusText,
      created_at: created ? N.datetime(created[1]) : '',
      ship_by: shipBy ? N.datetime(shipBy[1]) : '',
      buyer: first[idx.receiver] ? parseReceiver(first[idx.receiver]) : { name: '', phone: '', address: N.address('') },
      items: parsed.map((p) => p.item),
      amount: N.money(D.text(first[idx.paid])),
      remark: '',
      url: link ? link.href : DETAIL_URL(b.id),
    };
  }

  const isEmptyList = (doc) => TEXT.empty.some((t) => D.byText(doc.body, 'div, span, p, td', t).some((e) => !inOverlay(e)));

  async function waitForRows(doc, timeout = 15000) {
    return D.waitFor(() => orderBlocks(doc).length > 0 || isEmptyList(doc), timeout, doc);
  }

  // --- dialogs ------------------------------------------------------------------------
  const visibleModals = (doc) => Array.from(doc.querySelectorAll(SEL.modal)).filter(D.isVisible);
  const courierSelect = (root) => Array.from(root.querySelectorAll(SEL.selectInput))
    .find((i) => (i.getAttribute('placeholder') || '').includes(TEXT.courierLabel)) || labelledInput(root, TEXT.courierLabel, SEL.selectInput);
  const numberInput = (root) => Array.from(root.querySelectorAll(SEL.textInput))
    .find((i) => (i.getAttribute('placeholder') || '').includes(TEXT.numberLabel)) || labelledInput(root, TEXT.numberLabel, 'input:not([readonly])');
  const shipModal = (doc) => visibleModals(doc).find((m) => courierSelect(m) || D.text(m).includes(TEXT.selfShipTab)) || null;

  // Fallback when the placeholder changed: the form item whose label is exactly `label`.
  function labelledInput(root, label, inputSel) {
    for (const item of root.querySelectorAll(SEL.formItem)) {
      const lab = Array.from(item.querySelectorAll('label, span, div')).find((e) => D.ownText(e).replace(/[*＊:：]/g, '') === label);
      if (lab) { const input = item.querySelector(inputSel); if (input) return input; }
    }
    return null;
  }

  const buttonByText = (root, label) => D.byText(root, SEL.button, label)
    .filter((b) => !b.disabled && b.getAttribute('aria-disabled') !== 'true')[0] || null;

  async function closePromo(doc) {
    for (const m of visibleModals(doc)) {
      if (shipModal(doc) === m) continue;
      const btn = TEXT.promoClose.map((t) => buttonByText(m, t)).find(Boolean)
        || m.querySelector('[aria-label="close"], [aria-label="Close"], [data-testid="beast-core-modal-close"]');
      if (btn) {
        D.click(btn);
        await D.waitFor(() => !D.isVisible(m), 3000, doc);
      }
    }
  }

  async function closeShipModal(doc, modal) {
    if (!modal || !D.isVisible(modal)) return true;
    const btn = buttonByText(modal, TEXT.cancel) || modal.querySelector('[aria-label="close"], [aria-label="Close"]');
    if (btn) D.click(btn);
    return Boolean(await D.waitFor(() => !D.isVisible(modal), 3000, doc));
  }

  async function openShipModal(doc, block) {
    const btn = buttonByText(block, TEXT.shipButton);
    if (!btn) return { error: `${TEXT.shipButton} button not found` };
    btn.scrollIntoView({ block: 'center' });
    D.click(btn);
    const modal = await D.waitFor(() => shipModal(doc), 5000, doc);
    if (!modal) return { error: '发货 dialog not found' };
    if (!courierSelect(modal)) {
      const tab = D.byText(modal, '*', TEXT.selfShipTab).pop();
      if (tab) D.click(tab);
      await D.waitFor(() => courierSelect(modal), 2000, doc);
    }
    return { modal };
  }

  // Resolves when `fn()` is truthy, with no upper bound (the user may take their time).
  async function until(fn, doc) {
    for (;;) {
      const v = await D.waitFor(fn, 60000, doc);
      if (v) return v;
    }
  }

  function pointAt(el) {
    el.scrollIntoView({ block: 'center' });
    const before = el.style.cssText;
    el.style.outline = '3px solid #e85d04';
    el.style.outlineOffset = '2px';
    el.style.boxShadow = '0 0 0 6px rgba(232,93,4,.25)';
    el.setAttribute('data-danhao-point', 'confirm');
    return () => { el.style.cssText = before; el.removeAttribute('data-danhao-point'); };
  }

  // --- adapter ------------------------------------------------------------------------
  async function extract(doc) {
    await waitForRows(doc);
    await closePromo(doc);
    const orders = orderBlocks(doc).map(parseOrder);
    return { orders, pages: pageInfo(doc) };
  }

  function pageInfo(doc) {
    const next = doc.querySelector(SEL.pagerNext);
    const list = next && next.closest('ul');
    const nums = list ? Array.from(list.querySelectorAll('li')).map((li) => D.text(li)).filter((t) => /^\d+$/.test(t)).map(Number) : [];
    const active = list && Array.from(list.querySelectorAll('li')).find((li) => /^\d+$/.test(D.text(li))
      && (li.getAttribute('aria-current') || /active|current|selected/i.test(li.className)));
    return { current: active ? Number(D.text(active)) : 1, total: nums.length ? Math.max(...nums) : 1 };
  }

  async function nextPage(doc) {
    const next = doc.querySelector(SEL.pagerNext);
    if (!next || next.getAttribute('aria-disabled') === 'true' || /disabled/i.test(next.className) || next.disabled) return false;
    const before = orderBlocks(doc).map((b) => b.id).join(',');
    await closePromo(doc);
    D.click(next);
    const changed = await D.waitFor(() => {
      const ids = orderBlocks(doc).map((b) => b.id).join(',');
      return ids && ids !== before;
    }, 15000, doc);
    return Boolean(changed);
  }

  async function readOptions(doc) {
    await waitForRows(doc);
    await closePromo(doc);
    let modal = shipModal(doc);
    let opened = false;
    if (!modal) {
      const b = orderBlocks(doc).find((x) => buttonByText(x.block, TEXT.shipButton));
      if (!b) return [];
      const r = await openShipModal(doc, b.block);
      if (r.error) throw new Error(`page_changed: ${r.error}`);
      modal = r.modal; opened = true;
    }
    const trigger = courierSelect(modal);
    if (!trigger) throw new Error('page_changed: 物流公司 select not found');
    const labels = await globalThis.DanhaoSelect.readAll(trigger, SEL.dropdown);
    if (opened) await closeShipModal(doc, modal);
    if (!labels) throw new Error('page_changed: 物流公司 options not found');
    return labels;
  }

  async function fill(doc, shipment, ui = {}) {
    const failed = (what) => ({ result: 'failed', submitted: false, reason: `page_changed: ${what}` });
    const option = shipment.target && shipment.target.option;
    if (!option || !shipment.number) return { result: 'failed', submitted: false, reason: 'bad_shipment: no option or number' };
    await waitForRows(doc);
    await closePromo(doc);

    let modal = shipModal(doc);
    if (modal && !D.text(modal).includes(shipment.order_id)) { await closeShipModal(doc, modal); modal = null; }
    let block = null;                          // found once: a 500-row page is slow to search
    if (!modal) {
      const b = findBlock(doc, shipment.order_id);
      block = b;
      if (!b) return failed(`order row not found: ${shipment.order_id}`);
      const status = parseOrder(b).status;
      if (status && status !== TEXT.pending) return { result: 'skipped', submitted: false, reason: `not_pending: ${status}` };
      const r = await openShipModal(doc, b.block);
      if (r.error) return failed(r.error);
      modal = r.modal;
    }
    // The dialog must be about this order: a wrong dialog would put a number on a stranger's parcel.
    if (D.text(modal).includes(TEXT.orderId) && !D.text(modal).includes(shipment.order_id)) {
      await closeShipModal(doc, modal);
      return failed(`dialog shows another order than ${shipment.order_id}`);
    }

    const trigger = courierSelect(modal);
    if (!trigger) { await closeShipModal(doc, modal); return failed('物流公司 select not found'); }
    const picked = await globalThis.DanhaoSelect.choose(trigger, option, SEL.dropdown);
    if (!picked.ok) { await closeShipModal(doc, modal); return failed(`物流公司 ${picked.reason}`); }

    const input = numberInput(modal);
    if (!input) { await closeShipModal(doc, modal); return failed('运单号 input not found'); }
    globalThis.DanhaoReactInput.setValue(input, shipment.number);

    // Read both back after React has rendered: a controlled input that lost the value,
    // or a select that fell back, must not be confirmed.
    const stuck = await D.waitFor(() => trigger.value === option && input.value === shipment.number, 1500, doc);
    if (!stuck) {
      const what = trigger.value !== option ? `物流公司 did not keep ${option} (shows ${trigger.value || 'nothing'})`
        : `运单号 did not keep ${shipment.number}`;
      await closeShipModal(doc, modal);
      return { result: 'failed', submitted: false, reason: `not_kept: ${what}` };
    }

    const confirm = buttonByText(modal, TEXT.confirm);
    if (!confirm) { await closeShipModal(doc, modal); return failed('确认发货 button not found'); }
    // Checked on every DOM mutation while waiting: re-use the row found above while React
    // keeps it, search the page again only when it was re-rendered.
    const shippedRow = () => {
      if (!block || !block.block.isConnected) block = findBlock(doc, shipment.order_id);
      return Boolean(block) && parseOrder(block).status === TEXT.shipped;
    };

    if (ui.autoSubmit && shipment.status === 'ready') {
      D.click(confirm);
      const closed = await D.waitFor(() => !D.isVisible(modal), 10000, doc);
      if (!closed) {
        const err = D.text(modal.querySelector('[role="alert"], [class*="error"], [class*="explain"]')) || 'dialog stayed open';
        await closeShipModal(doc, modal);
        return { result: 'failed', submitted: false, reason: `submit_rejected: ${err}` };
      }
      await D.waitFor(shippedRow, 5000, doc);
      return { result: 'filled', submitted: true, reason: '', by: 'auto' };
    }

    // Manual confirmation: point at 确认发货 and wait for the user.
    const unpoint = pointAt(confirm);
    const outcome = await Promise.race([
      until(() => !D.isVisible(modal) && 'closed', doc),
      ui.interrupted ? ui.interrupted() : new Promise(() => {}),
    ]);
    unpoint();
    if (outcome !== 'closed') {
      await closeShipModal(doc, modal);
      return { result: 'skipped', submitted: false, reason: outcome === 'stop' ? 'stopped: 用户停止' : 'skipped: 用户跳过' };
    }
    if (await D.waitFor(shippedRow, 5000, doc)) return { result: 'filled', submitted: true, reason: '', by: 'user' };
    return { result: 'skipped', submitted: false, reason: 'not_confirmed: 对话框已关闭，未确认发货' };
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (!u.pathname.startsWith('/orders/list')) return { kind: null, rows: 0 };
    return { kind: 'order-list', rows: orderBlocks(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'pdd-seller',
    side: 'seller',
    matches: ['https://mms.pinduoduo.com/orders/list*'],
    detect, extract, readOptions, fill, nextPage,
  });
})();
