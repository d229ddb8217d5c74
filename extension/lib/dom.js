// DOM helpers shared by the content scripts. Classic script (no modules in content
// scripts without a build step), so everything hangs off one global.
(function () {
  'use strict';

  const norm = (s) => String(s == null ? '' : s).replace(/[\s\u00a0\u3000]+/g, ' ').trim();
  const text = (el) => (el ? norm(el.textContent) : '');

  // Own text only: label spans often share a parent with the value they describe.
  const ownText = (el) => norm(Array.from(el.childNodes)
    .filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.nodeValue).join(''));

  // querySelectorAll that also walks open shadow roots (1688 web components).
  function deepQueryAll(root, selector) {
    const out = [];
    const visit = (node) => {
      if (node.querySelectorAll) out.push(...node.querySelectorAll(selector));
      const all = node.querySelectorAll ? node.querySelectorAll('*') : [];
      for (const el of all) if (el.shadowRoot) visit(el.shadowRoot);
    };
    visit(root);
    return out;
  }

  function isVisible(el) {
    if (!el || !el.isConnected) return false;
    const style = el.ownerDocument.defaultView.getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 || r.height > 0;
  }

  // Elements matching `selector` whose whole text equals (or contains) `label`.
  function byText(root, selector, label, { exact = true } = {}) {
    const want = norm(label);
    return Array.from(root.querySelectorAll(selector)).filter((el) => {
      const t = text(el);
      return exact ? t === want : t.includes(want);
    });
  }

  // Resolves with the first truthy value of fn(), re-checked on every DOM mutation.
  // A slow poll backs the observer up: mutations inside shadow roots do not reach a
  // document-level observer. Resolves null on timeout so callers can name what was missing.
  function waitFor(fn, timeout = 10000, root) {
    const doc = root || document;
    return new Promise((resolve) => {
      let done = false;
      const check = () => {
        if (done) return;
        let v = null;
        try { v = fn(); } catch (e) { v = null; }
        if (v) finish(v);
      };
      const finish = (v) => {
        done = true;
        obs.disconnect();
        clearInterval(poll);
        clearTimeout(timer);
        resolve(v);
      };
      const obs = new MutationObserver(check);
      obs.observe(doc.documentElement || doc, {
        childList: true, subtree: true, attributes: true, characterData: true,
      });
      const poll = setInterval(check, 150);
      const timer = setTimeout(() => finish(null), timeout);
      check();
    });
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // A real click sequence: some widgets open on mousedown, others on click.
  function click(el) {
    const opts = { bubbles: true, cancelable: true, composed: true, view: el.ownerDocument.defaultView };
    el.dispatchEvent(new MouseEvent('mousedown', opts));
    el.dispatchEvent(new MouseEvent('mouseup', opts));
    el.click();
  }

  globalThis.DanhaoDom = { norm, text, ownText, deepQueryAll, isVisible, byText, waitFor, sleep, click };
})();
