// Page semantics shared by every adapter: find things the way a person does, by what they
// say (label, placeholder, aria text, column header, button text), with the synonyms as data,
// through nested open shadow roots and in dialogs mounted anywhere in <body> (portals). Order
// of preference follows Testing Library's queries: label, then placeholder, then visible
// text, and only last a test id. Adapters keep only what is truly site-specific.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;

  // What sellers' pages call each thing. Longest first where one contains another.
  const SYNONYMS = {
    orderId: ['订单编号', '订单号', '订单ID', '订单 ID'],
    tracking: ['运单号码', '运单编号', '运单号', '快递单号', '物流单号', '快递单号码', '物流运单号'],
    courier: ['物流公司', '快递公司', '承运商', '物流服务商', '快递名称', '物流名称', '快递公司名称'],
    createdAt: ['订单成交时间', '成交时间', '下单时间', '创建时间'],
    shipBy: ['承诺发货时间', '最晚发货时间', '发货截止时间', '剩余发货时间'],
    item: ['商品', '商品信息', '宝贝', '货品'],
    status: ['订单状态', '状态', '交易状态'],
    quantity: ['数量', '购买数量'],
    unitPriceQty: ['单价/数量', '单价／数量', '单价及数量', '价格/数量', '售价/数量'],
    goodsTotal: ['商品总价', '商品金额', '货品总价'],
    paid: ['实收金额', '实付金额', '实付款', '订单金额', '买家实付'],
    receiver: ['收货人', '收货信息', '收件人', '收货人信息'],
    nickname: ['买家昵称', '买家', '昵称'],
    shop: ['店铺', '店铺名称'],
    actions: ['操作'],
    shipButton: ['发货', '去发货', '立即发货'],
    confirmShip: ['确认发货', '确定发货', '提交发货', '确认', '确定'],
    cancel: ['取消'],
    dismiss: ['我知道了', '知道了', '好的', '确定', '确认', '关闭', '完成', '返回列表', '暂不', '稍后再说', '跳过'],
    next: ['下一页', '>', '›', '后一页'],
    empty: ['暂无数据', '暂无订单', '没有找到', '没有符合条件的订单', '暂无相关订单'],
  };

  const strip = (s) => D.norm(s).replace(/[*＊:：\s]/g, '');

  /** True when `text` names `key` (one of SYNONYMS): equal after stripping, or containing it. */
  function names(text, key, { exact = false } = {}) {
    const t = strip(text);
    if (!t) return false;
    return SYNONYMS[key].some((s) => (exact ? t === strip(s) : t === strip(s) || t.includes(strip(s))));
  }

  // --- traversal through shadow roots ---------------------------------------------------
  /** Every element under `root`, descending into open shadow roots, in document order. */
  function allElements(root) {
    const out = [];
    const visit = (node) => {
      const kids = node.children || [];
      for (const el of kids) {
        out.push(el);
        if (el.shadowRoot) visit(el.shadowRoot);
        visit(el);
      }
    };
    visit(root.shadowRoot || root);
    return out;
  }

  function deepQueryAll(root, selector) {
    return allElements(root).filter((el) => el.matches(selector));
  }

  /** Text lines of a subtree as rendered: shadow content with slotted children in their slots. */
  function lines(root) {
    const out = [];
    const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) { const t = D.norm(node.nodeValue); if (t) out.push(t); return; }
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (SKIP.has(node.tagName)) return;
        if (node.tagName === 'SLOT') {
          const assigned = node.assignedNodes({ flatten: true });
          for (const n of (assigned.length ? assigned : node.childNodes)) walk(n);
          return;
        }
        if (node.shadowRoot) { for (const n of node.shadowRoot.childNodes) walk(n); return; }
      }
      for (const n of node.childNodes) walk(n);
    };
    walk(root);
    return out;
  }

  const deepText = (root) => lines(root).join(' ');

  /** The host chain of a node: itself, then each shadow host above it. */
  function composedParent(el) {
    if (el.parentElement) return el.parentElement;
    const root = el.getRootNode && el.getRootNode();
    return root && root.host ? root.host : null;
  }

  function composedContains(outer, inner) {
    for (let el = inner; el; el = composedParent(el)) if (el === outer) return true;
    return false;
  }

  // 指给我看 (lib/pointing.js): when the synonyms find nothing, the site's saved patch is tried
  // (a patch that no longer resolves is reported there, never used silently).
  const patched = (kind, root, key, opts) => (globalThis.DanhaoPointing ? globalThis.DanhaoPointing.lookup(kind, root, key, opts) : null);

  // --- fields by label --------------------------------------------------------------
  const CONTROL = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]),'
    + ' textarea, select, [role=combobox], [contenteditable=true]';

  /** Texts that label a control, best first: aria, <label>, placeholder, then the form item's label. */
  function labelsOf(el) {
    const out = [];
    const doc = el.ownerDocument;
    const by = el.getAttribute('aria-labelledby');
    if (by) out.push(by.split(/\s+/).map((id) => D.text(doc.getElementById(id))).join(' '));
    if (el.getAttribute('aria-label')) out.push(el.getAttribute('aria-label'));
    if (el.id) { const l = doc.querySelector(`label[for="${CSS.escape(el.id)}"]`); if (l) out.push(D.text(l)); }
    const wrapping = el.closest('label');
    if (wrapping) out.push(D.ownText(wrapping) || D.text(wrapping));
    if (el.getAttribute('placeholder')) out.push(el.getAttribute('placeholder'));
    if (el.getAttribute('title')) out.push(el.getAttribute('title'));
    // The form item's label: climb while the ancestor holds only this control, and take the
    // short texts before it ("物流公司", "* 运单号：").
    let child = el;
    for (let up = composedParent(el), depth = 0; up && depth < 6; up = composedParent(up), depth += 1) {
      const controls = allElements(up).filter((c) => c.matches(CONTROL) && c !== el && !composedContains(el, c) && D.isVisible(c));
      if (controls.length) break;
      const before = [];
      for (const sib of (up.shadowRoot ? up.shadowRoot.children : up.children)) {
        if (sib === child || composedContains(sib, el)) break;
        const t = deepText(sib);
        if (t && t.length <= 12) before.push(t);
      }
      if (before.length) { out.push(before[before.length - 1]); break; }
      child = up;
    }
    return out.filter(Boolean).map(D.norm);
  }

  /** The visible control whose label names `key`; null when none (the caller reports page_changed). */
  function findField(root, key, { exclude = [] } = {}) {
    let best = null;
    for (const el of allElements(root)) {
      if (!el.matches(CONTROL) || !D.isVisible(el) || exclude.includes(el)) continue;
      const labels = labelsOf(el);
      const rank = labels.findIndex((l) => names(l, key));
      if (rank < 0) continue;
      const exact = names(labels[rank], key, { exact: true }) ? 0 : 0.5;
      const score = rank + exact;
      if (!best || score < best.score) best = { el, score };
    }
    return best ? best.el : patched('field', root, key, { exclude });
  }

  // --- buttons and clicks -------------------------------------------------------------
  const CLICKABLE = 'button, [role=button], a, [data-testid*="button" i], [class*="btn" i], [class*="button" i], q-button, li';

  /** Visible, enabled clickables whose whole text is one of `texts` (or SYNONYMS[texts]), outermost first. */
  function findButtons(root, texts) {
    const want = (Array.isArray(texts) ? texts : SYNONYMS[texts]).map(strip);
    const hits = allElements(root).filter((el) => el.matches(CLICKABLE) && D.isVisible(el)
      && !el.disabled && el.getAttribute('aria-disabled') !== 'true' && want.includes(strip(deepText(el))));
    // A <button><span>发货</span></button> matches twice: keep the outer one.
    return hits.filter((el) => !hits.some((o) => o !== el && composedContains(o, el)));
  }

  function findButton(root, texts) {
    const want = (Array.isArray(texts) ? texts : SYNONYMS[texts]).map(strip);
    const found = findButtons(root, texts);
    // The first synonym is preferred: 确认发货 before a bare 确认.
    found.sort((a, b) => want.indexOf(strip(deepText(a))) - want.indexOf(strip(deepText(b))));
    return found[0] || patched('button', root, texts);
  }

  /** A full pointer sequence at the element's centre: components that ignore .click()
   *  (they listen to pointerdown/mousedown) react to it, plain buttons too. */
  function pointerClick(el) {
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const base = { bubbles: true, cancelable: true, composed: true, view: el.ownerDocument.defaultView,
      clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, button: 0 };
    const P = el.ownerDocument.defaultView.PointerEvent || MouseEvent;
    el.dispatchEvent(new P('pointerover', { ...base, pointerId: 1, pointerType: 'mouse', isPrimary: true }));
    el.dispatchEvent(new P('pointerdown', { ...base, pointerId: 1, pointerType: 'mouse', isPrimary: true, buttons: 1 }));
    el.dispatchEvent(new MouseEvent('mousedown', { ...base, buttons: 1 }));
    el.dispatchEvent(new P('pointerup', { ...base, pointerId: 1, pointerType: 'mouse', isPrimary: true }));
    el.dispatchEvent(new MouseEvent('mouseup', base));
    el.dispatchEvent(new MouseEvent('click', base));
  }

  // --- dialogs (portals) ----------------------------------------------------------------
  const DIALOG = '[role=dialog], [role=alertdialog], [aria-modal=true], [data-testid*="modal" i], [class*="modal" i], [class*="dialog" i], [class*="drawer" i]';

  /** Visible dialogs anywhere in the document (outermost element of each). */
  function dialogs(doc, { exclude } = {}) {
    const hits = Array.from(doc.body.querySelectorAll(DIALOG)).filter((el) => D.isVisible(el)
      && !/mask|overlay|backdrop/i.test(`${el.className} ${el.getAttribute('data-testid') || ''}`)
      && !(exclude && el.closest(exclude)));
    // Sized first: a zero-height modal root around a fixed wrapper is not the dialog, its wrapper is.
    const sized = hits.filter((el) => { const r = el.getBoundingClientRect(); return r.width > 120 && r.height > 60; });
    return sized.filter((el) => !sized.some((o) => o !== el && o.contains(el)));
  }

  /** The close control of a dialog: an icon with a close test id / aria label / class. */
  function closeControl(dialog) {
    const sel = '[data-testid*="close" i], [aria-label*="close" i], [aria-label*="关闭"], [class*="close" i]';
    const hit = allElements(dialog).find((el) => el.matches(sel) && D.isVisible(el));
    return hit || null;
  }

  // --- tables ---------------------------------------------------------------------------
  /** Column index per key from a row of header cells: {item: 0, status: 1, …}. */
  function columnsOf(headerCells, keys) {
    const idx = {};
    headerCells.forEach((cell, i) => {
      const t = D.text(cell);
      for (const key of keys) if (idx[key] === undefined && names(t, key, { exact: true })) idx[key] = i;
    });
    return idx;
  }

  // --- page changed ---------------------------------------------------------------------
  /** The error an adapter throws (or returns as a reason) when the page no longer has what it reads. */
  function pageChanged(zh, en) {
    const e = new Error(`页面已改版：${zh} / page changed: ${en}`);
    e.code = 'page_changed';
    return e;
  }

  globalThis.DanhaoPage = {
    SYNONYMS, names, strip, allElements, deepQueryAll, lines, deepText, composedParent, composedContains,
    labelsOf, findField, findButtons, findButton, pointerClick, dialogs, closeControl, columnsOf, pageChanged,
  };
})();
