// Reading an order list by meaning, for every seller backend that draws orders as a head line
// ("订单编号：<id>  下单时间：…  承诺发货时间：…") followed by table rows whose columns a header
// names (商品, 单价/数量, 收货人, 状态, 实收金额…): 拼多多, 抖店 and the like. No class name or
// test id is assumed; what differs between sites is data (`config`).
//
//   const L = DanhaoOrderList.reader({statuses, detailUrl, ...});
//   L.readDom(document) → [MODEL.md sales orders];  L.orderGroups(document) → [{id, el, rows, block}]
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const N = globalThis.DanhaoNormalize;
  const P = globalThis.DanhaoPage;

  const PANEL_HOST = '#danhao-panel-host';
  const ID_RE = /(?:订单编号|订单号)\s*[：:]?\s*(\d{6}-\d{6,}|[0-9A-Za-z][0-9A-Za-z-]{7,})/;
  const HEAD_RE = new RegExp(`^${ID_RE.source}`);     // a head's text starts with its label
  const PHONE_RE = /^(?:\+?86[-\s]?)?(?:1\d{2}[\d*]{4}\d{4}|\d{3,4}-?[\d*]{7,8}|1\d{2}\*{4}\d{4})(?:[-转]\d+)?$/;
  const REGION_RE = /省|自治区|特别行政区|^(?:北京|上海|天津|重庆)/;
  const COLUMN_KEYS = ['item', 'unitPriceQty', 'status', 'quantity', 'goodsTotal', 'paid', 'receiver', 'nickname', 'shop', 'actions'];
  const DEFAULTS = {
    statuses: ['待发货', '已发货，待收货', '已发货', '待收货', '已收货', '已签收', '已取消', '交易成功', '交易关闭',
      '待付款', '待支付', '售后中', '待成团', '已完成', '已关闭', '未发货，退款成功', '已发货，退款成功'],
    itemLabels: /^(?:ID|商品ID|商品编号|商家编码|商品编码|货号|SKU编码|规格编码)\s*[:：]/,
    specLabel: /^(?:规格|SKU|商品规格)\s*[:：]\s*/,
    remark: /(?:买家留言|买家备注)\s*[:：]\s*(.*)$/,   // the value on the same line or the next
    detailUrl: () => '',
    detailLink: 'a[href*="detail"]',
    pagerNext: '[class*="pagination-next" i], [class*="pager-next" i], [aria-label="下一页"], [title="下一页"]',
    keepDialog: () => false,
    pagingStopped: () => null,
  };

  function fen(v) {
    if (v === '' || v == null || !Number.isFinite(Number(v))) return '';
    const n = Math.round(Number(v));
    return `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;
  }

  /** Unix seconds → ISO 8601 in Beijing time ('' for 0 / missing), whatever the browser's zone. */
  function unixToIso(s) {
    const n = Number(s);
    if (!n) return '';
    const d = new Date(n * 1000 + 8 * 3600 * 1000);
    const p = (v) => String(v).padStart(2, '0');
    return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+08:00`;
  }

  function reader(userConfig = {}) {
    const TEXT = { ...DEFAULTS, ...userConfig };
    const HOOKS = { panelHost: PANEL_HOST };
    const inOverlay = (el) => Boolean(el.closest(HOOKS.panelHost) || P.dialogs(el.ownerDocument).some((d) => d.contains(el)));

    // The innermost elements carrying "订单编号：<id>" outside dialogs. Walks text nodes: asking
    // every element for its text costs the whole page's text per ancestor on a 500-row page.
    function orderHeads(doc) {
      const heads = [];
      const overlays = P.dialogs(doc);
      // `idLabels` (config, a RegExp source): the head labels of sites that call an order otherwise (包裹号).
      const LABEL = TEXT.idLabels ? new RegExp(`^\\s*(?:${TEXT.idLabels})`) : /^\s*(?:订单编号|订单号)/;
      const HEAD = TEXT.idLabels ? new RegExp(`^(?:${TEXT.idLabels})${ID_RE.source.slice(ID_RE.source.indexOf(')') + 1)}`) : HEAD_RE;
      const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT, {
        // The label starts its text: "和我另一单订单号…一起发" in a buyer's memo is not an order head.
        acceptNode: (n) => (LABEL.test(n.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
      });
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        let el = n.parentElement;
        if (!el || el.closest(HOOKS.panelHost) || overlays.some((o) => o.contains(el))) continue;
        // The label and the id may sit in sibling spans: climb a little until both are in.
        let m = HEAD.exec(D.text(el));
        for (let up = 0; !m && up < 2 && el.parentElement; up += 1) { el = el.parentElement; m = HEAD.exec(D.text(el)); }
        if (m && !heads.some((h) => h.el === el || h.id === m[1])) heads.push({ id: m[1], el });
      }
      return heads;
    }

    const cellsOf = (row) => Array.from(row.children).filter((c) => /^(TD|TH)$/.test(c.tagName) || c.getAttribute('role') === 'cell' || c.getAttribute('role') === 'gridcell'
    || c.getAttribute('role') === 'columnheader');

    // Item rows: table rows with at least three cells that are neither the header nor a head's row.
    function itemRows(doc, heads, header) {
      const headRows = new Set(heads.map((h) => h.el.closest('tr, [role=row]')).filter(Boolean));
      // Two cells are enough: an order's second goods line often spans only the goods columns.
      return Array.from(doc.body.querySelectorAll('tr, [role=row]')).filter((r) => r !== header && !headRows.has(r)
        && cellsOf(r).length >= 1 && !r.closest(HOOKS.panelHost));
    }

    const before = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);

    // Each head with the item rows that follow it up to the next head: no assumption on which
    // element wraps an order (a div per order, a tbody per order, one flat table…).
    function orderGroups(doc) {
      const heads = orderHeads(doc);
      if (!heads.length) return [];
      const rows = itemRows(doc, heads, headerRow(doc));
      const groups = heads.map((h) => ({ ...h, rows: [], notes: [] }));
      let g = -1;
      for (const row of rows) {
        while (g + 1 < groups.length && before(groups[g + 1].el, row)) g += 1;
        if (g < 0 || cellsOf(row).every((c) => c.tagName === 'TH')) continue;
        // A full-width row under an order (its buyer memo, a tag) belongs to it, not to its goods.
        if (cellsOf(row).length >= 2) groups[g].rows.push(row); else groups[g].notes.push(row);
      }
      const kept = groups.filter((x) => x.rows.length);
      // The element that wraps one order (head, table, remark strip…): the smallest ancestor of
      // the head that holds its last row, unless it also holds another order's head.
      for (const x of kept) {
        let el = x.el;
        const last = x.rows[x.rows.length - 1];
        while (el && el !== doc.body && !el.contains(last)) el = el.parentElement;
        const alone = el && el !== doc.body && !kept.some((o) => o !== x && el.contains(o.el));
        x.block = alone ? el : null;
      }
      return kept;
    }

    function isHeaderRow(row) {
      const cells = cellsOf(row);
      return cells.filter((c) => COLUMN_KEYS.some((k) => P.names(D.text(c), k, { exact: true }))).length >= 3;
    }

    // The header row: header cells (th, columnheader) naming at least three columns; rows of
    // plain cells are tried only when no such row exists (a header drawn with td).
    function headerRow(doc) {
      const marked = Array.from(doc.body.querySelectorAll('th, [role=columnheader]')).map((c) => c.parentElement);
      const candidates = marked.length ? Array.from(new Set(marked)) : Array.from(doc.body.querySelectorAll('tr, [role=row]')).slice(0, 50);
      return candidates.find((r) => r && isHeaderRow(r) && !r.closest(HOOKS.panelHost)) || null;
    }

    // Column positions from the header row (any table above the orders), by its texts.
    function columns(doc) {
      const header = headerRow(doc);
      return header ? P.columnsOf(cellsOf(header), COLUMN_KEYS) : {};
    }

    const cellLines = (cell) => (cell ? P.lines(cell).filter((l) => !/^(查看|复制|详情)$/.test(l)) : []);
    // '¥19.90', '19.90' (2021 cells show plain yuan), never a bare count.
    const isMoney = (t) => /^(?:[¥￥]\s*-?[\d,]+(?:\.\d{1,2})?|-?[\d,]*\d\.\d{1,2})$/.test(t);
    const isQty = (t) => /^[x×X*]\s*\d{1,4}$/.test(t) || /^\d{1,4}$/.test(t);
    const isStatus = (t) => TEXT.statuses.some((s) => t === s || t.startsWith(s));

    // Without a header (or where it lies), a cell's content says what it is.
    function inferColumns(cells, idx) {
      const out = { ...idx };
      const taken = new Set(Object.values(out));
      const texts = cells.map((c) => D.text(c));
      const money = [];
      texts.forEach((t, i) => {
        if (taken.has(i)) return;
        if (out.status === undefined && cellLines(cells[i]).some(isStatus)) { out.status = i; taken.add(i); }
        else if (out.quantity === undefined && isQty(t)) { out.quantity = i; taken.add(i); }
        else if (isMoney(cellLines(cells[i])[0] || '')) money.push(i);
      });
      if (out.goodsTotal === undefined && money.length) { out.goodsTotal = money.shift(); taken.add(out.goodsTotal); }
      if (out.paid === undefined && money.length) { out.paid = money.shift(); taken.add(out.paid); }
      if (out.item === undefined) {
        const i = cells.findIndex((c, k) => !taken.has(k) && (c.querySelector('img') || cellLines(c).length >= 2));
        if (i >= 0) { out.item = i; taken.add(i); }
      }
      if (out.receiver === undefined) {
        const i = cells.findIndex((c, k) => !taken.has(k) && cellLines(c).some((l) => PHONE_RE.test(l) || REGION_RE.test(l)));
        if (i >= 0) { out.receiver = i; taken.add(i); }
      }
      return out;
    }

    // A header that puts a price under 状态 is wrong for this row: trust content over position.
    function checkedColumns(cells, idx) {
      const ok = { ...idx };
      const t = (k) => (ok[k] === undefined ? null : D.text(cells[ok[k]]));
      if (ok.status !== undefined && !cellLines(cells[ok.status]).some(isStatus)) delete ok.status;
      if (t('quantity') !== null && !isQty(t('quantity'))) delete ok.quantity;
      // An amount cell may carry a note under it ("¥22.90" / "(含运费¥6.00)"): its first line decides.
      for (const k of ['goodsTotal', 'paid']) if (ok[k] !== undefined && !isMoney(cellLines(cells[ok[k]])[0] || '')) delete ok[k];
      return inferColumns(cells, ok);
    }

    // "王*敏 138****5678 ◉": a name and its phone on one line (an eye icon to reveal them may follow).
    const NAME_PHONE_RE = /^(\S.*?)\s+((?:\+?86[-\s]?)?1\d{2}[\d*]{4}\d{4}(?:[-转]\d+)?)(?:\s+\S{1,2})?$/;

    function parseReceiver(cell) {
      const ls = cellLines(cell).map((l) => l.replace(/^(?:收货人|收件人|姓名)\s*[:：]\s*/, ''));
      const addrAt = ls.findIndex((l) => REGION_RE.test(l.replace(/^(?:地址|收货地址)\s*[:：]\s*/, '')));
      const together = ls.map((l) => NAME_PHONE_RE.exec(l)).find(Boolean);
      if (together) {
        const address = addrAt >= 0 ? N.address(ls.slice(addrAt).join(' ').replace(/^(?:地址|收货地址)\s*[:：]\s*/, '')) : N.address('');
        return { name: together[1], phone: together[2], address };
      }
      const phoneAt = ls.findIndex((l) => PHONE_RE.test(l.replace(/^(?:电话|手机)\s*[:：]\s*/, '')));
      const phone = phoneAt >= 0 ? ls[phoneAt] : '';
      // The receiver's name sits right before the phone (a buyer's nickname may come first).
      const name = (phoneAt > 0 && phoneAt - 1 !== addrAt ? ls[phoneAt - 1] : '')
        || ls.find((l, i) => i !== phoneAt && i !== addrAt) || '';
      const address = addrAt >= 0 ? N.address(ls.slice(addrAt).join(' ').replace(/^(?:地址|收货地址)\s*[:：]\s*/, '')) : N.address('');
      return { name, phone: phone.replace(/^(?:电话|手机)\s*[:：]\s*/, ''), address };
    }

    function unitPrice(total, qty) {
      const m = N.money(total);
      if (!m || !qty) return m;
      return fen(Math.round(Math.round(Number(m) * 100) / qty));
    }

    function parseItem(row, idx) {
      const cells = cellsOf(row);
      const col = checkedColumns(cells, idx);
      const lines = cellLines(cells[col.item]).filter((l) => !TEXT.itemLabels.test(l));
      let quantity = 1;
      let price = '';
      const priceQty = (c) => { const ls = cellLines(c); return ls.some(isMoney) && ls.some((l) => /^[x×X*]\s*\d{1,5}$/.test(l)); };
      if (col.unitPriceQty !== undefined) {
        // One cell with the unit price and the count ("¥19.90" / "x1"). A second goods row spans
        // fewer cells than the header: there, find that cell by what it holds.
        const cell = priceQty(cells[col.unitPriceQty]) ? cells[col.unitPriceQty] : cells.find(priceQty);
        const ls = cellLines(cell);
        const q = ls.map((l) => /^[x×X*]\s*(\d{1,5})$/.exec(l)).find(Boolean);
        quantity = q ? Number(q[1]) : 1;
        price = N.money(ls.find(isMoney) || '');
      } else {
        const qty = D.text(cells[col.quantity]).match(/\d+/);
        quantity = qty ? Number(qty[0]) : 1;
        price = unitPrice(D.text(cells[col.goodsTotal]), quantity);
      }
      return {
        col, cells,
        item: {
          title: lines[0] || '',
          sku: lines.slice(1).map((l) => l.replace(TEXT.specLabel, '')).join(' '),
          quantity,
          price,
        },
      };
    }

    // The value after a label: on the same line ("买家留言：快点") or alone on the next one.
    function labelled(lines, re) {
      for (let i = 0; i < lines.length; i += 1) {
        const m = re.exec(lines[i]);
        if (m) return D.norm(m[1]) || (lines[i + 1] && !/[:：]$/.test(lines[i + 1]) ? lines[i + 1] : '');
      }
      return '';
    }

    const timeAfter = (text, key) => {
      for (const label of P.SYNONYMS[key]) {
        const m = new RegExp(`${label}\\s*[：:]?\\s*(\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)`).exec(text);
        if (m) return N.datetime(m[1]);
      }
      return '';
    };

    // `pageShop`: the shop the page header names, for lists whose rows carry none.
    function parseGroup(g, idx, pageShop = '') {
      const parsed = g.rows.map((r) => parseItem(r, idx));
      const first = parsed[0];
      const headText = D.text(g.block || g.el.parentElement || g.el);
      // The status is the cell's first line; tags under it (退款中, 查看物流) are not part of it.
      const statusLines = cellLines(first.cells[first.col.status]);
      const status = statusLines.find(isStatus) || statusLines[0] || '';
      const block = g.block || g.el.parentElement || g.el;
      const remark = labelled(P.lines(block).concat(...g.rows.map((r) => P.lines(r)), ...(g.notes || []).map((r) => P.lines(r))), TEXT.remark);
      const link = block.querySelector(TEXT.detailLink);
      return {
        order_id: g.id,
        shop: first.col.shop !== undefined ? D.text(first.cells[first.col.shop]) : pageShop,
        status: TEXT.statuses.find((s) => status === s) || status,
        created_at: timeAfter(headText, 'createdAt'),
        ship_by: timeAfter(headText, 'shipBy'),
        buyer: first.col.receiver !== undefined ? parseReceiver(first.cells[first.col.receiver]) : { name: '', phone: '', address: N.address('') },
        items: parsed.map((p) => p.item),
        amount: N.money(cellLines(first.cells[first.col.paid])[0] || ''),
        remark,
        url: link ? link.href : TEXT.detailUrl(g.id),
      };
    }

    function readDom(doc) {
      const idx = columns(doc);
      const shop = TEXT.shopOf ? TEXT.shopOf(doc) : '';
      return orderGroups(doc).map((g) => parseGroup(g, idx, shop));
    }


    // --- the list page around the orders: empty state, blocking notices, the pager ----------
    const isEmptyList = (doc) => P.SYNONYMS.empty.some((t) => D.byText(doc.body, 'div, span, p, td', t).some((e) => !inOverlay(e)));

    // Promos, guides and alerts over the list; `TEXT.keepDialog(d)` names the dialogs that are
    // the site's own work (a ship dialog) and stay open.
    async function dismissBlockers(doc) {
      for (let round = 0; round < 5; round += 1) {
        const blockers = P.dialogs(doc, { exclude: HOOKS.panelHost }).filter((d) => !TEXT.keepDialog(d));
        if (!blockers.length) return;
        for (const d of blockers) {
          const btn = P.findButton(d, 'dismiss') || P.closeControl(d);
          if (!btn) continue;
          P.pointerClick(btn);
          await D.waitFor(() => !D.isVisible(d) || !d.isConnected, 3000, doc);
        }
      }
    }

    function nextControl(doc) {
      const hinted = Array.from(doc.querySelectorAll(TEXT.pagerNext)).find(D.isVisible);
      return hinted || P.findButton(doc.body, 'next');
    }
    const pagerList = (doc) => { const next = nextControl(doc); return next && (next.closest('ul') || next.parentElement); };

    function pageInfo(doc) {
      const list = pagerList(doc);
      const items = list ? Array.from(list.querySelectorAll('li, a, button')).filter((li) => /^\d+$/.test(D.text(li))) : [];
      const active = items.find((li) => li.getAttribute('aria-current') || /active|current|selected/i.test(li.className));
      const nums = items.map((li) => Number(D.text(li)));
      return { current: active ? Number(D.text(active)) : 1, total: nums.length ? Math.max(...nums) : 1 };
    }

    const isDisabled = (el) => el.disabled || el.getAttribute('aria-disabled') === 'true' || /disabled/i.test(el.className)
      || el.hasAttribute('disabled');
    const screenIds = (doc) => orderGroups(doc).map((g) => g.id).join(',');

    // Clicks `target` and waits for other orders on screen. `TEXT.pagingStopped(since)` may
    // return an error to throw instead (a captcha is not the end of the list).
    async function turnTo(doc, target) {
      const was = screenIds(doc);
      await dismissBlockers(doc);
      const since = Date.now();
      P.pointerClick(target);
      let stopped = null;
      const moved = await D.waitFor(() => {
        stopped = TEXT.pagingStopped(since);
        if (stopped) return true;
        const ids = screenIds(doc);
        return ids && ids !== was;
      }, 15000, doc);
      if (stopped) throw stopped;
      return Boolean(moved);
    }

    async function nextPage(doc) {
      const next = nextControl(doc);
      if (!next || isDisabled(next)) return false;
      return turnTo(doc, next);
    }

    /** Back to page `n` (after an all-pages walk): its number in the pager, else 上一页 until there. */
    async function goToPage(doc, n) {
      for (let guard = 0; guard < 200 && pageInfo(doc).current !== n; guard += 1) {
        const list = pagerList(doc);
        const item = list && Array.from(list.querySelectorAll('li, a, button')).find((el) => D.text(el) === String(n));
        const prev = list && Array.from(list.querySelectorAll('[data-testid*="pagination-prev"], [class*="prev" i], [aria-label="上一页"]')).find(D.isVisible);
        const target = item || (pageInfo(doc).current > n ? prev : nextControl(doc));
        if (!target || isDisabled(target)) return false;
        if (!(await turnTo(doc, target))) return false;
      }
      return pageInfo(doc).current === n;
    }

    return { orderHeads, orderGroups, headerRow, columns, cellsOf, cellLines, parseGroup, readDom, inOverlay,
      isEmptyList, dismissBlockers, pageInfo, nextPage, goToPage };
  }

  globalThis.DanhaoOrderList = { reader, fen, unixToIso, ID_RE, PHONE_RE, REGION_RE };
})();
