// User settings in chrome.storage.local. Auto-submit is off unless the user turns it on:
// marking an order shipped is the one step the product never takes on its own.
export const SETTINGS_KEY = 'danhao.settings';

export const DEFAULT_SETTINGS = Object.freeze({
  helperUrl: 'http://127.0.0.1:17890',
  token: '',
  autoSync: false,
  autoSubmit: false,
});

export async function getSettings() {
  const got = await chrome.storage.local.get(SETTINGS_KEY);
  return { ...DEFAULT_SETTINGS, ...(got[SETTINGS_KEY] || {}) };
}

export async function setSettings(patch) {
  const next = { ...(await getSettings()), ...patch };
  await chrome.storage.local.set({ [SETTINGS_KEY]: next });
  return next;
}
