// Options: the site patches of 指给我看, per site — export to a JSON file, import one (checked
// whole by the worker: a bad file changes nothing), remove. The worker keeps them in storage and
// in the helper (background/patches.js); this page only asks it.
const { t } = globalThis.DanhaoI18n;
const W = globalThis.DanhaoLocatorWords;

const list = document.getElementById('patch-list');
const result = document.getElementById('patch-result');
const fileInput = document.getElementById('patch-import');

async function ask(msg) {
  const r = await chrome.runtime.sendMessage(msg);
  if (!r || !r.ok) {
    const e = new Error((r && r.error && r.error.message) || 'failed');
    e.code = r && r.error && r.error.code;
    throw e;
  }
  return r.data;
}

function say(text, state = 'ok') {
  result.textContent = text;
  result.dataset.state = state;
}

function el(tag, attrs = {}, text = '') {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

// Beijing time, as everything else Danhao shows.
const when = (iso) => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '';
  return d.toLocaleString(globalThis.DanhaoI18n.isZh() ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false });
};

async function render() {
  const { patches } = await ask({ type: 'options:patches' });
  list.textContent = '';
  list.dataset.count = String(patches.length);
  if (!patches.length) { list.append(el('p', { class: 'help', 'data-role': 'none' }, t('optionsPatchesNone'))); return; }
  const sites = [...new Set(patches.map((p) => p.site))];
  for (const site of sites) {
    const h = el('h3', {}, globalThis.DanhaoI18n.siteName(site));
    h.append(el('small', {}, site));
    const ul = el('ul', { 'data-site': site });
    for (const p of patches.filter((x) => x.site === site)) {
      const li = el('li', { 'data-site': p.site, 'data-field': p.field });
      const remove = el('button', { type: 'button', 'data-action': 'remove' }, t('optionsPatchRemove'));
      remove.addEventListener('click', async () => {
        remove.disabled = true;
        try { await ask({ type: 'options:patch-remove', site: p.site, field: p.field }); say(t('optionsPatchRemoved')); } catch (e) { say(e.message, 'error'); }
        await render();
      });
      const meta = [t('optionsPatchSavedAt', [when(p.created_at)])];
      if (p.operator) meta.push(t('optionsPatchBy', [p.operator]));
      li.append(el('b', {}, W.field(p.field)), el('span', { class: 'where' }, W.locator(p.locator)), remove,
        el('small', {}, meta.join(' · ')));
      ul.append(li);
    }
    list.append(h, ul);
  }
}

document.getElementById('patch-export').addEventListener('click', async () => {
  try {
    const file = await ask({ type: 'options:patches-export' });
    const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' });
    const a = el('a', { href: URL.createObjectURL(blob), download: `danhao-patches-${file.exported_at.slice(0, 10)}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    say(t('optionsPatchExported', [file.patches.length]));
  } catch (e) { say(e.message, 'error'); }
});

document.getElementById('patch-import-button').addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', async () => {
  const file = fileInput.files[0];
  if (!file) return;
  try {
    const r = await ask({ type: 'options:patches-import', text: await file.text() });
    say(t('optionsPatchImported', [r.imported]));
  } catch (e) {
    say(e.message, 'error');
  } finally {
    fileInput.value = '';
  }
  await render();
});

// Another tab pointing at a field shows up here at once.
chrome.storage.onChanged.addListener((changes, area) => { if (area === 'local' && changes['danhao.patches']) render(); });
render().catch((e) => say(e.message, 'error'));
