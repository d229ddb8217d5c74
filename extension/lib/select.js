// Custom dropdowns (beast-core, Fusion, auxo…): the options exist only while the panel
// is open, the panel is mounted at body level, and long lists load more on scroll.
(function () {
  'use strict';
  const D = () => globalThis.DanhaoDom;

  const DEFAULTS = {
    panel: '[role="listbox"]',
    option: '[role="option"]',
    // Panels without ARIA roles (many component kits): a visible dropdown/popover holding <li>s.
    fallbackPanel: '[class*="dropdown" i], [class*="select-menu" i], [class*="popover" i], [class*="popup" i], [class*="options" i]',
    fallbackOption: 'li',
    openTimeout: 3000,
    moreTimeout: 1200,   // how long a scroll may take to bring more options
  };

  // The open panel is the last visible one: closed panels may linger hidden in the DOM.
  function visiblePanel(doc, cfg) {
    let panels = Array.from(doc.querySelectorAll(cfg.panel)).filter(D().isVisible);
    if (!panels.length && cfg.fallbackPanel) {
      panels = Array.from(doc.querySelectorAll(cfg.fallbackPanel))
        .filter((p) => D().isVisible(p) && p.querySelector(cfg.fallbackOption) && !p.closest('#danhao-panel-host'));
      // The innermost element holding the options is the list itself.
      panels = panels.filter((p) => !panels.some((o) => o !== p && p.contains(o)));
    }
    return panels[panels.length - 1] || null;
  }

  const options = (panel, cfg) => {
    const own = Array.from(panel.querySelectorAll(cfg.option));
    return own.length || !cfg.fallbackOption ? own : Array.from(panel.querySelectorAll(cfg.fallbackOption));
  };
  const label = (opt) => D().text(opt);

  async function open(trigger, cfg) {
    const doc = trigger.ownerDocument;
    let panel = visiblePanel(doc, cfg);
    if (panel) return panel;
    trigger.scrollIntoView({ block: 'center' });
    if (globalThis.DanhaoPage) globalThis.DanhaoPage.pointerClick(trigger); else D().click(trigger);
    panel = await D().waitFor(() => visiblePanel(doc, cfg), cfg.openTimeout, doc);
    return panel;
  }

  // Scrolls the panel to its end; resolves true when more options arrived.
  async function loadMore(panel, cfg) {
    const before = options(panel, cfg).length;
    const scrollers = [panel, panel.parentElement].filter((el) => el && el.scrollHeight > el.clientHeight);
    if (!scrollers.length) scrollers.push(panel);
    for (const el of scrollers) {
      el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new Event('scroll'));
    }
    const grown = await D().waitFor(() => options(panel, cfg).length > before || !panel.isConnected,
      cfg.moreTimeout, panel.ownerDocument);
    return Boolean(grown) && panel.isConnected && options(panel, cfg).length > before;
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

  // Opens the dropdown and clicks the option whose label is exactly `wanted`.
  // → {ok: true} or {ok: false, reason}; the panel is closed again when nothing fits.
  async function choose(trigger, wanted, userCfg) {
    const cfg = { ...DEFAULTS, ...userCfg };
    const want = D().norm(wanted);
    const panel = await open(trigger, cfg);
    if (!panel) return { ok: false, reason: 'dropdown panel did not open' };
    for (;;) {
      const hit = options(panel, cfg).find((o) => label(o) === want);
      if (hit) {
        if (hit.getAttribute('data-disabled') === 'true' || hit.getAttribute('aria-disabled') === 'true') {
          await close(trigger, cfg);
          return { ok: false, reason: `option disabled: ${want}` };
        }
        hit.scrollIntoView({ block: 'nearest' });
        if (globalThis.DanhaoPage) globalThis.DanhaoPage.pointerClick(hit); else D().click(hit);
        await D().waitFor(() => !visiblePanel(trigger.ownerDocument, cfg), 800, trigger.ownerDocument);
        await close(trigger, cfg);
        return { ok: true };
      }
      if (!(await loadMore(panel, cfg))) break;
    }
    await close(trigger, cfg);
    return { ok: false, reason: `option not offered: ${want}` };
  }

  // Every option label, after scrolling until no more load; the panel is closed after.
  async function readAll(trigger, userCfg) {
    const cfg = { ...DEFAULTS, ...userCfg };
    const panel = await open(trigger, cfg);
    if (!panel) return null;
    while (await loadMore(panel, cfg)) { /* keep scrolling */ }
    const labels = options(panel, cfg).map(label).filter(Boolean);
    await close(trigger, cfg);
    return Array.from(new Set(labels));
  }

  globalThis.DanhaoSelect = { choose, readAll, open, close };
})();
