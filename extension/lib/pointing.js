// 指给我看: when an adapter cannot find a field it needs, the person clicks it on the page once;
// this file turns that element into a locator made of what the page *says* about it, keeps the
// site's patches, and tries them whenever the built-in synonyms find nothing.
//
// A locator (also the shape the helper checks, helper/api/patches.py):
//   {kind: 'field'|'button', control, role, labels[], aria_label, placeholder, name, text, title,
//    scope: {dialog} | {heading}, position: {kind, index, count}, sample}
//   {kind: 'column', header, sample}   the cell under that column header, in each order
//   {kind: 'label', label, sample}     the value after that label text, in each order
// Never a class name (they are hashed and change with every build), never an id, never a path
// of indexes from <body>: a redesign moves those, while labels, titles and roles stay.
//
// The words the person reads live in the panel (content/panel.js); this file has the mechanics:
// lookup (the hook DanhaoPage.findField/findButton call when the synonyms find nothing), the
// list patches applied after an adapter's extract, pick mode, derivation, saving.
(function () {
  'use strict';
  if (globalThis.DanhaoPointing) return;
  const D = globalThis.DanhaoDom;
  const P = globalThis.DanhaoPage;
  const N = globalThis.DanhaoNormalize;

  const HOSTS = ['danhao-panel-host', 'danhao-pointing-host'];
  const CONTROL = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]),'
    + ' textarea, select, [role=combobox], [role=textbox], [contenteditable=true]';
  const CLICKABLE = 'button, [role=button], a[href], input[type=submit], input[type=button]';
  const DIALOG = '[role=dialog], [role=alertdialog], [aria-modal=true], [data-testid*="modal" i], [class*="modal" i], [class*="dialog" i], [class*="drawer" i]';
  const TITLE = ['[role=heading], h1, h2, h3, h4, h5, h6', '[class*="title" i]', '[class*="header" i]'];
  const CELL = 'td, th, [role=cell], [role=gridcell]';
  const HEADER_CELL = 'th, [role=columnheader]';
  // Fields whose absence an adapter reports as a changed page and that pointing can heal.
  const HEALABLE = { courier: 'field', tracking: 'field', confirmShip: 'button' };
  const UNSHOWN = /^(?:SCRIPT|STYLE|TEMPLATE|NOSCRIPT)$/;
  const SHIPPED = /待收货|已发货|卖家已发货|买家收货|已完成|交易成功|已收货|已签收/;

  const hasRuntime = () => typeof chrome !== 'undefined' && chrome.runtime && chrome.runtime.id && chrome.runtime.sendMessage;
  const norm = (s) => D.norm(s);
  const same = (a, b) => Boolean(a) && Boolean(b) && P.strip(a) === P.strip(b);
  // A dialog title may carry the order it is about ("发货 - 订单 261125-826…"): ids do not count.
  const sameTitle = (a, b) => same(String(a || '').replace(/[\d-]{6,}/g, '#'), String(b || '').replace(/[\d-]{6,}/g, '#'));
  const ours = (el) => HOSTS.some((id) => { const h = el.ownerDocument.getElementById(id); return h && P.composedContains(h, el); });

  // --- the site's patches -------------------------------------------------------------------
  let patches = [];
  const reported = new Set();
  const misses = [];

  /** Replaces the in-memory patches (every site's: [{site, field, locator, created_at, operator?}]). */
  function setPatches(list) { patches = Array.isArray(list) ? list.filter((p) => p && p.site && p.field && p.locator) : []; }

  // The site id of this page, from the registered adapters' URL patterns (no detect() cost).
  function currentSite() {
    const R = globalThis.DanhaoRegistry;
    const a = R && R.adapters.find((x) => x._patterns.some((re) => re.test(location.href)));
    return a ? a.id : null;
  }

  const patchFor = (key, site = currentSite()) => patches.find((p) => p.site === site && p.field === key) || null;

  async function load() {
    if (!hasRuntime()) return;
    try {
      const r = await chrome.runtime.sendMessage({ type: 'cs:patches' });
      if (r && r.ok) setPatches(r.data.patches);
    } catch (e) { /* no worker: no patches */ }
  }
  // Tasks wait for this before running (main.js): a patch must be known before the first lookup.
  const ready = Promise.race([load(), new Promise((r) => setTimeout(r, 5000))]);

  function send(msg) {
    if (!hasRuntime()) return Promise.resolve(null);
    return chrome.runtime.sendMessage(msg).catch(() => null);
  }

  // A patch whose element is gone is said once per page load, never silently used.
  function reportUnresolved(patch, why) {
    const k = `${patch.site}/${patch.field}`;
    if (reported.has(k)) return;
    reported.add(k);
    send({ type: 'cs:page-report', site: patch.site, page_url: location.href, code: 'page_changed',
      message: `patch_unresolved: 指给我看保存的「${patch.field}」位置在页面上找不到了（${why}），请重新指给我看 / `
        + `the saved patch for ${patch.field} no longer finds its element (${why}): point at it again` });
  }

  // --- scope: the dialog title or the heading a field lives under ----------------------------
  function dialogOf(el) {
    let found = null;
    for (let x = el; x && x.nodeType === 1; x = P.composedParent(x)) {
      if (x.matches(DIALOG) && !/mask|overlay|backdrop/i.test(x.getAttribute('class') || '') && D.isVisible(x)) {
        found = x;
        if (x.matches('[role=dialog], [role=alertdialog], [aria-modal=true]')) return x;
      }
    }
    return found;
  }

  function titleOf(dialog) {
    const doc = dialog.ownerDocument;
    const by = dialog.getAttribute('aria-labelledby');
    if (by) { const t = norm(by.split(/\s+/).map((id) => D.text(doc.getElementById(id))).join(' ')); if (t) return t.slice(0, 120); }
    if (dialog.getAttribute('aria-label')) return norm(dialog.getAttribute('aria-label')).slice(0, 120);
    const all = P.allElements(dialog).filter((e) => !e.matches(CONTROL) && !e.closest('label'));
    for (const sel of TITLE) {
      const hit = all.find((e) => e.matches(sel) && D.isVisible(e) && norm(P.deepText(e)).length >= 1 && norm(P.deepText(e)).length <= 40
        && !P.allElements(e).some((c) => c.matches(CONTROL)));
      if (hit) return norm(P.deepText(hit));
    }
    return '';
  }

  // The element itself, or the light-DOM host its shadow tree hangs from (document order is
  // only defined between nodes of one tree).
  function inDocument(el) {
    let x = el;
    for (let root = x.getRootNode(); root && root.host; root = x.getRootNode()) x = root.host;
    return x;
  }

  function headingBefore(el) {
    const doc = el.ownerDocument;
    const at = P.allElements(doc.body);
    const pos = at.indexOf(el);
    const heads = at.filter((h) => h.matches('[role=heading], h1, h2, h3, h4, h5, h6') && D.isVisible(h) && !ours(h));
    const before = heads.filter((h) => (pos >= 0 ? at.indexOf(h) < pos
      : Boolean(inDocument(h).compareDocumentPosition(inDocument(el)) & Node.DOCUMENT_POSITION_FOLLOWING)));
    const h = before[before.length - 1];
    const t = h ? norm(P.deepText(h)) : '';
    return t && t.length <= 40 ? t : '';
  }

  function scopeOf(el) {
    const d = dialogOf(el);
    if (d) { const title = titleOf(d); return title ? { dialog: title } : null; }
    const heading = headingBefore(el);
    return heading ? { heading } : null;
  }

  /** Where a locator's scope is within `root`: [elements to search] (empty: not on this part of the page). */
  function scopeRoots(root, scope) {
    if (!scope || (!scope.dialog && !scope.heading)) return [root];
    if (scope.dialog) {
      const out = [];
      const up = dialogOf(root);
      // Looked for inside that dialog (one row of a 批量发货 drawer): only there, as the synonyms were.
      if (up && sameTitle(titleOf(up), scope.dialog)) out.push(root.nodeType === 1 ? root : up);
      for (const d of P.allElements(root)) {
        if (!d.matches(DIALOG) || out.some((o) => P.composedContains(o, d)) || !D.isVisible(d)) continue;
        if (sameTitle(titleOf(d), scope.dialog)) out.push(d);
      }
      return out;
    }
    const doc = root.ownerDocument || root;
    const seen = P.allElements(doc.body || doc).some((h) => h.matches('[role=heading], h1, h2, h3, h4, h5, h6')
      && D.isVisible(h) && same(P.deepText(h), scope.heading));
    return seen ? [root] : [];
  }

  // --- what a control or a button says about itself --------------------------------------------
  function controlKind(el) {
    if (el.matches(CLICKABLE) && !el.matches(CONTROL)) return 'button';
    const role = el.getAttribute('role');
    if (role === 'combobox') return 'combobox';
    if (el.tagName === 'SELECT') return 'select';
    if (el.tagName === 'TEXTAREA') return 'textarea';
    if (el.tagName === 'INPUT') {
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      return ['text', 'search', 'tel', 'number', 'email', 'url'].includes(type) ? 'text' : type;
    }
    return 'editable';
  }

  const implicitRole = (el, kind) => el.getAttribute('role')
    || ({ text: 'textbox', textarea: 'textbox', select: 'combobox', combobox: 'combobox', button: 'button', editable: 'textbox' }[kind] || '');

  // A name attribute is kept only when it reads like a word a developer wrote (order_no,
  // trackingNumber), never a generated one (rc_select_3, f_8c1a2b).
  const humanName = (n) => (n && /^[A-Za-z_][A-Za-z0-9_.\-[\]]{0,59}$/.test(n) && !/\d{2,}|_\d+$|[0-9a-f]{6,}/i.test(n) ? n : null);

  function evidence(el) {
    const kind = controlKind(el);
    const aria = norm(el.getAttribute('aria-label')) || null;
    const placeholder = norm(el.getAttribute('placeholder')) || null;
    const title = norm(el.getAttribute('title')) || null;
    if (kind === 'button') {
      const text = norm(P.deepText(el)).slice(0, 120) || null;
      return { control: kind, role: implicitRole(el, kind), text, aria_label: aria, title, labels: [], placeholder: null, name: null };
    }
    // The labels a person reads for it: <label>, aria-labelledby, the form item's label.
    const labels = [...new Set(P.labelsOf(el).filter((l) => l && l !== aria && l !== placeholder && l !== title)
      .map((l) => norm(l).replace(/^[*＊\s]+|[：:\s]+$/g, '')).filter((l) => l && l.length <= 120))].slice(0, 8);
    return { control: kind, role: implicitRole(el, kind), labels, aria_label: aria, placeholder, title,
      name: humanName(el.getAttribute('name')), text: null };
  }

  function score(ev, loc) {
    if (loc.control && ev.control !== loc.control) return 0;
    let s = 0;
    if (loc.labels && loc.labels.some((l) => ev.labels.some((x) => same(x, l)))) s += 4;
    if (loc.text && same(ev.text, loc.text)) s += 4;
    if (loc.aria_label && same(ev.aria_label, loc.aria_label)) s += 3;
    if (loc.placeholder && same(ev.placeholder, loc.placeholder)) s += 2;
    if (loc.name && ev.name === loc.name) s += 2;
    if (loc.title && same(ev.title, loc.title)) s += 1;
    return s;
  }

  const hasWords = (loc) => Boolean((loc.labels && loc.labels.length) || loc.text || loc.aria_label || loc.placeholder || loc.name || loc.title);

  // The form around a field: a <form>, a role=form, else its dialog, else the scope root.
  function formOf(el, fallback) {
    for (let x = P.composedParent(el); x; x = P.composedParent(x)) {
      if (x.matches('form, [role=form]')) return x;
      if (x.matches(DIALOG) && dialogOf(el) === x) return x;
    }
    return fallback || el.ownerDocument.body;
  }

  // Visible controls (or enabled buttons, outermost of nested ones) of one kind, in page order.
  function sameKind(container, kind, exclude = []) {
    const sel = kind === 'button' ? CLICKABLE : CONTROL;
    const hits = P.allElements(container).filter((c) => c.matches(sel) && D.isVisible(c) && !ours(c) && !exclude.includes(c)
      && controlKind(c) === kind && !(kind === 'button' && (c.disabled || c.getAttribute('aria-disabled') === 'true')));
    return kind === 'button' ? hits.filter((c) => !hits.some((o) => o !== c && P.composedContains(o, c))) : hits;
  }

  /** {el, applicable, why}: the element a field/button locator names inside `root`. `applicable`
   *  is false when `root` is another part of the page (another dialog): nothing to report then. */
  function resolve(root, loc, { exclude = [] } = {}) {
    const roots = scopeRoots(root, loc.scope);
    if (!roots.length) return { el: null, applicable: false, why: 'scope' };
    for (const r of roots) {
      const form = r;
      const cands = sameKind(form, loc.control || (loc.kind === 'button' ? 'button' : 'text'), exclude);
      if (hasWords(loc)) {
        const scored = cands.map((c) => ({ c, s: score(evidence(c), loc) })).filter((x) => x.s > 0);
        if (!scored.length) continue;
        const top = Math.max(...scored.map((x) => x.s));
        const best = scored.filter((x) => x.s === top).map((x) => x.c);
        if (best.length === 1) return { el: best[0], applicable: true };
        const byPos = loc.position && loc.position.count === cands.length ? cands[loc.position.index] : null;
        return { el: byPos && best.includes(byPos) ? byPos : best[0], applicable: true };
      }
      // No words on the element: its role and place, and only while the form has the same shape.
      if (loc.position && cands.length === loc.position.count) {
        const el = cands[loc.position.index];
        if (el && implicitRole(el, controlKind(el)) === loc.role) return { el, applicable: true };
      }
    }
    return { el: null, applicable: true, why: 'gone' };
  }

  /** The hook DanhaoPage.findField/findButton call when the built-in synonyms find nothing:
   *  the site's patch for `key` when it resolves inside `root`, else null (and the miss is noted). */
  function lookup(kind, root, key, opts = {}) {
    if (typeof key !== 'string' || !root) return null;
    const patch = patchFor(key);
    if (patch && patch.locator.kind === kind) {
      const r = resolve(root, patch.locator, opts);
      if (r.el) return r.el;
      if (r.applicable) reportUnresolved(patch, r.why);
    }
    if (HEALABLE[key]) {
      // The dialog it was looked for in, named now: an adapter closes the dialog right after.
      const d = root.nodeType === 1 ? dialogOf(root) : null;
      const title = d ? titleOf(d) : '';
      misses.push({ key, kind, at: Date.now(), scope: title ? { dialog: title } : null });
      if (misses.length > 50) misses.shift();
    }
    return null;
  }

  /** The field behind a page change: the newest field an adapter looked for and did not find
   *  since `since` (ms) that the adapter's `reason` names (by any of its synonyms) →
   *  {key, kind, at, scope} | null. A miss the reason does not name (a promo checked for a
   *  ship form) is not it. */
  function lastMiss(since = 0, reason = '') {
    const said = P.strip(reason);
    for (let i = misses.length - 1; i >= 0; i -= 1) {
      const m = misses[i];
      if (m.at < since) break;
      if (!(P.SYNONYMS[m.key] || []).some((w) => said.includes(P.strip(w)))) continue;
      return { key: m.key, kind: m.kind, at: m.at, scope: m.scope };
    }
    return null;
  }

  // --- orders on a list: where each one is on the page --------------------------------------------
  // An order's extent: from the largest element holding its id and no other order's id, up to
  // the next order's (a flat table puts an order's head and goods rows side by side).
  function listContext(doc, orderIds) {
    // A page's inline data (<script>) holds the ids too, but shows nothing: never an order's anchor.
    const flat = P.allElements(doc.body).filter((el) => !HOSTS.includes(el.id) && !ours(el) && !UNSHOWN.test(el.tagName));
    const index = new Map(flat.map((el, i) => [el, i]));
    const anchors = new Map();
    for (const el of flat) {
      const own = Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.nodeValue).join('');
      if (!own) continue;
      for (const id of orderIds) if (!anchors.has(id) && own.includes(id)) anchors.set(id, el);
    }
    const ids = orderIds.filter((id) => anchors.has(id));
    if (!ids.length && orderIds.length === 1) {
      // A page of one order that does not show its id as text (a supplier's tracking page opened
      // from that order's own link): the whole page is that order.
      return { flat, index, extents: new Map([[orderIds[0], [0, flat.length]]]), heads: new Map() };
    }
    // How many order ids each ancestor holds: an order's container is its highest ancestor
    // that holds only its own id.
    const held = new Map();
    const chains = new Map();
    for (const id of ids) {
      const chain = [];
      for (let up = anchors.get(id); up && up !== doc.body && up !== doc.documentElement; up = P.composedParent(up)) chain.push(up);
      chains.set(id, chain);
      for (const up of chain) held.set(up, (held.get(up) || 0) + 1);
    }
    const containers = new Map();
    for (const id of ids) {
      const chain = chains.get(id);
      let c = chain[0];
      for (const up of chain) { if (held.get(up) > 1) break; c = up; }
      containers.set(id, c);
    }
    const starts = ids.map((id) => ({ id, at: index.get(containers.get(id)) })).sort((a, b) => a.at - b.at);
    // The list's end: the last element inside the smallest element holding every order.
    let common = starts.length ? containers.get(starts[0].id) : null;
    while (common && !ids.every((id) => P.composedContains(common, containers.get(id)))) common = P.composedParent(common);
    let end = common ? index.get(common) || 0 : flat.length;
    while (common && end + 1 < flat.length && P.composedContains(common, flat[end + 1])) end += 1;
    const extents = new Map();
    starts.forEach((s, i) => extents.set(s.id, [s.at, i + 1 < starts.length ? starts[i + 1].at : end + 1]));
    return { flat, index, extents, heads: new Map() };
  }

  function extentElements(ctx, id) {
    const [a, b] = ctx.extents.get(id) || [0, 0];
    const inside = ctx.flat.slice(a, b);
    const set = new Set(inside);
    return inside.filter((el) => !set.has(P.composedParent(el)));      // the top ones only
  }

  function orderOf(ctx, el) {
    let at = ctx.index.get(el);
    for (let x = el; at === undefined && x; x = P.composedParent(x)) at = ctx.index.get(x);
    for (const [id, [a, b]] of ctx.extents) if (at >= a && at < b) return id;
    return null;
  }

  const cellLines = (cell) => P.lines(cell).filter((l) => !/^(查看|复制|详情|◉|⧉)$/.test(l));

  function headerCells(doc, text) {
    return P.allElements(doc.body).filter((h) => h.matches(HEADER_CELL) && D.isVisible(h) && !ours(h) && same(P.deepText(h), text));
  }

  const overlap = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
  const aligned = (cell, head) => {
    const c = cell.getBoundingClientRect(); const h = head.getBoundingClientRect();
    return c.width > 0 && overlap(c, h) >= 0.6 * Math.max(c.width, h.width);
  };

  /** The raw values a list locator reads in one order: [string] (several for repeated labels). */
  function readValues(ctx, doc, id, loc) {
    const tops = extentElements(ctx, id);
    if (loc.kind === 'column') {
      if (!ctx.heads.has(loc.header)) ctx.heads.set(loc.header, headerCells(doc, loc.header));
      const heads = ctx.heads.get(loc.header);
      if (!heads.length) return null;
      for (const top of tops) {
        for (const el of [top, ...P.allElements(top)]) {
          if (el.matches(CELL) && !el.matches(HEADER_CELL) && heads.some((h) => aligned(el, h))) return cellLines(el);
        }
      }
      return [];
    }
    const lines = tops.flatMap((t) => P.lines(t));
    // "快件单号：7310…", or the label alone with the value on the next line.
    const re = new RegExp(`^${loc.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(?:[：:]\\s*(.*))?$`);
    const out = [];
    for (let i = 0; i < lines.length; i += 1) {
      const m = re.exec(lines[i]);
      if (!m) continue;
      const v = norm(m[1] || '') || (lines[i + 1] && !/[：:]$/.test(lines[i + 1]) ? norm(lines[i + 1]) : '');
      if (v) out.push(v);
    }
    return out;
  }

  // List fields pointing can heal, per side: how a value is read and when it counts as missing.
  const LIST_FIELDS = {
    seller: {
      amount: { words: ['实付金额', 'amount paid'], value: (vals) => N.money(vals[0] || ''), missing: (o) => !o.amount, set: (o, v) => { if (v) o.amount = v; } },
      status: { words: ['订单状态', 'status'], value: (vals) => norm(vals[0] || ''), missing: (o) => !o.status, set: (o, v) => { if (v) o.status = v; } },
    },
    supplier: {
      tracking: { words: ['运单号', 'tracking number'], many: true, missing: (o) => !(o.packages || []).some((p) => p.tracking) },
      courier: { words: ['快递公司', 'courier'], many: true, missing: (o) => !(o.packages || []).some((p) => p.courier_text) },
    },
  };

  /** Orders with the site's list patches applied where the adapter's value is empty (the adapter's
   *  own reading always wins). `orders`: MODEL.md orders of this page, in screen order. */
  function completeOrders(doc, site, side, orders) {
    const fields = LIST_FIELDS[side] || {};
    const usable = patches.filter((p) => p.site === site && fields[p.field] && ['column', 'label'].includes(p.locator.kind));
    if (!usable.length || !orders.length) return orders;
    const ctx = listContext(doc, orders.map((o) => o.order_id));
    const out = orders.map((o) => JSON.parse(JSON.stringify(o)));
    for (const p of usable) {
      const f = fields[p.field];
      const needed = out.filter((o) => f.missing(o) && ctx.extents.has(o.order_id));
      let found = 0;
      for (const o of needed) {
        const vals = readValues(ctx, doc, o.order_id, p.locator);
        if (vals === null) break;
        if (!vals.length) continue;
        found += 1;
        if (!f.many) { f.set(o, f.value(vals)); continue; }
        const key = p.field === 'tracking' ? 'tracking' : 'courier_text';
        const other = key === 'tracking' ? 'courier_text' : 'tracking';
        o.packages = Array.isArray(o.packages) ? o.packages : [];
        vals.forEach((v, i) => {
          if (!o.packages[i]) o.packages[i] = { [other]: '', [key]: '' };
          if (!o.packages[i][key]) o.packages[i][key] = v;
        });
      }
      const relevant = side === 'supplier' ? needed.filter((o) => SHIPPED.test(o.status || '')) : needed;
      if (relevant.length && !found) reportUnresolved(p, 'no value');
    }
    return out;
  }

  /** The value the site's saved list patch for `key` ('tracking' | 'courier': a label or column the
   *  person pointed at) reads for `orderId` on a page showing that one order (a purchase's detail
   *  page) → string, '' when there is no such patch or it reads nothing (never guessed; not
   *  reported here: a page that shows no number may rightly have none, and an adapter that needed
   *  one reports the page as changed, which offers pointing again). Adapters call it where their
   *  own words find nothing, as DanhaoPage.findField calls lookup(); like lookup() it notes the
   *  miss, so that lastMiss() names the field only for an adapter that reads it from the page
   *  (a number that is only in the page's data cannot be pointed at). */
  function detailValue(doc, site, key, orderId) {
    const p = patchFor(key, site);
    const ctx = p && ['label', 'column'].includes(p.locator.kind) && orderId ? listContext(doc, [orderId]) : null;
    const vals = ctx && ctx.extents.has(orderId) ? readValues(ctx, doc, orderId, p.locator) : null;
    const v = vals && vals.length ? norm(vals[0]) : '';
    if (!v) {
      misses.push({ key, kind: 'list', at: Date.now(), scope: null });
      if (misses.length > 50) misses.shift();
    }
    return v;
  }

  /** Fields the person should point at: required on this side and empty on every order of the page. */
  function missingListFields(side, orders) {
    if (!orders.length) return [];
    if (side === 'supplier') {
      const shipped = orders.filter((o) => SHIPPED.test(o.status || ''));
      if (!shipped.length) return [];
      return ['tracking', 'courier'].filter((k) => shipped.every((o) => LIST_FIELDS.supplier[k].missing(o)));
    }
    return Object.keys(LIST_FIELDS.seller).filter((k) => orders.every((o) => LIST_FIELDS.seller[k].missing(o)));
  }

  /** The page-change error for list fields no order of the page shows (`keys` of one side):
   *  code page_changed, `heal` the fields to point at, `orderIds` the orders on the page. */
  function listFieldsError(side, keys, orderIds) {
    const words = keys.map((k) => ((LIST_FIELDS[side] || {})[k] || { words: [k, k] }).words);
    const e = P.pageChanged(`读不到 ${words.map((w) => w[0]).join('、')}`, `cannot read the ${words.map((w) => w[1]).join(', ')}`);
    return Object.assign(e, { heal: keys.map((key) => ({ key, kind: 'list' })), orderIds });
  }

  // --- deriving a locator from the element the person clicked -----------------------------------
  function currentValue(el) {
    if (el.tagName === 'SELECT') return norm(el.selectedOptions[0] ? el.selectedOptions[0].textContent : '');
    if ('value' in el && el.tagName !== 'BUTTON') return norm(el.value);
    return norm(P.deepText(el)).slice(0, 200);
  }

  const compact = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ''
    && !(Array.isArray(v) && !v.length)));

  function deriveControl(el, kind) {
    const ev = evidence(el);
    if (kind === 'field' && ev.control === 'button') return { problem: 'not_a_field' };
    if (kind === 'button' && ev.control !== 'button') return { problem: 'not_a_button' };
    const scope = scopeOf(el);
    const container = formOf(el, dialogOf(el) || el.ownerDocument.body);
    const peers = sameKind(container, ev.control);
    const locator = compact({
      kind, control: ev.control, role: ev.role, labels: ev.labels, aria_label: ev.aria_label, placeholder: ev.placeholder,
      name: ev.name, text: ev.text, title: ev.title, scope,
      position: peers.includes(el) ? { kind: ev.control, index: peers.indexOf(el), count: peers.length } : null,
      sample: currentValue(el).slice(0, 200),
    });
    if (!hasWords(locator) && !locator.position) return { problem: 'no_words' };
    // The locator must lead back to this very element, from the page as a whole.
    const back = resolve(el.ownerDocument.body, locator);
    if (back.el !== el) return { problem: 'ambiguous' };
    return { locator, value: currentValue(el) };
  }

  // The text before an element on its line ("快件单号：" before "7310…"): its label, if short.
  // Never looked for beyond `stop` (the table cell it sits in).
  function labelBefore(el, stop = null) {
    const clean = (t) => norm(t).replace(/[：:]\s*$/, '');
    const ok = (t) => t && t.length <= 12 && /[\u4e00-\u9fffA-Za-z]/.test(t) && !/^[¥￥]?[\d.,\s-]+$/.test(t);
    let x = el;
    for (let depth = 0; depth < 3 && x && x !== stop; depth += 1) {
      for (let s = x.previousSibling; s; s = s.previousSibling) {
        const t = s.nodeType === 3 ? s.nodeValue : s.nodeType === 1 ? P.deepText(s) : '';
        if (!norm(t)) continue;
        if (s.nodeType === 3 && /^[：:]$/.test(norm(t))) continue;
        const lines = s.nodeType === 1 ? P.lines(s) : [norm(t)];
        const last = clean(lines[lines.length - 1] || '');
        return ok(last) ? last : null;
      }
      x = x.parentElement;
    }
    return null;
  }

  function headerAbove(cell) {
    const doc = cell.ownerDocument;
    const c = cell.getBoundingClientRect();
    const heads = P.allElements(doc.body).filter((h) => h.matches(HEADER_CELL) && D.isVisible(h) && !ours(h)
      && h.getBoundingClientRect().bottom <= c.top + 2 && aligned(cell, h));
    heads.sort((a, b) => b.getBoundingClientRect().bottom - a.getBoundingClientRect().bottom);
    const t = heads[0] ? norm(P.deepText(heads[0])) : '';
    return t && t.length <= 40 ? t : null;
  }

  function deriveList(el, key, side, orderIds) {
    const doc = el.ownerDocument;
    const ctx = listContext(doc, orderIds);
    const orderId = orderOf(ctx, el);
    if (!orderId) return { problem: 'not_in_order' };
    const shown = norm(P.deepText(el));
    if (!shown) return { problem: 'empty' };
    let locator = null;
    let cell = null;
    for (let x = el; x && !cell; x = P.composedParent(x)) if (x.matches && x.matches(CELL)) cell = x;
    // A label right before the value (in its cell, if any) says more than the column it is in.
    const label = labelBefore(el, cell);
    if (label) locator = { kind: 'label', label };
    const header = !locator && cell ? headerAbove(cell) : null;
    if (header) locator = { kind: 'column', header };
    if (!locator) return { problem: 'no_words' };
    const vals = readValues(ctx, doc, orderId, locator) || [];
    if (!vals.some((v) => v.includes(shown) || shown.includes(v))) return { problem: 'ambiguous' };
    const f = (LIST_FIELDS[side] || {})[key];
    const value = f && !f.many ? f.value(vals) : vals.join('，');
    return { locator: { ...locator, sample: shown.slice(0, 200) }, value, orderId };
  }

  /** What saving `el` as the locator of `key` would mean: {locator, value, orderId?} or {problem}.
   *  kind: 'field' | 'button' | 'list'; side and orderIds for lists. Problems: not_a_field,
   *  not_a_button, no_words, ambiguous, not_in_order, empty. */
  function describe(el, { kind, key, side, orderIds = [] }) {
    if (!el) return { problem: 'empty' };
    if (kind === 'list') return deriveList(el, key, side, orderIds);
    return deriveControl(el, kind);
  }

  // --- pick mode: hover outline, a click picks, Esc cancels ---------------------------------------
  let overlay = null;
  function ensureOverlay() {
    let host = document.getElementById('danhao-pointing-host');
    if (host && overlay) return overlay;
    host = document.createElement('div');
    host.id = 'danhao-pointing-host';
    const root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = `:host { all: initial; }
      .box { position: fixed; box-sizing: border-box; pointer-events: none; z-index: 2147483645; border: 2px solid #e85d04; border-radius: 3px;
        background: rgba(232,93,4,.12); box-shadow: 0 0 0 4px rgba(232,93,4,.25); display: none; transition: all 60ms; }
      .box.picked { border-width: 3px; background: rgba(232,93,4,.18); }`;
    const box = document.createElement('div');
    box.className = 'box';
    box.setAttribute('part', 'box');
    root.append(style, box);
    (document.body || document.documentElement).append(host);
    overlay = { host, box, target: null, raf: 0 };
    return overlay;
  }

  function place(el, picked = false) {
    const o = ensureOverlay();
    o.target = el;
    o.box.classList.toggle('picked', picked);
    const draw = () => {
      if (!o.target || !o.target.isConnected) { o.box.style.display = 'none'; return; }
      const r = o.target.getBoundingClientRect();
      Object.assign(o.box.style, { display: 'block', left: `${r.left - 3}px`, top: `${r.top - 3}px`,
        width: `${r.width + 6}px`, height: `${r.height + 6}px` });
    };
    draw();
    cancelAnimationFrame(o.raf);
    if (picked) {
      const loop = () => { draw(); o.raf = requestAnimationFrame(loop); };
      o.raf = requestAnimationFrame(loop);
    }
  }

  /** Outlines `el` until clearOutline() (the preview of what will be read or filled). */
  function outline(el) { place(el, true); }
  function clearOutline() {
    if (!overlay) return;
    cancelAnimationFrame(overlay.raf);
    overlay.host.remove();
    overlay = null;
  }

  function pickTarget(raw, kind) {
    if (!raw || raw.nodeType !== 1 || ours(raw)) return null;
    let up = raw;
    if (kind === 'field') {
      for (let x = raw; x; x = P.composedParent(x)) if (x.matches(CONTROL)) return x;
      // A click on a control's frame (a custom select's box): the one control inside it.
      for (let depth = 0; up && depth < 3; depth += 1, up = P.composedParent(up)) {
        const inside = P.allElements(up).filter((c) => c.matches(CONTROL) && D.isVisible(c));
        if (inside.length === 1) return inside[0];
        if (inside.length > 1) break;
      }
      return null;
    }
    if (kind === 'button') {
      for (let x = raw; x; x = P.composedParent(x)) if (x.matches(CLICKABLE)) return x;
      return null;
    }
    return norm(P.deepText(raw)) ? raw : null;
  }

  let picking = null;
  /** Pick mode: resolves with the element the person clicks (normalised to a control for
   *  'field', a button for 'button'), or null on Esc / cancelPick(). `onHover(el|null)` and
   *  `onRefused(raw)` let the panel say what is under the pointer. Page handlers never see
   *  the clicks of pick mode; clicks in Danhao's own panel pass through. */
  function pick({ kind, onHover = () => {}, onRefused = () => {} } = {}) {
    cancelPick();
    ensureOverlay();
    return new Promise((resolve) => {
      const inOurs = (e) => e.composedPath().some((n) => n && n.id && HOSTS.includes(n.id));
      const target = (e) => e.composedPath()[0];
      const block = (e) => {
        if (inOurs(e)) return;
        e.preventDefault();
        e.stopImmediatePropagation();
        if (e.type !== 'click') return;
        const el = pickTarget(target(e), kind);
        if (el) finish(el); else onRefused(target(e));
      };
      const hover = (e) => {
        if (inOurs(e)) return;
        const el = pickTarget(target(e), kind);
        if (el) place(el); else if (overlay) overlay.box.style.display = 'none';
        onHover(el);
      };
      const key = (e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        e.stopImmediatePropagation();
        finish(null);
      };
      const TYPES = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'dblclick', 'auxclick', 'contextmenu'];
      TYPES.forEach((t) => window.addEventListener(t, block, true));
      window.addEventListener('mousemove', hover, true);
      window.addEventListener('keydown', key, true);
      document.documentElement.style.cursor = 'crosshair';
      function finish(el) {
        TYPES.forEach((t) => window.removeEventListener(t, block, true));
        window.removeEventListener('mousemove', hover, true);
        window.removeEventListener('keydown', key, true);
        document.documentElement.style.cursor = '';
        picking = null;
        if (el) place(el, true); else clearOutline();
        resolve(el);
      }
      picking = { finish };
    });
  }

  function cancelPick() { if (picking) picking.finish(null); }

  /** Saves a patch for this page's site (storage and helper, through the worker) → the saved patch. */
  async function save(field, locator, site = currentSite()) {
    const patch = { site, field, locator, created_at: new Date().toISOString() };
    const r = await send({ type: 'cs:patch-save', patch });
    if (!r || !r.ok) {
      const e = new Error((r && r.error && r.error.message) || 'patch not saved');
      e.code = (r && r.error && r.error.code) || 'patch_not_saved';
      throw e;
    }
    setPatches(patches.filter((p) => !(p.site === site && p.field === field)).concat([r.data.patch]));
    reported.delete(`${site}/${field}`);
    return r.data;
  }

  globalThis.DanhaoPointing = {
    ready, setPatches, patches: (site = currentSite()) => patches.filter((p) => p.site === site), currentSite,
    lookup, lastMiss, resolve, describe, evidence, scopeOf, completeOrders, detailValue, missingListFields, listFieldsError,
    pick, cancelPick, outline, clearOutline, save, HEALABLE,
  };
})();
