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
    'pdd-buyer': [
      // POST JSON {type, page, …, anti_content} → {server_time, orders: [...], extra_info}; money in fen,
      // `tracking_number` always "" in the list (public 2026-08 capture): the number is on order.html.
      { name: 'orderList', kind: 'json', url: '^https://mobile\\.yangkeduo\\.com/proxy/api/api/aristotle/order_list_v4(?:[?#]|$)' },
    ],
    'taobao-buyer': [
      // POST form (pageNum, pageSize=50, …) → {mainOrders[], page{…}, …} for pages after the first
      // (page 1 is inlined as `var data = JSON.parse('…')`; public samples 2025-11).
      { name: 'orderList', kind: 'json', url: '^https://buyertrade\\.taobao\\.com/trade/itemlist/asyncBought\\.htm(?:[?#]|$)' },
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
    'kuaishou-seller': [
      // POST {orderEsSearchParam: {offset, limit, status, …}} → {result: 1, total, orderList: [...]} (public capture 2025-26)
      { name: 'orderList', kind: 'json', url: '^https://s\\.kwaixiaodian\\.com/rest/app/tts/ks/seller/order/query/v2(?:[?#]|$)' },
      // The dialog's own 发货 request: GUESS (no public capture of the web page's call); when it is
      // not seen, the dialog closing after the person's click decides.
      { name: 'ship', kind: 'json', url: '^https://s\\.kwaixiaodian\\.com/rest/app/tts/ks/seller/order/deliver(?:[?#]|$)' },
    ],
    'wechat-seller': [
      // POST …?token=&lang=zh_CN {pageNum, pageSize, orderStatus, …} → {code: 0, orderList, totalNum} (2025-26 tools)
      { name: 'orderList', kind: 'json', url: '^https://store\\.weixin\\.qq\\.com/shop-faas/mmchannelstradeorder/list/cgi/orderSearch(?:[?#]|$)' },
      // The dialog's 发货: {orderId, deliveryInfo} → {success: true} or {errmsg} (2025-26 tools)
      { name: 'ship', kind: 'json', url: '^https://store\\.weixin\\.qq\\.com/shop-faas/mmchannelstradeorder/ship/cgi/updateDeliveryInfo(?:[?#]|$)' },
    ],
    'taobao-seller': [
      // POST form-encoded (action=itemlist/SoldQueryAction, tabCode, pageNum, pageSize=15, …) from the list
      // page (another origin, credentialed CORS) → GBK JSON {mainOrders[], page{totalNumber}} (evidence 2024–26)
      { name: 'orderList', kind: 'json', url: '^https://trade\\.taobao\\.com/trade/itemlist/asyncSold\\.htm(?:[?#]|$)' },
      // GUESS (no public capture of the consign page): the courier list the 发货 page loads for its
      // search-select; when it is not seen, the options the dropdown draws are all that is offered.
      { name: 'companies', kind: 'json', url: '^https://qn\\.taobao\\.com/consign-order/api/companies(?:[?#]|$)' },
    ],
    'xhs-seller': [
      // POST {page_no, page_size: 20, status: [...], time_range_list, …} with x-s / x-t signature headers
      // → {code: 0, success, data: {total, packages: [...]}} (public tools 2025-26; real-pages.md §7)
      { name: 'orderList', kind: 'json', url: '^https://(?:ark|edith)\\.xiaohongshu\\.com/api/edith/fulfillment/order/page(?:[?#]|$)' },
      // The 批量发货 drawer's request per row {package_id, express_company_code, express_no, delivery_group}
      // → {code: 0} or {code, msg} (public 2026 capture, seen for 无物流发货: its use for couriers is a GUESS)
      { name: 'ship', kind: 'json', url: '^https://(?:ark|edith)\\.xiaohongshu\\.com/api/edith/fulfillment/order_delivering_api(?:[?#]|$)' },
    ],
    'aliexpress-buyer': [
      // My orders after page 1 (page 1 is inlined as window._dida_config_._init_data_): the mtop
      // gateway, JSONP `mtopjsonpN({api, data: {data: {pc_om_list_order_<id>: …}}, ret})`
      // (public 2024–26 scripts; real-pages.md §11); JSON through XHR when the page's lib asks for it.
      { name: 'orderList', kind: 'jsonp', url: '^https://acs\\.aliexpress\\.com/h5/mtop\\.aliexpress\\.trade\\.buyer\\.order\\.list/1\\.0/' },
      { name: 'orderList', kind: 'json', url: '^https://acs\\.aliexpress\\.com/h5/mtop\\.aliexpress\\.trade\\.buyer\\.order\\.list/1\\.0/' },
    ],
    'jd-seller': [
      // POST JSON {request: {data: {orderTab, current, pageSize, …}}} with dsm-* / h5st headers
      // → {code: 200, data: {totalItem, results[]}} (evidence 2026)
      { name: 'orderList', kind: 'json', url: '^https://sff\\.jd\\.com/api\\?(?:[^#]*&)?api=dsm\\.order\\.bff\\.orderListBffService\\.queryOrderPage(?:[&#]|$)' },
      // GUESS name (no capture of the 2026 出库 dialog's call): its answer decides when seen, else the
      // dialog closing after the person's confirm does.
      { name: 'ship', kind: 'json', url: '^https://sff\\.jd\\.com/api\\?(?:[^#]*&)?api=dsm\\.order\\.bff\\.orderOutboundBffService\\.sopOutbound(?:[&#]|$)' },
    ],
  };
})();
