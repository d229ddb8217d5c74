// Receives the copies of data replies that the page observer (MAIN world) hands over on a
// private MessageChannel, checks their shape, parses them, and keeps the last few per endpoint for
// the adapters. Loaded at document_start in the content scripts' world, so replies that arrive
// before the adapter runs are not missed.
(function () {
  'use strict';
  if (window.top !== window || globalThis.DanhaoPageData) return;

  const TAG = 'danhao:page-data';
  const KEEP = 20;                              // replies kept per endpoint (a list is re-fetched on every page turn)
  // The endpoint list itself (extension/sites/endpoints.js) is read by the observer in the page's
  // world: Chrome injects a file once per frame, so it is not loaded here too. Names are checked
  // for shape; an adapter only ever asks for the names it listed.
  const NAME_RE = /^[a-z0-9-]{1,40}$/i;
  const store = new Map();                      // "site/endpoint" -> [{url, method, status, request, data, at, seq}]
  const listeners = new Set();
  let seq = 0;

  // mtop JSONP arrives as the callback's argument (already JSON); fetch/XHR as text. Both parse
  // to plain data here; text that is not JSON is dropped.
  function parse(text) {
    try { return JSON.parse(text); } catch (e) { return undefined; }
  }

  function accept(msg) {
    return msg && typeof msg === 'object' && msg[TAG] === 1
      && typeof msg.site === 'string' && typeof msg.endpoint === 'string'
      && NAME_RE.test(msg.site) && NAME_RE.test(msg.endpoint)
      && typeof msg.url === 'string' && typeof msg.body === 'string'
      && (typeof msg.status === 'number');
  }

  // The observer's private channel: taken from the one message that carries it, before any
  // listener of the page (added later) can see it. Copies then arrive only over this port.
  let port = null;
  window.addEventListener('message', (event) => {
    if (port || event.source !== window || event.origin !== location.origin) return;
    if (!event.data || event.data['danhao:page-data-port'] !== 1 || !event.ports || !event.ports[0]) return;
    event.stopImmediatePropagation();
    port = event.ports[0];
    port.onmessage = (e) => receive(e.data);
  }, true);

  function receive(msg) {
    if (!accept(msg)) return;
    const data = parse(msg.body);
    if (data === undefined) return;
    const entry = {
      url: msg.url, method: String(msg.method || 'GET'), status: msg.status,
      request: parse(msg.requestBody || '') || null, data, at: Number(msg.at) || Date.now(), seq: ++seq,
    };
    const key = `${msg.site}/${msg.endpoint}`;
    const list = store.get(key) || [];
    list.push(entry);
    if (list.length > KEEP) list.shift();
    store.set(key, list);
    for (const fn of listeners) { try { fn(msg.site, msg.endpoint, entry); } catch (e) { /* a listener's bug stays its own */ } }
  }

  const PageData = {
    /** All kept replies of `site`/`endpoint`, oldest first. */
    replies: (site, endpoint) => (store.get(`${site}/${endpoint}`) || []).slice(),
    /** The newest reply, or null. */
    latest: (site, endpoint) => { const l = store.get(`${site}/${endpoint}`); return l && l.length ? l[l.length - 1] : null; },
    /** Calls fn(site, endpoint, entry) for every reply from now on; returns an unsubscribe. */
    subscribe(fn) { listeners.add(fn); return () => listeners.delete(fn); },
    /** Resolves with the first reply after now for which `test(entry)` holds, or null after `timeout` ms. */
    next(site, endpoint, test = () => true, timeout = 10000) {
      return new Promise((resolve) => {
        const off = PageData.subscribe((s, e, entry) => {
          if (s === site && e === endpoint && test(entry)) { off(); clearTimeout(timer); resolve(entry); }
        });
        const timer = setTimeout(() => { off(); resolve(null); }, timeout);
      });
    },
    /**
     * `read()` → {orders, problem} from the replies held; when it finds neither, waits once for
     * the page's next `site`/`endpoint` reply and reads again. The rows can render before the
     * observer's copy of their reply arrives; `firstWait` (ms) applies when no copy is held yet.
     */
    async settled(site, endpoint, read, { wait = 1000, firstWait = wait } = {}) {
      const now = read();
      if (now.orders || now.problem) return now;
      await PageData.next(site, endpoint, () => true, PageData.replies(site, endpoint).length ? wait : firstWait);
      return read();
    },
    clear: () => store.clear(),
  };
  globalThis.DanhaoPageData = PageData;
})();
