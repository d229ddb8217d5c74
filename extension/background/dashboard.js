// Where the orders stand (the helper's GET /api/v1/dashboard), for the popup and the badge.
// The popup shows the counts of the shop its tab is on: the shop is learnt from that tab's
// last sync of sales orders (their 店铺), kept in session storage (gone with the browser).
// Only this worker asks the helper; content scripts never do.
import { callMethod } from './helper-client.js';
import { getSettings } from './settings.js';

export const TAB_SHOPS_KEY = 'danhao.tabShops';
const MAX_TABS = 50;

// Storage writes go through one chain, so two tabs syncing at once do not drop each other.
let chain = Promise.resolve();
const serial = (fn) => (chain = chain.then(fn, fn));

async function tabShops() {
  return (await chrome.storage.session.get(TAB_SHOPS_KEY))[TAB_SHOPS_KEY] || {};
}

// After a sync of sales orders from a tab: the one shop its orders name ('' when they name
// none or several: the popup then counts the whole site).
export function rememberShop(tabId, site, orders) {
  if (tabId == null || !site || !Array.isArray(orders) || !orders.length) return Promise.resolve();
  const shops = [...new Set(orders.map((o) => (o && typeof o.shop === 'string' ? o.shop.trim() : '')).filter(Boolean))];
  return serial(async () => {
    const all = await tabShops();
    all[String(tabId)] = { site, shop: shops.length === 1 ? shops[0] : '', at: Date.now() };
    for (const old of Object.keys(all).sort((a, b) => all[b].at - all[a].at).slice(MAX_TABS)) delete all[old];
    await chrome.storage.session.set({ [TAB_SHOPS_KEY]: all });
  });
}

chrome.tabs.onRemoved.addListener((tabId) => {
  serial(async () => {
    const all = await tabShops();
    if (!all[String(tabId)]) return;
    delete all[String(tabId)];
    await chrome.storage.session.set({ [TAB_SHOPS_KEY]: all });
  }).catch(() => {});
});

export async function shopOfTab(tabId, site) {
  if (tabId == null || !site) return '';
  const seen = (await tabShops())[String(tabId)];
  return seen && seen.site === site ? seen.shop : '';
}

// {figures, site, shop, helperUrl}: figures for the tab's shop, else its site, else everything.
export async function dashboardFor({ tabId = null, site = '' } = {}) {
  const shop = await shopOfTab(tabId, site);
  const query = new URLSearchParams();
  if (site) query.set('site', site);
  if (shop) query.set('shop', shop);
  const path = `/api/v1/dashboard${query.toString() ? `?${query}` : ''}`;
  const { data } = await callMethod('GET', path);
  return { ok: true, data: { figures: data, site: site || '', shop, helperUrl: (await getSettings()).helperUrl } };
}

// What the badge counts from the helper: lost numbers (both kinds) and open trace alerts, over
// every shop. A helper without /api/v1/dashboard (older) answers its trace alerts only.
export async function helperAlertTotal() {
  try {
    const { data } = await callMethod('GET', '/api/v1/dashboard');
    return (data && data.alerts && data.alerts.total) || 0;
  } catch (e) {
    if (e.status !== 404) throw e;
    return (await callMethod('GET', '/api/v1/status')).data.alerts || 0;
  }
}

export const dashboardHandlers = {
  async 'popup:dashboard'(msg) { return dashboardFor({ tabId: msg.tabId, site: msg.site }); },
};
