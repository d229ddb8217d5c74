// Toolbar popup: helper status, what the current page is, the buttons that start work.
// Long work runs in the page (the popup closes on the first click outside it); the popup
// only starts it and shows progress while open.
const $ = (id) => document.getElementById(id);

const STATE_TEXT = {
  online: ['已连接', 'online'],
  offline: ['未运行', 'offline — start the helper'],
  unknown: ['不是单号助手', 'unknown server on that port'],
  unpaired: ['未配对', 'not paired — paste the token in 设置'],
};
const KIND_TEXT = { 'order-list': '订单列表 order list', 'purchase-list': '采购单列表 purchase list' };
const RESULT_TEXT = { filled: '已填写', failed: '失败', skipped: '已跳过' };

function show(text, level = 'info') {
  const m = $('message');
  m.hidden = !text;
  m.textContent = text || '';
  m.className = level;
}

async function targetTabId() {
  const fromQuery = new URLSearchParams(location.search).get('tab');
  if (fromQuery) return Number(fromQuery);
  const win = await chrome.windows.getLastFocused({ windowTypes: ['normal'] });
  const [tab] = await chrome.tabs.query({ active: true, windowId: win.id });
  return tab ? tab.id : null;
}

const toPage = (tabId, msg) => chrome.tabs.sendMessage(tabId, msg, { frameId: 0 });

async function helperStatus() {
  const el = $('helper-state');
  try {
    const r = await chrome.runtime.sendMessage({ type: 'popup:helper-status' });
    if (!r.ok) throw new Error(r.error.message);
    const { state, version, pending, alerts } = r.data;
    const [zh, en] = STATE_TEXT[state] || [state, ''];
    el.dataset.state = state;
    el.innerHTML = '';
    el.append(`${zh} `, Object.assign(document.createElement('small'), { textContent: en + (version ? ` v${version}` : '') }));
    if (pending) el.append(` · ${pending} 条待上传`);
    if (alerts) el.append(` · ${alerts} 条提醒`);
  } catch (e) {
    el.dataset.state = 'unknown';
    el.textContent = `出错 ${e.message}`;
  }
}

async function pageStatus(tabId) {
  const info = $('page-info');
  if (tabId == null) { info.textContent = '没有页面 no tab'; return null; }
  let r;
  try {
    r = await toPage(tabId, { type: 'popup:status' });
  } catch (e) {
    info.textContent = '此页面不受支持 not a supported page';
    return null;
  }
  if (!r || !r.ok || !r.data.site) { info.textContent = '此页面不受支持 not a supported page'; return null; }
  const d = r.data;
  info.textContent = `${d.site} · ${KIND_TEXT[d.kind] || d.kind || '未识别'} · ${d.rows} 行`;
  info.dataset.site = d.site;
  info.dataset.kind = d.kind || '';
  info.dataset.rows = d.rows;
  const seller = d.side === 'seller';
  $('sync-sales').hidden = !seller;
  $('fill').hidden = !seller || d.kind !== 'order-list';
  $('sync-purchase').hidden = seller;
  $('all-pages-wrap').hidden = false;
  if (d.busy) show(d.busy === 'fill' ? '正在填写… filling' : '正在同步… syncing');
  return d;
}

function renderResults(results) {
  const ul = $('results');
  if (!results.length) return;
  ul.textContent = '';
  for (const r of results.slice(-20).reverse()) {
    const li = document.createElement('li');
    li.className = `r-${r.result}`;
    li.dataset.orderId = r.order_id;
    li.textContent = `${r.order_id} — ${RESULT_TEXT[r.result] || r.result}${r.submitted ? '（已确认发货）' : ''}${r.reason ? ` · ${r.reason}` : ''}`;
    ul.append(li);
  }
}

function renderProgress(p) {
  const el = $('progress');
  if (p && p.error) { show(`出错 Error: ${p.error}`, 'error'); }
  if (p && p.note) { show(p.note); }
  if (!p || p.total == null || (p.finished && !p.total)) { el.hidden = true; return; }
  el.hidden = false;
  el.textContent = `${p.finished ? '完成' : '进度'} ${p.done}/${p.total}${p.current ? ` · ${p.current}` : ''}`;
}

async function lastResults() {
  const r = await chrome.runtime.sendMessage({ type: 'popup:last-results' });
  if (r && r.ok) { renderResults(r.data.results); renderProgress(r.data.progress); }
}

async function start(tabId, type) {
  const buttons = document.querySelectorAll('#actions button');
  buttons.forEach((b) => { b.disabled = true; });
  show(type === 'popup:fill' ? '开始填写，请在页面上逐单确认 Filling: confirm each order on the page' : '同步中… syncing');
  try {
    const r = await toPage(tabId, { type, allPages: $('all-pages').checked });
    if (!r || !r.ok) throw new Error((r && r.error && r.error.message) || '页面没有回应 no answer from the page');
    if (type === 'popup:sync') {
      const d = r.data;
      const bad = d.rejected || [];
      const why = bad.slice(0, 3).map((x) => `${x.order_id || '?'}：${x.message || x.field || ''}`).join('；');
      show(`已同步 ${d.orders} 单（${d.pages} 页）${d.queued ? '，助手离线，已排队 queued' : ''}`
        + (bad.length ? `，${bad.length} 单无法读取（${why}）` : '') + ' Synced'
        + (d.notes && d.notes.length ? ` · ${d.notes.join('；')}` : ''), bad.length ? 'error' : 'info');
    }
  } catch (e) {
    show(`出错 Error: ${e.message}`, 'error');
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

(async () => {
  $('open-options').addEventListener('click', (e) => { e.preventDefault(); chrome.runtime.openOptionsPage(); });
  const tabId = await targetTabId();
  $('sync-sales').addEventListener('click', () => start(tabId, 'popup:sync'));
  $('sync-purchase').addEventListener('click', () => start(tabId, 'popup:sync'));
  $('fill').addEventListener('click', () => start(tabId, 'popup:fill'));
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    if (changes['danhao.progress']) renderProgress(changes['danhao.progress'].newValue);
    if (changes['danhao.lastResults']) renderResults(changes['danhao.lastResults'].newValue || []);
  });
  await Promise.all([helperStatus(), pageStatus(tabId), lastResults()]);
  document.body.dataset.ready = '1';
})();
