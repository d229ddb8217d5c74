// Offline queue for writes (synced orders, fill results). Each item keeps the request id
// it was first sent with: if the helper recorded a write but the answer was lost, the
// replay carries the same X-Danhao-Request-Id and the helper drops it as a duplicate.
import { callMethod, isTransient } from './helper-client.js';

export const QUEUE_KEY = 'danhao.queue';
export const ALERTS_KEY = 'danhao.alerts';

// Storage writes go through one chain so that an enqueue never races a replay's removal.
let chain = Promise.resolve();
const serial = (fn) => (chain = chain.then(fn, fn));

async function read(key) {
  return (await chrome.storage.local.get(key))[key] || [];
}

export const newRequestId = () => crypto.randomUUID();

export function enqueue({ id = newRequestId(), method, path, body }) {
  return serial(async () => {
    const q = await read(QUEUE_KEY);
    if (!q.some((it) => it.id === id)) q.push({ id, method, path, body, queuedAt: new Date().toISOString() });
    await chrome.storage.local.set({ [QUEUE_KEY]: q });
    return id;
  });
}

export async function queueLength() {
  return (await read(QUEUE_KEY)).length;
}

export async function alertCount() {
  return (await read(ALERTS_KEY)).length;
}

function removeItem(id) {
  return serial(async () => {
    const q = (await read(QUEUE_KEY)).filter((it) => it.id !== id);
    await chrome.storage.local.set({ [QUEUE_KEY]: q });
  });
}

// A write the helper refused (4xx) will not succeed on retry: keep it as an alert for the
// user instead of blocking the queue behind it.
function parkAsAlert(item, error) {
  return serial(async () => {
    const alerts = await read(ALERTS_KEY);
    alerts.push({ ...item, error: error.toJSON ? error.toJSON() : { message: String(error) }, at: new Date().toISOString() });
    const q = (await read(QUEUE_KEY)).filter((it) => it.id !== item.id);
    await chrome.storage.local.set({ [ALERTS_KEY]: alerts.slice(-50), [QUEUE_KEY]: q });
  });
}

let running = null;

// Sends queued writes in order, each once; stops at the first transient failure and
// leaves the rest for the next ping or alarm. Concurrent callers share one run.
export function replayQueue() {
  if (running) return running;
  running = (async () => {
    let sent = 0;
    let failed = 0;
    for (;;) {
      const [item] = await read(QUEUE_KEY);
      if (!item) break;
      try {
        await callMethod(item.method, item.path, item.body, { requestId: item.id });
        await removeItem(item.id);
        sent += 1;
      } catch (e) {
        if (isTransient(e) || e.code === 'unauthorized' || e.code === 'foreign_server') {
          return { sent, failed, remaining: await queueLength(), stopped: e.code };
        }
        await parkAsAlert(item, e);
        failed += 1;
      }
    }
    return { sent, failed, remaining: 0 };
  })().finally(() => { running = null; });
  return running;
}
