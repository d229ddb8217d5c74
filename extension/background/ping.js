// Is the helper there, and is it ours? online / offline / unknown / unpaired.
// "unknown": something answers on the port but it is not a Danhao helper (or it errs).
import { callMethod, HelperError } from './helper-client.js';
import { getSettings } from './settings.js';

// checkToken: also prove the token with an authenticated read (the options page's 测试并保存).
export async function ping({ settings, checkToken = false } = {}) {
  const s = settings || (await getSettings());
  let version = null;
  try {
    const { data, version: v } = await callMethod('GET', '/api/v1/health', undefined, { settings: s, timeoutMs: 4000 });
    version = v;
    if (!data || data.app !== 'danhao') return { state: 'unknown', version, error: { code: 'foreign_server' } };
  } catch (e) {
    const code = e instanceof HelperError ? e.code : 'error';
    const state = code === 'offline' || code === 'timeout' ? 'offline' : 'unknown';
    return { state, version, error: { code, message: e.message } };
  }
  if (!s.token) return { state: 'unpaired', version };
  if (checkToken) {
    try {
      await callMethod('GET', '/api/v1/events?limit=1', undefined, { settings: s, timeoutMs: 4000 });
    } catch (e) {
      if (e.code === 'unauthorized') return { state: 'unpaired', version, error: { code: 'unauthorized', message: e.message } };
      // Unpaired on the helper (DELETE /api/v1/pairings/<id>): the extension must pair again.
      const code = e.details && e.details.code;
      if (code === 'pairing_revoked') return { state: 'unpaired', version, error: { code, message: e.message } };
    }
  }
  return { state: 'online', version };
}
