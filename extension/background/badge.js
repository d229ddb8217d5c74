// Toolbar badge: the user sees at a glance that the helper is down or work is waiting.
// `alerts`: writes the helper refused (queue.js) + the helper's own alerts, i.e. lost numbers
// (a purchase without a number, a paid order not purchased) and open trace alerts (dashboard.js).
import '../lib/i18n.js';

const t = (key, subs) => globalThis.DanhaoI18n.t(key, subs);
const RED = '#d93025';
const ORANGE = '#e8710a';
const PURPLE = '#8430ce';

export async function updateBadge({ state, pending = 0, alerts = 0 }) {
  let text = '';
  let color = ORANGE;
  let title = t('extName');
  if (state === 'offline') {
    text = '!'; color = RED; title += ` — ${t('errHelperOffline')}`;
  } else if (pending > 0) {
    text = String(pending); color = ORANGE; title += ` — ${t('popupPending', [pending])}`;
  } else if (alerts > 0) {
    text = String(alerts); color = PURPLE; title += ` — ${t('popupAlerts', [alerts])}`;
  }
  if (state !== 'offline' && pending > 0 && alerts > 0) title += ` / ${t('popupAlerts', [alerts])}`;
  await chrome.action.setBadgeText({ text });
  await chrome.action.setBadgeBackgroundColor({ color });
  await chrome.action.setTitle({ title });
}
