// Every word the extension shows goes through chrome.i18n (_locales/zh_CN and _locales/en; the
// browser's language picks one, Chinese by default). `t('key', [values])` in scripts,
// `data-i18n="key"` (and -title, -placeholder) in pages. Internal codes (fill reasons, helper
// error codes) become words here; the code itself stays in a data attribute for tests.
(function () {
  'use strict';
  if (globalThis.DanhaoI18n) return;

  const t = (key, subs) => {
    const list = subs == null ? undefined : [].concat(subs).map((v) => String(v == null ? '' : v));
    return chrome.i18n.getMessage(key, list) || key;
  };
  const isZh = () => /^zh/i.test(chrome.i18n.getUILanguage() || 'zh');

  // A message object from the helper ({zh, en}) in the browser's language.
  const pick = (m) => (m && typeof m === 'object' ? (isZh() ? m.zh || m.en : m.en || m.zh) : m) || '';

  function localize(root = document) {
    root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    root.querySelectorAll('[data-i18n-title]').forEach((el) => { el.title = t(el.dataset.i18nTitle); });
    root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    if (root === document) document.documentElement.lang = chrome.i18n.getUILanguage();
  }

  // "code: detail" (or the page adapters' "页面已改版：…") → the code.
  function reasonCode(reason) {
    const text = String(reason || '');
    if (!text) return '';
    if (/^页面已改版|^page changed/i.test(text)) return 'page_changed';
    const m = /^([a-z_]+):/.exec(text);
    if (!m) return /页面已改版/.test(text) ? 'page_changed' : 'other';
    if (m[1] === 'stopped' && /页面已改版|page changed/i.test(text)) return 'stopped_page_changed';
    return m[1];
  }

  const REASONS = {
    already_submitted: () => t('reasonAlreadySubmitted'),
    one_number_per_order: () => t('reasonOneNumberPerOrder'),
    not_confirmed: () => t('reasonNotConfirmed'),
    page_changed: () => t('reasonPageChanged'),
    stopped_page_changed: () => t('reasonStoppedPageChanged'),
    option_missing: () => t('reasonOptionMissing'),
    needs_person: () => t('reasonNeedsPerson'),
    not_pending: () => t('reasonNotPending'),
    not_kept: () => t('reasonNotKept'),
    submitted_different: () => t('reasonSubmittedDifferent'),
    submit_rejected: () => t('reasonSubmitRejected'),
    wrong_dialog: () => t('reasonWrongDialog'),
    bad_shipment: () => t('reasonBadShipment'),
    stopped: () => t('reasonStopped'),
    skipped: () => t('reasonSkippedByPerson'),
    error: () => t('reasonError'),
  };
  const reasonText = (reason) => {
    const code = reasonCode(reason);
    if (!code) return '';
    return (REASONS[code] || (() => t('reasonOther')))();
  };

  // What a result means to the seller: confirmed / filled / skipped / failed. `latest`: the
  // order's state over walks (the popup): a shipment skipped as already submitted is confirmed.
  function resultState(r, { latest = false } = {}) {
    if (r.result === 'filled') return r.submitted ? 'confirmed' : 'filled';
    if (latest && reasonCode(r.reason) === 'already_submitted') return 'confirmed';
    return r.result === 'failed' ? 'failed' : 'skipped';
  }
  const STATES = {
    confirmed: () => t('stateConfirmed'),
    filled: () => t('stateFilled'),
    skipped: () => t('stateSkipped'),
    failed: () => t('stateFailed'),
    held: () => t('stateHeld'),
  };
  const stateText = (s) => (STATES[s] || STATES.failed)();

  // A failure (helper, page, worker) as a sentence with the next step.
  function errorText(err) {
    const e = err || {};
    const code = (e.details && e.details.code) || e.code || '';
    switch (code) {
      case 'offline': return t('errHelperOffline');
      case 'timeout': return t('errHelperTimeout');
      case 'foreign_server': return t('errForeignServer');
      case 'unauthorized': return t('errUnpaired');
      case 'pairing_revoked': return t('errRevoked');
      case 'busy': return t('errBusy');
      case 'page_changed': return t('errPageChanged');
      case 'no_adapter': return t('errNoAdapter');
      case 'cannot_fill': return t('errCannotFill');
      case 'no_answer': return t('errNoAnswer');
      default:
        if (/页面已改版|page changed/i.test(String(e.message || ''))) return t('errPageChanged');
        return t('errOther', [e.message || code || '?']);
    }
  }

  // Each site id's name as the person knows the platform (one message per site).
  const SITE_NAMES = {
    'pdd-seller': () => t('sitePddSeller'), 'taobao-seller': () => t('siteTaobaoSeller'),
    'douyin-seller': () => t('siteDouyinSeller'), 'kuaishou-seller': () => t('siteKuaishouSeller'),
    'jd-seller': () => t('siteJdSeller'), 'xhs-seller': () => t('siteXhsSeller'), 'wechat-seller': () => t('siteWechatSeller'),
    'alibaba-buyer': () => t('siteAlibabaBuyer'), 'pdd-buyer': () => t('sitePddBuyer'),
    'taobao-buyer': () => t('siteTaobaoBuyer'), 'aliexpress-buyer': () => t('siteAliexpressBuyer'),
  };
  const siteName = (id) => (Object.hasOwn(SITE_NAMES, id) ? SITE_NAMES[id]() : t('siteOther'));

  globalThis.DanhaoI18n = { t, isZh, pick, localize, reasonCode, reasonText, resultState, stateText, errorText, siteName };
})();
