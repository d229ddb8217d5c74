// The parts of filling a ship form (发货) that do not depend on the platform: reading and
// choosing the courier in whatever control the form uses (native <select>, custom dropdown,
// search-select), reading back what the form shows, pointing at the confirm button and
// deciding what happened after it. Adapters find the form and its fields; this file fills them.
(function () {
  'use strict';
  const D = globalThis.DanhaoDom;
  const P = globalThis.DanhaoPage;

  /** What the courier control shows now: a select's chosen label, an input's value, or the
   *  text its custom control draws next to it (rc-select's selection item). '' when none. */
  function fieldShows(field) {
    if (field.tagName === 'SELECT') return D.norm(field.selectedOptions[0] ? field.selectedOptions[0].textContent : '');
    if ('value' in field && field.value) return D.norm(field.value);
    // A search-select's input is empty once chosen: the label sits beside it in the control.
    let el = field.parentElement || field;
    for (let i = 0; i < 3 && el.parentElement && !D.norm(P.deepText(el)); i += 1) el = el.parentElement;
    return D.norm(P.deepText(el));
  }

  /** A native <select> may fill its options after the form opens ("加载中…"): the labels once
   *  they stopped changing, placeholders ("请选择…") left out. */
  async function settledOptions(select, doc) {
    let last = '';
    let stableSince = Date.now();
    const labels = () => Array.from(select.options).map((o) => D.norm(o.textContent)).filter(Boolean);
    await D.waitFor(() => {
      const now = labels().join('|');
      if (now !== last) { last = now; stableSince = Date.now(); return false; }
      return !/加载|loading/i.test(now) && labels().length > 1 && Date.now() - stableSince > 300;
    }, 5000, doc);
    return labels().filter((l) => !/^请选择|^--/.test(l));
  }

  /** Every courier label the control offers, in its order → string[] (empty when none). */
  async function courierOptions(field, doc) {
    const labels = field.tagName === 'SELECT' ? await settledOptions(field, doc) : await globalThis.DanhaoSelect.readAll(field);
    return labels || [];
  }

  /** Chooses exactly `option` → {ok} or {ok: false, reason: 'option not offered: …' | 'option disabled: …' | …}. */
  async function chooseCourier(field, option, doc) {
    if (field.tagName === 'SELECT') {
      await settledOptions(field, doc);
      const opt = Array.from(field.options).find((o) => D.norm(o.textContent) === option);
      if (!opt) return { ok: false, reason: `option not offered: ${option}` };
      if (opt.disabled) return { ok: false, reason: `option disabled: ${option}` };
      globalThis.DanhaoReactInput.setValue(field, opt.value);
      return { ok: true };
    }
    return globalThis.DanhaoSelect.choose(field, option);
  }

  /** Sets the courier and the number and reads both back once the page re-rendered:
   *  → {ok} or {ok: false, reason} with reason `option_missing: …`, `page_changed: …` or `not_kept: …`. */
  async function fillFields(doc, { courier, number, option, value }) {
    const picked = await chooseCourier(courier, option, doc);
    if (!picked.ok) {
      // An option this form does not offer is this order's problem, not a changed page.
      const missing = /^option (not offered|disabled)/.test(picked.reason);
      return { ok: false, reason: missing ? `option_missing: 物流公司 ${picked.reason}` : `page_changed: 物流公司 ${picked.reason}` };
    }
    globalThis.DanhaoReactInput.setValue(number, value);
    // A controlled input that lost the value, or a select that fell back, must not be confirmed.
    const kept = () => fieldShows(courier).includes(option) && number.value === value;
    if (!(await D.waitFor(kept, 1500, doc))) {
      const what = !fieldShows(courier).includes(option) ? `物流公司 did not keep ${option} (shows ${fieldShows(courier) || 'nothing'})`
        : `运单号 did not keep ${value}`;
      return { ok: false, reason: `not_kept: ${what}` };
    }
    return { ok: true };
  }

  /** Outlines `el` for the person; returns the function that removes the outline. */
  function pointAt(el) {
    el.scrollIntoView({ block: 'center' });
    const before = el.style.cssText;
    el.style.outline = '3px solid #e85d04';
    el.style.outlineOffset = '2px';
    el.style.boxShadow = '0 0 0 6px rgba(232,93,4,.25)';
    el.setAttribute('data-danhao-point', 'confirm');
    return () => { el.style.cssText = before; el.removeAttribute('data-danhao-point'); };
  }

  // Resolves when `fn()` is truthy, with no upper bound (the person may take their time).
  async function until(fn, doc) {
    for (;;) {
      const v = await D.waitFor(fn, 60000, doc);
      if (v) return v;
    }
  }

  /**
   * What happened after the fields were filled. The platform's own answer to the page's ship
   * request decides; without one (no observer, an endpoint not listed), a click on the confirm
   * button followed by the form finishing (`finished()`: the dialog closed, the page showed its
   * success) does. What was submitted is compared with what Danhao filled: a courier the page
   * switched by itself, or a number the person corrected, is not Danhao's.
   *
   * `o`: {doc, site, confirm, courier, number, option, shipment, ui{autoSubmit, interrupted},
   *   finished() → bool, abandon() → Promise (closes the form unsent), errorText() → string,
   *   replyFor(entry, orderId) → {ok, request, message} | null, dismiss() → Promise (late promos)}.
   * → {result: 'filled'|'skipped'|'failed', submitted, reason, by?: 'auto'|'user'}.
   */
  async function confirmShip(o) {
    const { doc, site, confirm, courier, number, option, shipment, ui = {} } = o;
    const PD = globalThis.DanhaoPageData;
    const answers = [];
    const off = PD ? PD.subscribe((s, e, entry) => {
      const r = s === site && e === 'ship' && o.replyFor(entry, shipment.order_id);
      if (r) answers.push(r);
    }) : () => {};
    let clicked = null;                         // the form as it was when confirm was clicked
    const onConfirm = () => { clicked = { courier: fieldShows(courier), number: number.value }; };
    confirm.addEventListener('click', onConfirm, true);
    const accepted = () => answers.find((a) => a.ok);
    const dismiss = o.dismiss || (async () => {});

    const verdict = (by) => {
      const ok = accepted();
      const sent = clicked || { courier: fieldShows(courier), number: number.value };
      const numberSent = ok ? (ok.request.includes(shipment.number) ? shipment.number : sent.number) : sent.number;
      if (numberSent !== shipment.number || !sent.courier.includes(option)) {
        return { result: 'failed', submitted: false, reason: `submitted_different: 页面提交的是 ${sent.courier} ${numberSent}，不是 Danhao 填的 ${option} ${shipment.number}，请核对 / the page submitted ${sent.courier} ${numberSent}, not ${option} ${shipment.number}` };
      }
      return { result: 'filled', submitted: true, reason: '', by };
    };
    const notConfirmed = () => {
      const refused = answers.length ? answers[answers.length - 1] : null;
      return { result: 'skipped', submitted: false, reason: refused && !refused.ok
        ? `not_confirmed: 平台拒绝：${refused.message || '发货失败'} / the platform refused the ship`
        : 'not_confirmed: 表单已关闭，未点确认发货 / the form closed without a confirm' };
    };
    // After a click, the outcome is the platform's answer, else the form finishing.
    const settled = () => accepted() || (o.finished() && (clicked ? (answers.length ? 'refused-closed' : 'closed') : 'cancelled'));

    try {
      if (ui.autoSubmit && shipment.status === 'ready') {
        P.pointerClick(confirm);
        const done = await D.waitFor(() => accepted() || o.finished() || (answers.length && !answers[answers.length - 1].ok), 10000, doc);
        if (!done || (!accepted() && !o.finished())) {
          const err = (answers.length && answers[answers.length - 1].message) || o.errorText() || 'form stayed open';
          await o.abandon();
          return { result: 'failed', submitted: false, reason: `submit_rejected: ${err}` };
        }
        if (!accepted() && answers.length) return notConfirmed();
        return verdict('auto');
      }
      // Manual confirmation: point at the button and wait for the person. A promo that pops up
      // meanwhile would cover the button: it is closed as soon as it shows.
      await dismiss();
      const unpoint = pointAt(confirm);
      const guard = setInterval(() => { dismiss().catch(() => {}); }, 1000);
      let outcome;
      try {
        outcome = await Promise.race([
          until(settled, doc),
          ui.interrupted ? ui.interrupted() : new Promise(() => {}),
        ]);
        // 跳过/停止 pressed after the click: the ship may be on its way; its answer decides.
        if ((outcome === 'skip' || outcome === 'stop') && clicked) {
          outcome = (await D.waitFor(settled, 10000, doc)) || outcome;
        }
      } finally {
        clearInterval(guard);
        unpoint();
      }
      if (accepted()) { if (!o.finished()) await D.waitFor(o.finished, 3000, doc); return verdict('user'); }
      if (outcome === 'closed') return verdict('user');
      if (outcome === 'refused-closed' || outcome === 'cancelled') return notConfirmed();
      await o.abandon();
      return { result: 'skipped', submitted: false, reason: outcome === 'stop' ? 'stopped: 用户停止' : 'skipped: 用户跳过' };
    } finally {
      off();
      confirm.removeEventListener('click', onConfirm, true);
    }
  }

  globalThis.DanhaoShipForm = { fieldShows, settledOptions, courierOptions, chooseCourier, fillFields, pointAt, until, confirmShip };
})();
