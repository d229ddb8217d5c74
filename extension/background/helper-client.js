// The only code that talks to the helper. Every call has a timeout and fails with a
// typed error, so callers can tell "helper not running" from "helper said no".
import { getSettings } from './settings.js';
import '../lib/i18n.js';

const t = (key, subs) => globalThis.DanhaoI18n.t(key, subs);

export const TIMEOUT_MS = 8000;

export class HelperError extends Error {
  constructor(code, message, { status = 0, details = null } = {}) {
    super(message || code);
    this.name = 'HelperError';
    this.code = code;          // offline | timeout | foreign_server | unauthorized | http_<status>
    this.status = status;
    this.details = details;
  }
  toJSON() { return { code: this.code, message: this.message, status: this.status, details: this.details }; }
}

// Errors after which the same request may succeed later: worth queueing a write.
export const isTransient = (e) => e instanceof HelperError && (e.code === 'offline' || e.code === 'timeout');

export async function callMethod(method, path, body, { requestId, settings, timeoutMs = TIMEOUT_MS } = {}) {
  const s = settings || (await getSettings());
  const url = s.helperUrl.replace(/\/+$/, '') + path;
  const headers = {
    'X-Danhao-Token': s.token || '',
    // Which extension calls (its fetches often carry no Origin): the helper can unpair it.
    'X-Danhao-Extension': chrome.runtime.id,
  };
  if (requestId) headers['X-Danhao-Request-Id'] = requestId;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  let res;
  try {
    res = await fetch(url, {
      method, headers, signal: ctrl.signal, cache: 'no-store', credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw new HelperError('timeout', t('errHelperTimeout'));
    throw new HelperError('offline', t('errHelperOffline'));
  } finally {
    clearTimeout(timer);
  }

  // Another program on the port is not the helper, whatever it answers.
  const version = res.headers.get('X-Danhao-Version');
  if (!version) throw new HelperError('foreign_server', t('errForeignServer'), { status: res.status });

  let data = null;
  const text = await res.text();
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (res.status === 401) {
    throw new HelperError('unauthorized', (data && data.error && data.error.message) || t('errUnpaired'), { status: 401 });
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new HelperError(`http_${res.status}`, err.message || t('errOther', [res.status]),
      { status: res.status, details: { code: err.code, details: err.details } });
  }
  return { data, version };
}
