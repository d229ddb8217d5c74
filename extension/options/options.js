// Options page: helper URL, pairing token, automation switches (who acts comes from the token).
import { getSettings, setSettings, DEFAULT_SETTINGS } from '../background/settings.js';
import { ping } from '../background/ping.js';

const { t, localize } = globalThis.DanhaoI18n;
localize();

const form = document.getElementById('settings');
const FIELDS = Object.keys(DEFAULT_SETTINGS);

function read() {
  const out = {};
  for (const k of FIELDS) {
    const el = document.getElementById(k);
    out[k] = el.type === 'checkbox' ? el.checked : el.value.trim();
  }
  out.helperUrl = (out.helperUrl || DEFAULT_SETTINGS.helperUrl).replace(/\/+$/, '');
  return out;
}

function write(s) {
  for (const k of FIELDS) {
    const el = document.getElementById(k);
    if (el.type === 'checkbox') el.checked = Boolean(s[k]); else el.value = s[k] || '';
  }
}

const TEST_TEXT = {
  online: () => t('testOnline'),
  offline: () => t('testOffline'),
  unknown: () => t('testUnknown'),
  unpaired: () => t('testUnpaired'),
};

document.getElementById('test').addEventListener('click', async () => {
  const out = document.getElementById('test-result');
  out.dataset.state = '';
  out.textContent = t('testTesting');
  // Test what is in the form, saved or not.
  const r = await ping({ settings: read(), checkToken: true });
  out.dataset.state = r.state;
  out.textContent = TEST_TEXT[r.state]() + (r.version ? ` (v${r.version})` : '');
  // A connection that works is kept: leaving the page after a ✓ must not lose the pairing.
  if (r.state === 'online') {
    await setSettings(read());
    out.textContent += t('testSaved');
  }
});

document.getElementById('unpair').addEventListener('click', async () => {
  // Forget the token here; on the helper's computer `danhao token --new` makes every old
  // token (and every extension paired with it) stop working.
  await setSettings({ token: '' });
  document.getElementById('token').value = '';
  const out = document.getElementById('test-result');
  out.dataset.state = 'unpaired';
  out.textContent = t('unpairedText');
});

document.getElementById('autoSubmit').addEventListener('change', (e) => {
  // Turning auto-submit on needs a second, explicit yes.
  if (e.target.checked && !confirm(t('autoSubmitConfirm'))) {
    e.target.checked = false;
  }
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  await setSettings(read());
  const out = document.getElementById('save-result');
  out.textContent = t('optionsSaved');
  setTimeout(() => { out.textContent = ''; }, 2500);
});

getSettings().then(write);
