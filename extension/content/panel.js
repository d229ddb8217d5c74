// The in-page progress panel. It lives in the page because the toolbar popup closes as
// soon as the user clicks the page, and a fill waits for those clicks. A shadow root
// keeps the page's CSS off the panel and ours off the page.
(function () {
  'use strict';
  const HOST_ID = 'danhao-panel-host';

  const CSS = `
    :host { all: initial; }
    .box { position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; width: 320px;
      max-height: 60vh; display: flex; flex-direction: column; background: #fff; color: #222;
      font: 13px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif;
      border: 1px solid #e0e0e0; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.15); }
    header { display: flex; align-items: center; gap: 8px; padding: 8px 12px; background: #e85d04;
      color: #fff; border-radius: 8px 8px 0 0; font-weight: 600; }
    header .title { flex: 1; }
    header button { background: none; border: 0; color: #fff; font-size: 16px; cursor: pointer; }
    .body { padding: 8px 12px; overflow: auto; }
    .progress { font-weight: 600; }
    .current { color: #555; margin: 2px 0 6px; word-break: break-all; }
    .msg { margin: 4px 0; padding: 4px 6px; border-radius: 4px; background: #f5f5f5; }
    .msg.error { background: #fdecea; color: #a50e0e; }
    .msg.info { background: #e8f0fe; color: #174ea6; }
    ul { list-style: none; margin: 4px 0; padding: 0; }
    li { padding: 3px 0; border-top: 1px solid #f0f0f0; word-break: break-all; }
    .r-filled { color: #188038; } .r-failed { color: #c5221f; } .r-skipped { color: #80868b; }
    .held h4 { margin: 8px 0 2px; font-size: 13px; }
    .s-review { color: #b06000; } .s-blocked { color: #c5221f; }
    .reason { display: block; color: #666; font-size: 12px; }
    .actions { display: flex; gap: 8px; padding: 8px 12px; border-top: 1px solid #eee; }
    .actions button { flex: 1; padding: 6px; border-radius: 4px; border: 1px solid #ccc; background: #fff; cursor: pointer; font: inherit; }
    .actions button.stop { border-color: #c5221f; color: #c5221f; }
    .actions button:disabled { opacity: .4; cursor: default; }
  `;

  const RESULT_ZH = { filled: '已填写', failed: '失败', skipped: '已跳过' };
  const STATUS_ZH = { review: '需人工确认', blocked: '已拦截' };

  let root = null;
  let els = null;
  let waiters = [];       // resolvers waiting for 跳过/停止
  let stopped = false;

  function el(tag, attrs = {}, text = '') {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  }

  function ensure() {
    if (root && document.getElementById(HOST_ID)) return;
    const host = el('div', { id: HOST_ID });
    root = host.attachShadow({ mode: 'open' });
    const style = el('style'); style.textContent = CSS;
    const box = el('div', { class: 'box', part: 'box' });
    const header = el('header');
    header.append(el('span', { class: 'title' }, '单号 Danhao'));
    const closeBtn = el('button', { 'data-action': 'close', title: '关闭 Close' }, '×');
    header.append(closeBtn);
    const body = el('div', { class: 'body' });
    const progress = el('div', { class: 'progress', 'data-role': 'progress' });
    const current = el('div', { class: 'current', 'data-role': 'current' });
    const messages = el('div', { 'data-role': 'messages' });
    const results = el('ul', { 'data-role': 'results' });
    const held = el('div', { class: 'held', 'data-role': 'held' });
    body.append(progress, current, messages, results, held);
    const actions = el('div', { class: 'actions' });
    const skip = el('button', { 'data-action': 'skip', title: 'Skip this order' }, '跳过');
    const stop = el('button', { 'data-action': 'stop', class: 'stop', title: 'Stop filling' }, '停止');
    actions.append(skip, stop);
    box.append(header, body, actions);
    root.append(style, box);
    (document.body || document.documentElement).append(host);
    skip.addEventListener('click', () => interrupt('skip'));
    stop.addEventListener('click', () => { stopped = true; interrupt('stop'); });
    closeBtn.addEventListener('click', () => host.remove());
    els = { host, progress, current, messages, results, held, skip, stop };
  }

  function interrupt(kind) {
    const w = waiters; waiters = [];
    w.forEach((resolve) => resolve(kind));
  }

  const api = {
    show() { ensure(); return api; },
    start({ title = '', total = 0 } = {}) {
      ensure();
      stopped = false;
      els.results.textContent = ''; els.held.textContent = ''; els.messages.textContent = '';
      els.current.textContent = title;
      api.progress(0, total);
      api.busy(true);
    },
    progress(done, total) { ensure(); els.progress.textContent = `${done}/${total}`; },
    current(orderId) { ensure(); els.current.textContent = orderId ? `当前订单 ${orderId}` : ''; },
    message(text, level = 'info') {
      ensure();
      els.messages.append(el('div', { class: `msg ${level}`, 'data-level': level }, text));
    },
    result(r) {
      ensure();
      const li = el('li', { class: `r-${r.result}`, 'data-order-id': r.order_id, 'data-result': r.result });
      li.textContent = `${r.order_id} — ${RESULT_ZH[r.result] || r.result}${r.submitted ? '（已确认发货）' : ''}`;
      if (r.reason) li.append(el('span', { class: 'reason' }, r.reason));
      els.results.append(li);
    },
    // review / blocked shipments: listed with their reasons, never filled.
    held(shipments) {
      ensure();
      if (!shipments.length) return;
      els.held.append(el('h4', {}, `未填写 ${shipments.length} 单（需处理）Not filled`));
      const ul = el('ul');
      for (const s of shipments) {
        const li = el('li', { class: `s-${s.status}`, 'data-order-id': s.order_id, 'data-status': s.status });
        li.textContent = `${s.order_id} — ${STATUS_ZH[s.status] || s.status}`;
        const reasons = (s.checks || []).filter((c) => c.level !== 'ok')
          .map((c) => (c.message && (c.message.zh || c.message.en)) || c.code);
        if (reasons.length) li.append(el('span', { class: 'reason' }, reasons.join('；')));
        ul.append(li);
      }
      els.held.append(ul);
    },
    busy(on) { ensure(); els.skip.disabled = !on; els.stop.disabled = !on; },
    finish(text) { ensure(); api.current(''); api.busy(false); if (text) api.message(text, 'info'); interrupt('done'); },
    // A promise for the next 跳过/停止 press (resolves 'skip' | 'stop').
    interrupted() { return new Promise((resolve) => (stopped ? resolve('stop') : waiters.push(resolve))); },
    // Stops the walk as the 停止 button does (a page that changed must not be filled further).
    stop() { stopped = true; interrupt('stop'); },
    get stopped() { return stopped; },
  };

  globalThis.DanhaoPanel = api;
})();
