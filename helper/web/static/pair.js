// The helper's pairing page: after the person clicks 允许, fetch the token (same origin only) and
// hand it to the extension that asked (externally_connectable: loopback pages only).
(function () {
  'use strict';
  const box = document.getElementById('pair');
  const out = document.getElementById('pair-result');
  const allow = document.getElementById('allow');
  const deny = document.getElementById('deny');
  if (!box || !allow) return;
  const say = (state, text) => { out.hidden = false; out.dataset.state = state; out.textContent = text; };
  deny.addEventListener('click', () => { allow.disabled = true; deny.disabled = true; say('denied', out.dataset.denied); });
  allow.addEventListener('click', async () => {
    allow.disabled = true; deny.disabled = true;
    const { ext, state, nonce } = box.dataset;
    try {
      if (!(window.chrome && chrome.runtime && chrome.runtime.sendMessage)) { say('noext', out.dataset.noext); return; }
      const res = await fetch(location.pathname, {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ext, state, nonce }),
      });
      const data = await res.json();
      if (!res.ok) { say('failed', out.dataset.failed + ((data.error && data.error.message) || res.status)); return; }
      chrome.runtime.sendMessage(ext, { type: 'danhao:pair', token: data.token, state }, (answer) => {
        const err = chrome.runtime.lastError;
        if (err) { say('noext', out.dataset.noext); return; }
        if (answer && answer.ok) say('done', out.dataset.done);
        else say('failed', out.dataset.failed + ((answer && answer.error && answer.error.message) || ''));
      });
    } catch (e) {
      say('failed', out.dataset.failed + e.message);
    }
  });
})();
