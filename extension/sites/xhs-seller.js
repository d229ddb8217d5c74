// 小红书千帆 order list (ark.xiaohongshu.com/app-order/order/query): read the packages, read the
// courier options of the 批量发货 drawer, fill every ready package's row of that drawer at once.
//
// Evidence (../reference real-pages.md §7 and public 2025-26 tools): the page URL and its list
// reply, POST /api/edith/fulfillment/order/page → {code: 0, data: {total, packages: [...]}}; orders
// are packages with ids `P…` (strings), money in yuan numbers, times in ms; fields packageId,
// statusDesc, orderedAt, actualPaid, userInfo{name, phone, address}, skus[{displayName,
// skuSpecification, skuQuantity, skuSoldPrice}]. The ship request of 2026 is
// POST /api/edith/fulfillment/order_delivering_api {package_id, express_company_code, express_no,
// delivery_group} → code 0. No public markup of the list or of the drawer exists: the list is read by
// meaning through the shared order-list reader (订单号/包裹号 heads, column headers), the drawer by
// its labels (物流公司 / 快递公司, 运单号 / 快递单号) and by the package id each row shows. No class
// name is used.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const P = globalThis.DanhaoPage;
  const N = globalThis.DanhaoNormalize;
  const SF = globalThis.DanhaoShipForm;
  const SITE = 'xhs-seller';
  const { fen, unixToIso } = globalThis.DanhaoOrderList;

  const msToIso = (ms) => unixToIso(Number(ms) / 1000);
  const yuan = (v) => (v === '' || v == null || !Number.isFinite(Number(v)) ? '' : fen(Math.round(Number(v) * 100)));

  // order/page packages → MODEL.md. Evidenced: packageId, statusDesc, orderedAt, actualPaid,
  // userInfo{name, phone, address}, skus[...]. GUESS (no public code names it): promiseShipTime (the
  // 最晚发货时间), buyerRemark. A reply missing one of `required` is not trusted: a note says so and
  // the page is read instead. `userInfo.address` as one line "省 市 区 street" is a GUESS.
  const REPLY = {
    items: (d) => (d && d.code === 0 && d.data && Array.isArray(d.data.packages) ? d.data.packages : null),
    required: ['packageId', 'statusDesc', 'orderedAt', 'promiseShipTime', 'actualPaid', 'userInfo', 'skus'],
    userRequired: ['name', 'phone', 'address'],
    skuRequired: ['displayName', 'skuSpecification', 'skuQuantity', 'skuSoldPrice'],
    id: (r) => (typeof r.packageId === 'string' ? r.packageId : null),
    order: (r) => {
      const u = r.userInfo || {};
      return {
        status: String(r.statusDesc || ''),
        created_at: msToIso(r.orderedAt),
        ship_by: msToIso(r.promiseShipTime),
        buyer: { name: String(u.name || ''), phone: String(u.phone || ''), address: N.address(String(u.address || '')) },
        items: (r.skus || []).map((s) => ({ title: String(s.displayName || ''), sku: String(s.skuSpecification || ''),
          quantity: Number(s.skuQuantity) || 1, price: yuan(s.skuSoldPrice) })),
        amount: yuan(r.actualPaid),
        remark: 'buyerRemark' in r ? String(r.buyerRemark || '') : null,    // null: the page's own 买家备注
      };
    },
  };

  const TEXT = {
    idLabels: '订单编号|订单号|包裹编号|包裹号',
    pending: '待发货',
    // 小红书's own statuses (2026 note: 4 待配货, 5 待发货, 6 已发货, 7 已完成, 998 已取消) with the shared list.
    statuses: ['待发货', '待配货', '已发货', '已完成', '已取消', '待付款', '待收货', '已签收', '交易成功', '交易关闭', '售后中', '已关闭'],
    afterSale: /售后|退款/,
    unitPrice: ['单价', '商品单价', '售价'],
    batchButton: ['批量发货'],
    merged: /合并发货/,
    rowDone: /发货成功|已发货/,
    needsPerson: /退款|售后|风险|异常|拦截|投诉|确认继续|仍要|确定要/,
    // Package ids as evidenced: `P` + digits (refs in the replica README). Used to tell which
    // package a drawer row is, and that it is only one.
    packageId: /\bP\d{8,}\b/g,
  };
  const HOOKS = {
    pagerNext: '[class*="pagination-next" i], [aria-label="下一页"], [title="下一页"]',
    drawer: '[role=dialog], [aria-modal=true], [class*="drawer" i], [class*="modal" i]',
    panelHost: '#danhao-panel-host',
  };

  // GUESS (replica): the shop name is the page header's titled element.
  function shopOf(doc) {
    const head = doc.querySelector('header, [role=banner]');
    const el = head && Array.from(head.querySelectorAll('[title]')).find((x) => D.isVisible(x) && D.text(x) && D.text(x) === D.norm(x.getAttribute('title')));
    return el ? D.text(el) : '';
  }

  const L = globalThis.DanhaoOrderList.reader({
    idLabels: TEXT.idLabels,
    statuses: TEXT.statuses,
    detailLink: 'a[href*="order/detail"]',
    specLabel: /(?!)/,                 // the spec line is kept as shown, as skuSpecification says
    remark: /(?:买家备注|买家留言|用户备注)\s*[:：]\s*(.*)$/,
    pagerNext: HOOKS.pagerNext,
    shopOf,
    keepDialog: (d) => isShipDrawer(d),
  });
  const { orderHeads, orderGroups, columns, parseGroup, isEmptyList, dismissBlockers, pageInfo, nextPage, goToPage } = L;

  // --- the list read from the page -----------------------------------------------------------
  // The list has separate 单价 and 数量 columns (the shared reader knows 单价/数量 in one cell): the
  // unit price is read from the 单价 column, placed as an HTML table places cells (the first goods
  // row carries every column, the order-level cells span the later rows).
  function unitPrices(doc, g) {
    const header = L.headerRow(doc);
    if (!header) return [];
    const heads = L.cellsOf(header).map((c) => D.text(c));
    const at = heads.findIndex((h) => TEXT.unitPrice.includes(P.strip(h)));
    if (at < 0) return [];
    const spanned = new Set();
    return g.rows.map((row, k) => {
      const cells = L.cellsOf(row);
      const free = heads.map((_, i) => i).filter((i) => k === 0 || !spanned.has(i));
      if (k === 0) cells.forEach((c, i) => { if (Number(c.rowSpan || c.getAttribute('rowspan') || 1) > 1) spanned.add(free[i]); });
      const cell = cells[free.indexOf(at)];
      const m = cell && L.cellLines(cell).find((l) => /^[¥￥]?\s*\d[\d,]*(?:\.\d{1,2})?$/.test(l));
      return m ? N.money(m) : '';
    });
  }

  function readDom(doc) {
    const idx = columns(doc);
    const shop = shopOf(doc);
    return orderGroups(doc).map((g) => {
      const o = parseGroup(g, idx, shop);
      const prices = unitPrices(doc, g);
      return { ...o, items: o.items.map((it, k) => (prices[k] ? { ...it, price: prices[k] } : it)) };
    });
  }

  async function waitForRows(doc, timeout = 15000) {
    return D.waitFor(() => orderHeads(doc).length > 0 || isEmptyList(doc), timeout, doc);
  }

  // --- the page's reply ---------------------------------------------------------------------
  /** {orders, problem}: the newest order/page reply holding every package on screen, mapped;
   *  `dom` gives what the page shows that the reply may not (status text, link, a remark). */
  function readReply(dom) {
    const PD = globalThis.DanhaoPageData;
    const ids = dom.map((o) => o.order_id);
    if (!PD || !ids.length) return { orders: null, problem: null };
    for (const entry of PD.replies(SITE, 'orderList').reverse()) {
      const rows = REPLY.items(entry.data);
      if (!rows) continue;
      const r0 = rows[0];
      const missing = r0 ? REPLY.required.filter((k) => !(k in r0)) : [];
      if (r0 && r0.userInfo) missing.push(...REPLY.userRequired.filter((k) => !(k in r0.userInfo)).map((k) => `userInfo.${k}`));
      if (r0 && Array.isArray(r0.skus) && r0.skus[0]) missing.push(...REPLY.skuRequired.filter((k) => !(k in r0.skus[0])).map((k) => `skus.${k}`));
      if (missing.length) return { orders: null, problem: `order/page 缺少字段 / reply lacks ${missing.join(', ')}` };
      if (rows.some((r) => typeof r.actualPaid !== 'number' && typeof r.actualPaid !== 'string')) {
        return { orders: null, problem: 'order/page 金额格式已变 / amounts are not yuan' };
      }
      const byId = new Map(rows.map((r) => [REPLY.id(r), r]).filter(([id]) => id));
      if (!ids.every((id) => byId.has(id))) continue;
      const shown = new Map(dom.map((o) => [o.order_id, o]));
      return {
        orders: ids.map((id) => {
          const o = REPLY.order(byId.get(id));
          const page = shown.get(id);
          return { order_id: id, shop: page.shop, status: page.status || o.status, created_at: o.created_at, ship_by: o.ship_by,
            buyer: o.buyer, items: o.items, amount: o.amount, remark: o.remark === null ? page.remark : o.remark, url: page.url };
        }),
        problem: null,
      };
    }
    return { orders: null, problem: null };
  }

  // A busy machine may render the rows before the observer's copy of their reply arrives: with no
  // copy held yet, the first one is awaited longer.
  async function replyFor(dom) {
    const PD = globalThis.DanhaoPageData;
    return PD && dom.length ? PD.settled(SITE, 'orderList', () => readReply(dom), { firstWait: 3000 }) : readReply(dom);
  }

  async function extract(doc) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    const dom = readDom(doc);
    const reply = await replyFor(dom);
    const notes = reply.problem ? [reply.problem] : [];
    if (reply.orders) return { orders: reply.orders, pages: pageInfo(doc), source: 'reply', notes };
    if (!dom.length && !isEmptyList(doc)) {
      const seen = globalThis.DanhaoPageData && globalThis.DanhaoPageData.latest(SITE, 'orderList');
      const rows = seen && REPLY.items(seen.data);
      if (rows && rows.length) throw P.pageChanged(`页面有 ${rows.length} 个包裹，但找不到包裹行`, `the page has ${rows.length} packages but no package rows were found`);
    }
    return { orders: dom, pages: pageInfo(doc), source: 'dom', notes };
  }

  async function extractVia(doc, source) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    const dom = readDom(doc);
    if (source === 'dom') return { orders: dom, source };
    const reply = await replyFor(dom);
    return { orders: reply.orders, source, problem: reply.problem };
  }

  // --- the 批量发货 drawer -------------------------------------------------------------------
  // Mounted at body level, or inside the open shadow root of a host element at body level.
  function drawerCandidates(doc) {
    const light = Array.from(doc.body.querySelectorAll(HOOKS.drawer));
    const shadow = Array.from(doc.body.children).filter((h) => h.shadowRoot && !h.matches(HOOKS.panelHost))
      .flatMap((h) => P.deepQueryAll(h, HOOKS.drawer));
    const hits = light.concat(shadow).filter((el) => D.isVisible(el) && !el.closest(HOOKS.panelHost)
      && !/mask|overlay|backdrop/i.test(String(el.className))).filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 120 && r.height > 60;
    });
    return hits.filter((el) => !hits.some((o) => o !== el && o.contains(el)));
  }
  const isShipDrawer = (d) => Boolean(P.findField(d, 'courier') || P.findField(d, 'tracking'));
  const shipDrawer = (doc) => drawerCandidates(doc).find(isShipDrawer) || null;

  async function closeDrawer(doc, drawer) {
    if (!drawer || !drawer.isConnected || !D.isVisible(drawer)) return true;
    const btn = P.findButton(drawer, 'cancel') || P.closeControl(drawer);
    if (btn) P.pointerClick(btn);
    return Boolean(await D.waitFor(() => !drawer.isConnected || !D.isVisible(drawer), 3000, doc));
  }

  // The package ids a piece of the page shows (P + digits).
  const idsIn = (el) => Array.from(new Set(P.deepText(el).match(TEXT.packageId) || []));

  const rowsOf = (drawer) => P.allElements(drawer).filter((el) => el.matches('tr, [role=row]')
    && !Array.from(el.children).some((c) => c.tagName === 'TH' || c.getAttribute('role') === 'columnheader'));

  // A row's field by its label (placeholder, aria), else by the drawer's column header above it.
  function fieldIn(drawer, row, key, exclude = []) {
    const found = P.findField(row, key, { exclude });
    if (found && P.composedContains(row, found)) return found;
    const header = P.allElements(drawer).find((el) => el.matches('tr, [role=row]')
      && Array.from(el.children).some((c) => c.tagName === 'TH' || c.getAttribute('role') === 'columnheader'));
    if (!header) return null;
    const at = Array.from(header.children).findIndex((c) => P.names(D.text(c), key, { exact: true }));
    const cell = at >= 0 ? row.children[at] : null;
    const ctl = cell && P.allElements(cell).find((el) => el.matches('input:not([type=hidden]):not([type=checkbox]), select, [role=combobox]') && D.isVisible(el) && !exclude.includes(el));
    return ctl || null;
  }

  /** The drawer's rows for `ids` → {rows: Map(id → {row, courier, number}), problem}. A row must show
   *  its package id and no other one; a row holding several packages (合并发货: one number for many
   *  packages is the seller's decision) or a row without both fields is a shape Danhao does not know. */
  function drawerRows(drawer, ids) {
    const rows = new Map();
    const all = rowsOf(drawer);
    for (const row of all) {
      const shown = idsIn(row);
      if (shown.length > 1 || (shown.length && TEXT.merged.test(P.deepText(row)))) {
        return { problem: P.pageChanged(`批量发货的一行有多个包裹（${shown.join('、')}），一个运单号对应多个包裹需要人工决定`,
          `a 批量发货 row holds several packages (${shown.join(', ')}): one number for several packages is the seller's decision`).message };
      }
    }
    for (const id of ids) {
      const mine = all.filter((r) => idsIn(r).includes(id));
      if (mine.length !== 1) {
        return { problem: P.pageChanged(`批量发货里找不到包裹 ${id} 的一行`, `no 批量发货 row shows package ${id}`).message };
      }
      const row = mine[0];
      const courier = fieldIn(drawer, row, 'courier');
      const number = courier && fieldIn(drawer, row, 'tracking', [courier]);
      if (!courier || !number) {
        return { problem: P.pageChanged(`包裹 ${id} 的一行里找不到 物流公司 和 运单号`, `no courier and number fields in the row of ${id}`).message };
      }
      rows.set(id, { row, courier, number });
    }
    const others = all.filter((r) => idsIn(r).length && !ids.some((id) => idsIn(r).includes(id)));
    if (others.length) {
      return { problem: `wrong_dialog: 批量发货里还有其他包裹（${others.map((r) => idsIn(r)[0]).join('、')}） / the drawer holds other packages too` };
    }
    return { rows };
  }

  // The courier list is asked for when the drawer opens and shows 加载中… until it answers: open
  // the row's dropdown (a search-select opens on focus) and wait for its options.
  async function loadedCourierPanel(doc, field) {
    if (field.tagName === 'SELECT') return true;
    // A panel closed a moment ago may still be in the page: wait until the last one is gone.
    await D.waitFor(() => !currentPanel(field), 1000, doc);
    if (field.matches('input')) field.focus();
    if (!(await D.waitFor(() => currentPanel(field), 1500, doc))) await globalThis.DanhaoSelect.open(field, {});
    return Boolean(await D.waitFor(() => {
      const panel = currentPanel(field);
      return panel && !/加载中|loading/i.test(D.text(panel))
        && (globalThis.DanhaoSelect.options(panel).length > 0 || /暂无|无匹配/.test(D.text(panel)));
    }, 10000, doc));
  }

  // The open options list of a search-select: the one it names (aria-controls), else the last one shown.
  function currentPanel(field) {
    const root = field.getRootNode();
    const id = field.getAttribute('aria-controls') || field.getAttribute('aria-owns');
    const own = id && root.getElementById ? root.getElementById(id) : null;
    if (own) return D.isVisible(own) ? own : null;
    const shown = Array.from(root.querySelectorAll('[role=listbox]')).filter(D.isVisible);
    return shown[shown.length - 1] || null;
  }

  async function closeCourierPanel(field) {
    await globalThis.DanhaoSelect.close(field, {});
    if (field.matches('input')) field.blur();
  }

  function groupsById(doc) {
    return new Map(orderGroups(doc).map((g) => [g.id, g]));
  }

  function shipButtonIn(g) {
    for (const row of g.rows) {
      const b = P.findButton(row, 'shipButton');
      if (b) return b;
    }
    return P.findButton(g.block || g.el.parentElement || g.el, 'shipButton');
  }

  // The package's own tick box: in its head, next to its id (the head shows that one id only).
  function tickBoxOf(g) {
    const head = g.el.closest('tr, [role=row]') || g.el.parentElement;
    if (!head || idsIn(head).length !== 1) return null;
    return P.allElements(head).find((el) => el.matches('input[type=checkbox], [role=checkbox]')) || null;
  }
  const isTicked = (box) => (box.matches('input') ? box.checked : box.getAttribute('aria-checked') === 'true');

  async function setTick(doc, box, on) {
    if (isTicked(box) === on) return true;
    if (box.matches('input') && box.disabled) return false;
    box.click();
    return Boolean(await D.waitFor(() => isTicked(box) === on, 2000, doc));
  }

  /** Opens the drawer for exactly `ids`: one package by its row's 发货, several by ticking them
   *  (and only them) and 批量发货. → {drawer} | {error} | {needsPerson}. */
  async function openDrawer(doc, ids) {
    const groups = groupsById(doc);
    const before = new Set(drawerCandidates(doc));
    if (ids.length === 1) {
      const btn = shipButtonIn(groups.get(ids[0]));
      if (!btn) return { error: P.pageChanged(`包裹 ${ids[0]} 没有 发货 按钮`, `no 发货 button for ${ids[0]}`).message };
      P.pointerClick(btn);
    } else {
      for (const g of groups.values()) {
        const box = tickBoxOf(g);
        const want = ids.includes(g.id);
        if (!box) { if (want) return { error: P.pageChanged(`包裹 ${g.id} 没有勾选框`, `no tick box for ${g.id}`).message }; continue; }
        if (!(await setTick(doc, box, want)) && want) return { error: P.pageChanged(`无法勾选包裹 ${g.id}`, `cannot tick ${g.id}`).message };
      }
      const btn = await D.waitFor(() => P.findButton(doc.body, TEXT.batchButton), 3000, doc);
      if (!btn) return { error: P.pageChanged('找不到 批量发货 按钮', '批量发货 button not found').message };
      P.pointerClick(btn);
    }
    const opened = await D.waitFor(() => shipDrawer(doc) || drawerCandidates(doc).find((d) => !before.has(d)), 6000, doc);
    if (!opened) return { error: P.pageChanged('点 发货 后没有出现批量发货抽屉', 'no drawer opened on 发货').message };
    await D.waitFor(() => isShipDrawer(opened) && rowsOf(opened).length, 3000, doc);
    if (!isShipDrawer(opened)) {
      const shows = P.lines(opened).filter((l) => l.length <= 40).slice(0, 8).join(' ');
      await closeDrawer(doc, opened);
      if (TEXT.needsPerson.test(shows)) return { needsPerson: shows };
      return { error: P.pageChanged(`发货抽屉里找不到 物流公司 和 运单号（显示：${shows}）`, `no 物流公司 and 运单号 in the drawer (it shows: ${shows})`).message };
    }
    return { drawer: opened };
  }

  async function readOptions(doc) {
    await waitForRows(doc);
    await dismissBlockers(doc);
    let drawer = shipDrawer(doc);
    let opened = false;
    if (!drawer) {
      const g = orderGroups(doc).find((x) => shipButtonIn(x));
      if (!g) return [];
      const r = await openDrawer(doc, [g.id]);
      if (r.error) throw Object.assign(new Error(r.error), { code: 'page_changed' });
      if (!r.drawer) return [];
      drawer = r.drawer;
      opened = true;
    }
    const row = rowsOf(drawer).find((r) => fieldIn(drawer, r, 'courier'));
    const field = row && fieldIn(drawer, row, 'courier');
    if (!field) { if (opened) await closeDrawer(doc, drawer); throw P.pageChanged('找不到 物流公司 选择框', '物流公司 select not found'); }
    await loadedCourierPanel(doc, field);
    const labels = await SF.courierOptions(field, doc);
    await closeCourierPanel(field);
    if (opened) await closeDrawer(doc, drawer);
    if (!labels || !labels.length) throw P.pageChanged('找不到 物流公司 选项', '物流公司 options not found');
    return labels;
  }

  // order_delivering_api {package_id | delivery_package_id, package_id_list?, express_no, …} →
  // {code: 0, success} or {code, msg} (public 2026 capture). → the answer for package `id`, or null.
  function shipReplyFor(entry, id) {
    const req = entry.request && typeof entry.request === 'object' ? entry.request : null;
    if (!req) return null;
    const mine = [req.package_id, req.delivery_package_id, ...(Array.isArray(req.package_id_list) ? req.package_id_list : [])].map(String);
    if (!mine.includes(id)) return null;
    const d = entry.data || {};
    return { ok: entry.status < 400 && d.code === 0 && d.success !== false, number: String(req.express_no || ''),
      message: String(d.msg || d.message || '') };
  }

  // What the row itself says after the confirm: 发货成功, or the platform's words for it.
  function rowSays(row) {
    const alert = P.allElements(row).find((el) => el.matches('[role=alert]') && D.isVisible(el) && D.text(el));
    if (alert) return { ok: false, message: D.text(alert) };
    const text = P.deepText(row);
    return TEXT.rowDone.test(text) ? { ok: true, message: '' } : null;
  }

  /** Fills the rows of `batch` (shipments on screen, one per package) in one drawer and lets the person
   *  confirm once → Map(shipment_id → result). Rows whose option is missing are left out: the drawer is
   *  opened again without them (an empty row would stop the whole drawer). */
  async function fillDrawer(doc, batch, ui) {
    const out = new Map();
    const failAll = (list, reason) => { for (const s of list) out.set(s.shipment_id, { result: 'failed', submitted: false, reason }); return out; };
    let todo = batch.slice();
    for (let attempt = 0; attempt < 2 && todo.length; attempt += 1) {
      const opened = await openDrawer(doc, todo.map((s) => s.order_id));
      if (opened.needsPerson) {
        for (const s of todo) out.set(s.shipment_id, { result: 'skipped', submitted: false, reason: `needs_person: 平台提示“${opened.needsPerson}”，请人工处理 / the platform asks a person first` });
        return out;
      }
      if (opened.error) return failAll(todo, opened.error);
      const drawer = opened.drawer;
      const found = drawerRows(drawer, todo.map((s) => s.order_id));
      const confirm = P.findButton(drawer, 'confirmShip');
      if (found.problem || !confirm) {
        await closeDrawer(doc, drawer);
        return failAll(todo, found.problem || P.pageChanged('找不到 确认发货 按钮', 'confirm button not found').message);
      }
      const ok = [];
      for (const s of todo) {
        const { courier, number } = found.rows.get(s.order_id);
        if (!(await loadedCourierPanel(doc, courier))) {
          await closeDrawer(doc, drawer);
          return failAll(todo, P.pageChanged('物流公司 列表没有加载出来', 'the courier list did not load').message);
        }
        const filled = await SF.fillFields(doc, { courier, number, option: s.target.option, value: s.number });
        if (courier.matches('input')) courier.blur();          // a search-select closes on blur
        if (filled.ok) ok.push(s); else out.set(s.shipment_id, { result: 'failed', submitted: false, reason: filled.reason });
      }
      if (ok.length === todo.length) return confirmDrawer(doc, drawer, found.rows, ok, ui, out);
      // Some rows could not be filled: never confirm a drawer with rows Danhao left empty.
      await closeDrawer(doc, drawer);
      todo = ok;
    }
    return failAll(todo, 'not_kept: 批量发货抽屉两次都没有保留填写的内容 / the drawer did not keep what was filled');
  }

  // The drawer's footer sits at the bottom right, where Danhao's own panel is: while the person is
  // asked to click, the panel moves out of the way (its box is exposed as ::part(box)).
  function clearOfPanel(el) {
    const doc = el.ownerDocument;
    const covered = () => {
      const r = el.getBoundingClientRect();
      const hit = doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return Boolean(hit && hit.closest(HOOKS.panelHost));
    };
    if (!covered()) return () => {};
    const style = doc.createElement('style');
    style.textContent = `${HOOKS.panelHost}::part(box) { right: auto; left: 16px; }`;
    (doc.head || doc.documentElement).append(style);
    if (covered()) style.textContent += `\n${HOOKS.panelHost}::part(box) { bottom: auto; top: 16px; }`;
    return () => style.remove();
  }

  // Points at the drawer's confirm once; each row's result is the platform's answer for its package,
  // else what the row shows, else (the drawer closed after the click) the drawer finishing.
  async function confirmDrawer(doc, drawer, rows, batch, ui, out) {
    const PD = globalThis.DanhaoPageData;
    const answers = new Map();               // package id → {ok, number, message}
    const off = PD ? PD.subscribe((site, endpoint, entry) => {
      if (site !== SITE || endpoint !== 'ship') return;
      for (const s of batch) { const r = shipReplyFor(entry, s.order_id); if (r) answers.set(s.order_id, r); }
    }) : () => {};
    const confirm = P.findButton(drawer, 'confirmShip');
    let clicked = null;                      // each row as it was when confirm was clicked
    const snapshot = () => new Map(batch.map((s) => { const f = rows.get(s.order_id); return [s.order_id, { courier: SF.fieldShows(f.courier), number: f.number.value }]; }));
    const onConfirm = () => { clicked = snapshot(); };
    confirm.addEventListener('click', onConfirm, true);
    const closed = () => !drawer.isConnected || !D.isVisible(drawer);
    const answerOf = (s) => answers.get(s.order_id) || (closed() ? null : rowSays(rows.get(s.order_id).row));
    const settled = () => (closed() ? (clicked ? 'closed' : 'cancelled') : (clicked && batch.every((s) => answerOf(s)) ? 'answered' : null));
    const by = ui.autoSubmit ? 'auto' : 'user';
    const verdict = (s, outcome) => {
      const a = answerOf(s);
      const sent = (clicked && clicked.get(s.order_id)) || { courier: '', number: '' };
      if (a && !a.ok) return { result: 'skipped', submitted: false, reason: `not_confirmed: 平台拒绝：${a.message || '发货失败'} / the platform refused the ship` };
      if (!a && outcome !== 'closed') return { result: 'skipped', submitted: false, reason: 'not_confirmed: 平台没有回答这一行 / no answer for this row' };
      const numberSent = a && a.number ? a.number : sent.number;
      if (numberSent !== s.number || !sent.courier.includes(s.target.option)) {
        return { result: 'failed', submitted: false, reason: `submitted_different: 页面提交的是 ${sent.courier} ${numberSent}，不是 Danhao 填的 ${s.target.option} ${s.number}，请核对 / the page submitted ${sent.courier} ${numberSent}, not ${s.target.option} ${s.number}` };
      }
      return { result: 'filled', submitted: true, reason: '', by };
    };
    try {
      let outcome;
      if (ui.autoSubmit) {
        P.pointerClick(confirm);
        outcome = await D.waitFor(settled, 15000, doc);
        if (!outcome) {
          await closeDrawer(doc, drawer);
          for (const s of batch) if (!answers.has(s.order_id)) out.set(s.shipment_id, { result: 'failed', submitted: false, reason: 'submit_rejected: 批量发货没有完成 / the drawer did not finish' });
          for (const s of batch) if (!out.has(s.shipment_id)) out.set(s.shipment_id, verdict(s, 'answered'));
          return out;
        }
      } else {
        await dismissBlockers(doc);
        const unpoint = SF.pointAt(confirm);
        const uncover = clearOfPanel(confirm);
        try {
          outcome = await Promise.race([SF.until(settled, doc), ui.interrupted ? ui.interrupted() : new Promise(() => {})]);
          // 跳过/停止 after the click: the ship may be on its way; its answers decide.
          if ((outcome === 'skip' || outcome === 'stop') && clicked) outcome = (await D.waitFor(settled, 10000, doc)) || outcome;
        } finally {
          unpoint();
          uncover();
        }
      }
      if (outcome === 'cancelled') {
        for (const s of batch) out.set(s.shipment_id, { result: 'skipped', submitted: false, reason: 'not_confirmed: 抽屉已关闭，未点确认发货 / the drawer closed without a confirm' });
        return out;
      }
      if (outcome === 'skip' || outcome === 'stop') {
        await closeDrawer(doc, drawer);
        for (const s of batch) out.set(s.shipment_id, { result: 'skipped', submitted: false, reason: outcome === 'stop' ? 'stopped: 用户停止' : 'skipped: 用户跳过' });
        return out;
      }
      for (const s of batch) out.set(s.shipment_id, verdict(s, outcome));
      // Rows the platform refused stay on screen until the drawer closes: the panel has the reasons.
      if (!closed()) await closeDrawer(doc, drawer);
      return out;
    } finally {
      off();
      confirm.removeEventListener('click', onConfirm, true);
    }
  }

  // One drawer per fill loop: the first call fills every ready row of this page (`ui.batch`, the
  // loop's ready shipments), the later calls of the same loop read their row's result.
  const done = new WeakMap();                // ui.batch → Map(shipment_id → result)

  async function fill(doc, shipment, ui = {}) {
    const fail = (reason) => ({ result: 'failed', submitted: false, reason });
    const option = shipment.target && shipment.target.option;
    if (!option || !shipment.number) return fail('bad_shipment: no option or number');
    const key = Array.isArray(ui.batch) ? ui.batch : null;
    const known = key && done.get(key);
    if (known && known.has(shipment.shipment_id)) return known.get(shipment.shipment_id);
    await waitForRows(doc);
    await dismissBlockers(doc);
    const stale = shipDrawer(doc);
    if (stale) await closeDrawer(doc, stale);
    // The loop's other ready shipments that this drawer can take: one per package, never one shipped before.
    const seen = new Set([shipment.order_id]);
    const wanted = [shipment];
    for (const s of (known ? [] : key || [])) {
      if (s === shipment || s.status !== 'ready' || (s.fill && s.fill.submitted) || seen.has(s.order_id)) continue;
      if (!s.target || !s.target.option || !s.number) continue;
      seen.add(s.order_id);
      wanted.push(s);
    }
    const results = new Map();
    const groups = groupsById(doc);
    const idx = columns(doc);
    const batch = [];
    for (const s of wanted) {
      const g = groups.get(s.order_id);
      if (!g) {
        // A package not on this page: nothing of the drawer is filled (a page the loop stops on).
        if (s === shipment) return fail(P.pageChanged(`找不到包裹行 ${s.order_id}`, `package row not found: ${s.order_id}`).message);
        continue;
      }
      const row = parseGroup(g, idx);
      const statusText = L.cellLines(L.cellsOf(g.rows[0]).find((c) => L.cellLines(c).includes(row.status)) || null).join(' ');
      if (row.status && !row.status.includes(TEXT.pending)) results.set(s.shipment_id, { result: 'skipped', submitted: false, reason: `not_pending: ${row.status}` });
      else if (TEXT.afterSale.test(statusText)) results.set(s.shipment_id, { result: 'skipped', submitted: false, reason: `needs_person: 包裹 ${s.order_id} 售后处理中，请人工处理 / after-sale in progress` });
      else batch.push(s);
    }
    if (batch.length) for (const [id, r] of await fillDrawer(doc, batch, ui)) results.set(id, r);
    if (key) done.set(key, new Map([...(known || []), ...results]));
    return results.get(shipment.shipment_id) || fail(`error: 没有这一行的结果 / no result for ${shipment.order_id}`);
  }

  function detect(doc, url) {
    const u = new URL(url);
    if (!u.pathname.startsWith('/app-order/order/query')) return { kind: null, rows: 0 };
    return { kind: 'order-list', rows: orderGroups(doc).length };
  }

  globalThis.DanhaoRegistry.registerAdapter({
    id: 'xhs-seller',
    side: 'seller',
    matches: ['https://ark.xiaohongshu.com/app-order/order/query*'],
    detect, extract, extractVia, readOptions, fill, nextPage, goToPage, pageInfo,
    pendingStatus: (status) => !status || status.includes(TEXT.pending),
  });
})();
