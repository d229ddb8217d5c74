// The data replies each adapter reads, as data: one list per site id. The page observer
// (MAIN world) copies only replies whose URL matches one of these; every other request
// of the page is left alone. The observer reads this object and deletes the global at once,
// before any page script runs, so the page never sees it. Adapters ask the page-data store
// (extension/content/page-data.js) for these names.
//
// Each entry: `name` (what the adapter asks for), `url` (a RegExp source tested against
// the absolute request URL), `kind`: 'json' (fetch/XHR body), 'jsonp' (a <script> whose
// `callback=` function the page defines: the observer copies the argument it is called
// with), or 'global' (a value the page inlines as a window property, read once at
// DOMContentLoaded).
// Loaded only in the page's world, before the observer (Chrome injects a file once per frame).
// Sources: ../reference notes on the real pages (拼多多 recon 2026-04; 1688 mtop captures 2026).
(function () {
  'use strict';
  globalThis.__danhaoEndpoints = {
    'pdd-seller': [
      // POST, JSON body {pageNumber, pageSize, …} → {success, errorCode, result: {totalItemNum, pageItems[]}}
      { name: 'orderList', kind: 'json', url: '^https://mms\\.pinduoduo\\.com/mangkhut/mms/recentOrderList(?:[?#]|$)' },
      // GET → courier catalogue {id, name} (cached by the page; may not be requested on every load)
      { name: 'courierList', kind: 'json', url: '^https://mms\\.pinduoduo\\.com/express_base/shipping_list/mms(?:[?#]|$)' },
      // POST {orderShipRequestList: [{orderSn, …}], …}: the page's own 发货 request
      { name: 'ship', kind: 'json', url: '^https://mms\\.pinduoduo\\.com/(?:express_base/shop/orders/shipping|robot/shop/orders/shipping|mangkhut/mms/shipOrder)(?:[?#]|$)' },
    ],
    'douyin-seller': [
      // GET ?page=<0-based>&pageSize=…&… → {code: 0, data: [rows], total} (抖店 API catalog 2026-05)
      { name: 'orderList', kind: 'json', url: '^https://fxg\\.jinritemai\\.com/api/order/searchlist(?:[?#]|$)' },
      // The ship page's own 发货 request: GUESS from the open API's order/logisticsAdd (no public
      // capture of the web page's call); when it is not seen, the page's 发货成功 decides.
      { name: 'ship', kind: 'json', url: '^https://fxg\\.jinritemai\\.com/api/order/logisticsAdd(?:[?#]|$)' },
    ],
    'alibaba-buyer': [
      // mtop gateway, JSONP (or JSON through XHR when the page's lib asks for 'originaljson')
      { name: 'orderList', kind: 'jsonp', url: '^https://h5api\\.m\\.1688\\.com/h5/mtop\\.1688\\.trading\\.dataline\\.service/1\\.0/' },
      { name: 'orderList', kind: 'json', url: '^https://h5api\\.m\\.1688\\.com/h5/mtop\\.1688\\.trading\\.dataline\\.service/1\\.0/' },
      // The older list (trade.1688.com, ?oldBuyerOrderList=y and our legacy replica)
      { name: 'legacyOrderList', kind: 'json', url: '^https://trade\\.1688\\.com/order/buyer_order_list_data\\.json(?:[?#]|$)' },
    ],
  };
})();
