// 指给我看 in words: a field key or a saved locator (lib/pointing.js) as the sentence a person
// reads in the panel and on the options page — "「发货」对话框里 标签为「面单编码」的输入框". Every
// word comes from chrome.i18n; the page's own texts (labels, titles, headers) stay as they are.
(function () {
  'use strict';
  if (globalThis.DanhaoLocatorWords) return;
  const list = (subs) => (subs == null ? undefined : [].concat(subs).map((v) => String(v == null ? '' : v)));

  const FIELDS = {
    tracking: () => chrome.i18n.getMessage('fieldTracking'),
    courier: () => chrome.i18n.getMessage('fieldCourier'),
    confirmShip: () => chrome.i18n.getMessage('fieldConfirmShip'),
    amount: () => chrome.i18n.getMessage('fieldAmount'),
    status: () => chrome.i18n.getMessage('fieldStatus'),
  };
  /** The field a key names ("tracking" → 运单号); an unknown key → 这一项. */
  const field = (key) => (FIELDS[key] || (() => chrome.i18n.getMessage('fieldOther')))();

  const CONTROLS = {
    text: () => chrome.i18n.getMessage('locControlText'),
    textarea: () => chrome.i18n.getMessage('locControlText'),
    select: () => chrome.i18n.getMessage('locControlSelect'),
    combobox: () => chrome.i18n.getMessage('locControlSelect'),
    button: () => chrome.i18n.getMessage('locControlButton'),
  };

  /** A locator as a sentence: where (dialog / heading / page), by what (label, text, aria-label,
   *  placeholder, name, or no words), what kind of control, and its place among its kind. */
  function locator(loc) {
    if (!loc) return '';
    if (loc.kind === 'column') return chrome.i18n.getMessage('locColumn', list(loc.header));
    if (loc.kind === 'label') return chrome.i18n.getMessage('locLabel', list(loc.label));
    const sc = loc.scope || {};
    const where = sc.dialog ? chrome.i18n.getMessage('locInDialog', list(sc.dialog))
      : sc.heading ? chrome.i18n.getMessage('locUnderHeading', list(sc.heading)) : chrome.i18n.getMessage('locOnPage');
    const who = loc.labels && loc.labels.length ? chrome.i18n.getMessage('locByLabel', list(loc.labels[0]))
      : loc.text ? chrome.i18n.getMessage('locByText', list(loc.text))
        : loc.aria_label ? chrome.i18n.getMessage('locByAria', list(loc.aria_label))
          : loc.placeholder ? chrome.i18n.getMessage('locByPlaceholder', list(loc.placeholder))
            : loc.name ? chrome.i18n.getMessage('locByName', list(loc.name)) : chrome.i18n.getMessage('locByPosition');
    const what = (CONTROLS[loc.control] || (() => chrome.i18n.getMessage('locControlOther')))();
    const pos = loc.position && loc.position.count > 1
      ? chrome.i18n.getMessage('locPosition', list([loc.position.index + 1, loc.position.count])) : '';
    return chrome.i18n.getMessage('locSentence', list([where, who, what, pos]));
  }

  globalThis.DanhaoLocatorWords = { field, locator };
})();
