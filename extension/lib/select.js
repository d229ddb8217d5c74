// Custom dropdowns (beast-core, Fusion, auxo/antd rc-select…): the options exist only while
// the panel is open, the panel is mounted at body level, and long lists either load more on
// scroll (拼多多) or are virtual lists that draw only the ~10 options in view (rc-select, 抖店):
// reading a list therefore scrolls it step by step and collects what each step shows.
(function () {
  'use strict';
  const D = () => globalThis.DanhaoDom;

  const DEFAULTS = {
    panel: '[role="listbox"]',
    option: '[role="option"]',
    // Panels without ARIA roles (many component kits): a visible dropdown/popover holding options.
    fallbackPanel: '[class*="dropdown" i], [class*="select-menu" i], [class*="popover" i], [class*="popup" i], [class*="options" i]',
    fallbackOption: 'li',
    // Kits that draw options as <div class="…-item-option"> (antd rc-select and its forks).
    classOption: '[class*="option" i]',
    openTimeout: 3000,
    moreTimeout: 1200,   // how long a scroll to the end may take to bring more options
    stepTimeout: 250,    // how long a virtual list may take to draw the next options
  };

  // Drawn where a person can see it: not inside a 0×0 clipping box (rc-select's hidden ARIA list).
  function shown(el) {
    if (!D().isVisible(el)) return false;
    for (let up = el.parentElement; up && up !== el.ownerDocument.body; up = up.parentElement) {
      const r = up.getBoundingClientRect();
      if ((r.width === 0 || r.height === 0) && getComputedStyle(up).overflow !== 'visible') return false;
    }
    return true;
  }
  const visible = (els) => els.filter(shown);
  const outermost = (els) => els.filter((el) => !els.some((o) => o !== el && o.contains(el)));

  // The options drawn in `panel`: ARIA options, else <li>s, else option-classed elements.
  // rc-select keeps a 0×0 ARIA listbox whose options show values, not labels: only visible
  // options count.
  function options(panel, cfg) {
    const own = visible(Array.from(panel.querySelectorAll(cfg.option)));
    if (own.length) return own;
    const lis = cfg.fallbackOption ? visible(Array.from(panel.querySelectorAll(cfg.fallbackOption))) : [];
    if (lis.length) return lis;
    return outermost(visible(Array.from(panel.querySelectorAll(cfg.classOption)))
      .filter((el) => D().text(el) && !el.matches(cfg.fallbackPanel)));
  }
  const label = (opt) => D().norm(opt.getAttribute('title') || '') || D().text(opt);

  // The open panel is the last visible one: closed panels may linger hidden in the DOM.
  // Panels portalled into the open shadow root of a popup layer at body level (<x-popup-layer>)
  // are looked for there when the document itself holds none.
  function panelsIn(doc, sel) {
    const light = Array.from(doc.querySelectorAll(sel));
    if (light.length || !doc.body) return light;
    return Array.from(doc.body.children).filter((h) => h.shadowRoot).flatMap((h) => Array.from(h.shadowRoot.querySelectorAll(sel)));
  }

  function visiblePanel(doc, cfg) {
    let panels = visible(panelsIn(doc, cfg.panel));
    if (!panels.length && cfg.fallbackPanel) {
      panels = Array.from(doc.querySelectorAll(cfg.fallbackPanel))
        .filter((p) => D().isVisible(p) && !p.closest('#danhao-panel-host') && options(p, cfg).length);
      // The innermost element holding the options is the list itself.
      panels = panels.filter((p) => !panels.some((o) => o !== p && p.contains(o)));
    }
    return panels[panels.length - 1] || null;
  }

  async function open(trigger, cfg) {
    const doc = trigger.ownerDocument;
    let panel = visiblePanel(doc, cfg);
    if (panel) return panel;
    trigger.scrollIntoView({ block: 'center' });
    if (globalThis.DanhaoPage) globalThis.DanhaoPage.pointerClick(trigger); else D().click(trigger);
    panel = await D().waitFor(() => visiblePanel(doc, cfg), cfg.openTimeout, doc);
    return panel;
  }

  // The element that scrolls the options: the panel, its parent, or a list inside it.
  function scrollerOf(panel) {
    const candidates = [panel, panel.parentElement, ...panel.querySelectorAll('*')];
    return candidates.find((el) => el && el.scrollHeight > el.clientHeight + 2
      && (el === panel || /auto|scroll/.test(getComputedStyle(el).overflowY))) || null;
  }

  // One scroll step down the list; resolves true when options not drawn before are now drawn
  // (a virtual list drew the next ones, or a lazy list loaded more at its end).
  async function step(panel, cfg, seen) {
    const el = scrollerOf(panel) || panel;
    const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
    el.scrollTop = atEnd ? el.scrollHeight : el.scrollTop + Math.max(40, el.clientHeight * 0.8);
    el.dispatchEvent(new Event('scroll'));
    const fresh = () => !panel.isConnected || options(panel, cfg).some((o) => !seen.has(label(o)));
    const got = await D().waitFor(fresh, atEnd ? cfg.moreTimeout : cfg.stepTimeout, panel.ownerDocument);
    if (got && panel.isConnected) return true;
    // Not at the end yet: a step that drew nothing new (options taller than the step) goes on.
    return panel.isConnected && !atEnd;
  }

  async function close(trigger, cfg) {
    const doc = trigger.ownerDocument;
    const gone = () => !visiblePanel(doc, cfg);
    if (gone()) return true;
    const tries = [
      () => (doc.activeElement || doc.body).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', keyCode: 27, bubbles: true })),
      () => D().click(trigger),
      () => { doc.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })); doc.body.click(); },
    ];
    for (const t of tries) {
      t();
      if (await D().waitFor(gone, 500, doc)) return true;
    }
    return gone();
  }

  // A search-select (rc-select show-search, Fusion showSearch): typing filters the options.
  // Typed like a person (native setter + input event), without the blur that would close it.
  const searchInput = (trigger) => (trigger.matches('input:not([readonly])') ? trigger
    : trigger.querySelector && trigger.querySelector('input:not([readonly])'));
  function type(input, value) {
    input.focus();
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    set.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  async function pick(trigger, hit, cfg) {
    if (hit.getAttribute('data-disabled') === 'true' || hit.getAttribute('aria-disabled') === 'true'
      || /disabled/i.test(hit.className)) {
      await close(trigger, cfg);
      return { ok: false, reason: `option disabled: ${label(hit)}` };
    }
    hit.scrollIntoView({ block: 'nearest' });
    if (globalThis.DanhaoPage) globalThis.DanhaoPage.pointerClick(hit); else D().click(hit);
    await D().waitFor(() => !visiblePanel(trigger.ownerDocument, cfg), 800, trigger.ownerDocument);
    await close(trigger, cfg);
    return { ok: true };
  }

  // Opens the dropdown and clicks the option whose label is exactly `wanted`.
  // → {ok: true} or {ok: false, reason}; the panel is closed again when nothing fits.
  async function choose(trigger, wanted, userCfg) {
    const cfg = { ...DEFAULTS, ...userCfg };
    const want = D().norm(wanted);
    let panel = await open(trigger, cfg);
    if (!panel) return { ok: false, reason: 'dropdown panel did not open' };
    const find = () => panel.isConnected && options(panel, cfg).find((o) => label(o) === want);
    if (find()) return pick(trigger, find(), cfg);
    // Filter first where the control takes typing: a long list is then one short screen.
    const input = searchInput(trigger);
    if (input) {
      type(input, want);
      const hit = await D().waitFor(() => { panel = visiblePanel(trigger.ownerDocument, cfg) || panel; return find(); },
        cfg.moreTimeout, trigger.ownerDocument);
      if (hit) return pick(trigger, hit, cfg);
      type(input, '');
      panel = (await D().waitFor(() => visiblePanel(trigger.ownerDocument, cfg), cfg.openTimeout, trigger.ownerDocument)) || panel;
    }
    const seen = new Set();
    for (let i = 0; i < 400 && panel.isConnected; i += 1) {
      for (const o of options(panel, cfg)) seen.add(label(o));
      if (!(await step(panel, cfg, seen))) break;
      const hit = find();
      if (hit) return pick(trigger, hit, cfg);
    }
    await close(trigger, cfg);
    return { ok: false, reason: `option not offered: ${want}` };
  }

  // Every option label in list order, after scrolling until nothing new shows; the panel is
  // closed after. null when the panel did not open.
  async function readAll(trigger, userCfg) {
    const cfg = { ...DEFAULTS, ...userCfg };
    const panel = await open(trigger, cfg);
    if (!panel) return null;
    const seen = new Set();
    for (let i = 0; i < 400 && panel.isConnected; i += 1) {
      for (const o of options(panel, cfg)) { const l = label(o); if (l) seen.add(l); }
      if (!(await step(panel, cfg, seen))) break;
    }
    await close(trigger, cfg);
    return Array.from(seen);
  }

  globalThis.DanhaoSelect = { choose, readAll, open: (t, c) => open(t, { ...DEFAULTS, ...c }), close: (t, c) => close(t, { ...DEFAULTS, ...c }), options: (panel, c) => options(panel, { ...DEFAULTS, ...c }) };
})();
