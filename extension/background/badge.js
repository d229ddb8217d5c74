// Toolbar badge: the user sees at a glance that the helper is down or work is waiting.
const RED = '#d93025';
const ORANGE = '#e8710a';
const PURPLE = '#8430ce';

export async function updateBadge({ state, pending = 0, alerts = 0 }) {
  let text = '';
  let color = ORANGE;
  let title = 'Danhao 单号';
  if (state === 'offline') {
    text = '!'; color = RED; title += ' — 助手未运行 helper offline';
  } else if (pending > 0) {
    text = String(pending); color = ORANGE; title += ` — ${pending} 条待上传 pending`;
  } else if (alerts > 0) {
    text = String(alerts); color = PURPLE; title += ` — ${alerts} 条提醒 alerts`;
  }
  if (state !== 'offline' && pending > 0 && alerts > 0) title += ` / ${alerts} 条提醒 alerts`;
  await chrome.action.setBadgeText({ text });
  await chrome.action.setBadgeBackgroundColor({ color });
  await chrome.action.setTitle({ title });
}
