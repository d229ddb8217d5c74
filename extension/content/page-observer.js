// Page observer: runs in the page's own (MAIN) world at document_start and copies the JSON
// replies the page itself receives, for the endpoints listed in extension/sites/endpoints.js,
// to the content scripts (over a private MessageChannel, read by page-data.js).
//
// What it never does: send a request of its own, alter a request or a reply, look at an
// endpoint that is not listed, or throw into the page's code. It stays invisible to the
// page's own checks: the wrapped functions are Proxies of the originals, so their name,
// length and property descriptors are the native ones, and Function.prototype.toString
// answers for them exactly what it answered for the originals. No global is left behind.
(function () {
  'use strict';
  const ENDPOINTS_KEY = '__danhaoEndpoints';
  const config = window[ENDPOINTS_KEY];
  try { delete window[ENDPOINTS_KEY]; } catch (e) { /* not configurable: leave it */ }
  if (!config || window.top !== window) return;

  const TAG = 'danhao:page-data';
  const MAX_BODY = 8 * 1024 * 1024;            // a 500-row list is well under 1 MiB
  const endpoints = [];
  for (const [site, list] of Object.entries(config)) {
    for (const e of list) endpoints.push({ site, name: e.name, kind: e.kind, re: new RegExp(e.url) });
  }
  const match = (url, kind) => {
    for (const e of endpoints) if (e.kind === kind && e.re.test(url)) return e;
    return null;
  };

  // The copies travel over a private MessageChannel: its second port is handed to the content
  // script once, at document_start, and page-data.js takes it before any listener of the page
  // sees it (its capturing listener was added first and stops the event there). So the page
  // neither reads the copies nor can post fake ones into the channel.
  const channel = new MessageChannel();
  const port = channel.port1;
  const origin = location.origin;
  try { window.postMessage({ 'danhao:page-data-port': 1 }, origin, [channel.port2]); } catch (e) { /* no copies then */ }
  const absolute = (u) => { try { return new URL(String(u), location.href).href; } catch (e) { return ''; } };
  const stringify = JSON.stringify;

  function hand(endpoint, url, method, status, requestBody, body) {
    try {
      if (typeof body !== 'string' || body.length > MAX_BODY) return;
      port.postMessage({
        [TAG]: 1, site: endpoint.site, endpoint: endpoint.name, kind: endpoint.kind, url, method,
        status, requestBody: typeof requestBody === 'string' ? requestBody.slice(0, 65536) : '',
        body, at: Date.now(),
      });
    } catch (e) { /* never into the page */ }
  }

  // --- invisibility: no frame of ours in an error's stack ------------------------------
  // An error thrown by the page's own call through a wrapper (XHR.open with a bad method,
  // toString on a non-function) would name this script in its stack: those lines are removed.
  const ownUrl = (() => { try { return (/(chrome-extension:\/\/[a-p]{32}\/[^\s:)]+)/.exec(new Error().stack) || [])[1] || ''; } catch (e) { return ''; } })();
  function scrub(err) {
    try {
      if (ownUrl && err && typeof err.stack === 'string' && err.stack.includes(ownUrl)) {
        err.stack = err.stack.split('\n').filter((l) => !l.includes(ownUrl)).join('\n');
      }
    } catch (e) { /* leave it */ }
    return err;
  }
  const call = (target, thisArg, args) => {
    try { return Reflect.apply(target, thisArg, args); } catch (e) { throw scrub(e); }
  };

  // --- invisibility: toString of a wrapper is the original's ----------------------------
  const nativeToString = Function.prototype.toString;
  const disguised = new WeakMap();             // wrapper -> original
  const toStringProxy = new Proxy(nativeToString, {
    apply(target, thisArg, args) {
      return call(target, disguised.has(thisArg) ? disguised.get(thisArg) : thisArg, args);
    },
  });
  disguised.set(toStringProxy, nativeToString);
  try { Function.prototype.toString = toStringProxy; } catch (e) { /* frozen: wrappers show as native anyway */ }

  function wrap(owner, key, makeApply) {
    try {
      const original = owner[key];
      if (typeof original !== 'function') return;
      const proxy = new Proxy(original, { apply: makeApply(original) });
      disguised.set(proxy, original);
      owner[key] = proxy;                        // a data property stays writable/enumerable/configurable as it was
    } catch (e) { /* leave the page as it is */ }
  }

  // --- fetch -------------------------------------------------------------------------
  wrap(window, 'fetch', () => function (target, thisArg, args) {
    const promise = call(target, thisArg, args);            // the page's own call, untouched
    try {
      const input = args[0];
      const url = absolute(input && typeof input === 'object' && 'url' in input ? input.url : input);
      const endpoint = url && match(url, 'json');
      if (endpoint) {
        const init = args[1] || {};
        const method = String(init.method || (input && input.method) || 'GET').toUpperCase();
        const requestBody = typeof init.body === 'string' ? init.body : '';
        promise.then((resp) => {
          try {
            resp.clone().text().then((text) => hand(endpoint, url, method, resp.status, requestBody, text), () => {});
          } catch (e) { /* body already used or opaque */ }
        }, () => {});
      }
    } catch (e) { /* never into the page */ }
    return promise;
  });

  // --- XMLHttpRequest ------------------------------------------------------------------
  const xhrInfo = new WeakMap();               // xhr -> {url, method}: nothing set on the object
  const XHR = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (XHR) {
    wrap(XHR, 'open', () => function (target, thisArg, args) {
      try {
        const url = absolute(args[1]);
        const endpoint = url && match(url, 'json');
        if (endpoint) xhrInfo.set(thisArg, { url, method: String(args[0] || 'GET').toUpperCase(), endpoint });
        else xhrInfo.delete(thisArg);
      } catch (e) { /* never into the page */ }
      return call(target, thisArg, args);
    });
    const addListener = EventTarget.prototype.addEventListener;
    wrap(XHR, 'send', () => function (target, thisArg, args) {
      try {
        const info = xhrInfo.get(thisArg);
        if (info) {
          const requestBody = typeof args[0] === 'string' ? args[0] : '';
          Reflect.apply(addListener, thisArg, ['loadend', function () {
            try {
              const type = thisArg.responseType;
              let text = '';
              if (type === '' || type === 'text') text = thisArg.responseText;
              else if (type === 'json') text = stringify(thisArg.response);
              else return;
              hand(info.endpoint, info.url, info.method, thisArg.status, requestBody, text);
            } catch (e) { /* never into the page */ }
          }]);
        }
      } catch (e) { /* never into the page */ }
      return call(target, thisArg, args);
    });
  }

  // --- JSONP (mtop): a <script src=…&callback=NAME> the page adds after defining window[NAME].
  // The callback is wrapped the moment the script element appears (before it can load), and
  // the wrapper hands a copy of the argument on, then calls the page's own function.
  function watchScript(el) {
    try {
      const url = absolute(el.src);
      const endpoint = url && match(url, 'jsonp');
      if (!endpoint) return;
      const name = new URL(url).searchParams.get('callback');
      if (!name || !/^[A-Za-z_$][\w$]*$/.test(name)) return;
      const original = window[name];
      if (typeof original !== 'function' || disguised.has(original)) return;
      const proxy = new Proxy(original, {
        apply(target, thisArg, args) {
          try { hand(endpoint, url, 'GET', 200, '', stringify(args[0])); } catch (e) { /* never into the page */ }
          return call(target, thisArg, args);
        },
      });
      disguised.set(proxy, original);
      window[name] = proxy;
    } catch (e) { /* never into the page */ }
  }
  const scripts = new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) if (n.nodeName === 'SCRIPT' && n.src) watchScript(n);
    }
  });
  scripts.observe(document, { childList: true, subtree: true });

  // --- data the page inlines (window.rawData, …): one copy when the document is parsed.
  document.addEventListener('DOMContentLoaded', () => {
    for (const e of endpoints) {
      if (e.kind !== 'global') continue;
      try {
        const value = window[e.name];
        if (value !== undefined) hand(e, location.href, 'GET', 200, '', stringify(value));
      } catch (err) { /* never into the page */ }
    }
  }, { once: true });
})();
