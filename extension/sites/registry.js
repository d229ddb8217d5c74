// One registry for all site adapters. A broken adapter (throws in detect, or registers
// without the required parts) is recorded and skipped, never fatal for the others:
// sites change without notice and one redesign must not take the extension down.
(function () {
  'use strict';
  const adapters = [];
  const failures = [];
  const REQUIRED = ['id', 'side', 'matches', 'detect', 'extract'];

  // Manifest-style match pattern → RegExp ('*' is any run of characters).
  const toRegExp = (pattern) => new RegExp('^' + pattern.split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');

  function report(id, stage, error) {
    const entry = { id, stage, message: String((error && error.message) || error) };
    failures.push(entry);
    console.warn('[danhao] adapter failure', entry);
  }

  function registerAdapter(adapter) {
    const missing = REQUIRED.filter((k) => !adapter || adapter[k] == null);
    if (missing.length) {
      report(adapter && adapter.id, 'register', `missing ${missing.join(', ')}`);
      return false;
    }
    adapters.push({ ...adapter, _patterns: adapter.matches.map(toRegExp) });
    return true;
  }

  // → {adapter, detection} for the first adapter whose URL patterns match and whose
  // detect() runs; null when no adapter knows the page.
  function findAdapter(doc, url) {
    for (const a of adapters) {
      if (!a._patterns.some((re) => re.test(url))) continue;
      try {
        const detection = a.detect(doc, url) || { kind: null, rows: 0 };
        return { adapter: a, detection };
      } catch (e) {
        report(a.id, 'detect', e);
      }
    }
    return null;
  }

  globalThis.DanhaoRegistry = { registerAdapter, findAdapter, adapters, failures, report };
})();
