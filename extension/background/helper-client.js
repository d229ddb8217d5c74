// The only code that talks to the helper. Every call has a timeout and fails with a
// typed error, so callers can tell "helper not running" from "helper said no".
import { getSettings } from './settings.js';

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
    // Header values are Latin-1 only; operator names are usually Chinese.
    'X-Danhao-Operator': encodeURIComponent(s.operator || ''),
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
    if (e.name === 'AbortError') throw new HelperError('timeout', `helper did not answer within ${timeoutMs / 1000} s`);
    throw new HelperError('offline', `helper not reachable at ${s.helperUrl}`);
  } finally {
    clearTimeout(timer);
  }

  // Another program on the port is not the helper, whatever it answers.
  const version = res.headers.get('X-Danhao-Version');
  if (!version) throw new HelperError('foreign_server', `${s.helperUrl} is not a Danhao helper`, { status: res.status });

  let data = null;
  const text = await res.text();
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (res.status === 401) {
    throw new HelperError('unauthorized', (data && data.error && data.error.message) || 'token missing or wrong', { status: 401 });
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new HelperError(`http_${res.status}`, err.message || `helper answered ${res.status}`,
      { status: res.status, details: { code: err.code, details: err.details } });
  }
  return { data, version };
}
