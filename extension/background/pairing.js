// One-click pairing (连接助手). The popup asks; the worker opens the helper's /pair page with a
// fresh state; after the person clicks 允许 there, that page sends {type: 'danhao:pair', token,
// state} with chrome.runtime.sendMessage (manifest `externally_connectable`: loopback pages only).
// A token is taken only when
// - the pairing was started here and has not expired (state matches, one use),
// - it comes from the tab this worker opened, at the origin of the configured helper (a page on
//   another loopback port, or any other tab, is refused),
// - that origin answers /api/v1/health as a Danhao helper and accepts the token.
import { ping } from './ping.js';
import { getSettings, setSettings } from './settings.js';

const PENDING_KEY = 'danhao.pairing';
const TTL_MS = 10 * 60 * 1000;
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?$/;

const refuse = (code, message) => ({ ok: false, error: { code, message } });

export async function startPairing() {
  const s = await getSettings();
  const origin = new URL(s.helperUrl).origin;
  if (!LOOPBACK.test(origin)) return refuse('not_loopback', 'helper URL is not a loopback address');
  const state = crypto.randomUUID().replace(/-/g, '');
  const url = `${origin}/pair?ext=${chrome.runtime.id}&state=${state}`;
  const tab = await chrome.tabs.create({ url });
  await chrome.storage.session.set({ [PENDING_KEY]: { state, origin, tabId: tab.id, expires: Date.now() + TTL_MS } });
  return { ok: true, data: { url, tabId: tab.id } };
}

export async function acceptPairing(msg, sender) {
  const origin = sender.origin || (sender.url ? new URL(sender.url).origin : '');
  if (!LOOPBACK.test(origin)) return refuse('wrong_origin', 'only the helper page may pair');
  const pending = (await chrome.storage.session.get(PENDING_KEY))[PENDING_KEY];
  if (!pending || pending.expires < Date.now()) return refuse('no_pairing', 'no pairing was started in the extension');
  if (origin !== pending.origin) return refuse('wrong_origin', 'this page is not the helper the extension asked');
  if (!sender.tab || sender.tab.id !== pending.tabId) return refuse('wrong_tab', 'not the pairing tab');
  if (typeof msg.state !== 'string' || msg.state !== pending.state) return refuse('wrong_state', 'pairing state does not match');
  const token = typeof msg.token === 'string' ? msg.token.trim() : '';
  if (token.length < 8 || token.length > 200) return refuse('bad_token', 'no usable token');
  // Proven against that helper before anything is saved.
  const s = await getSettings();
  const r = await ping({ settings: { ...s, helperUrl: origin, token }, checkToken: true });
  if (r.state !== 'online') return refuse(r.error && r.error.code || r.state, 'the helper did not accept the token');
  await chrome.storage.session.remove(PENDING_KEY);
  await setSettings({ helperUrl: origin, token });
  return { ok: true, data: { state: 'online', version: r.version } };
}
