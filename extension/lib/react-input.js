// Sets a React-controlled input. React keeps its own copy of the value (the "value
// tracker"); assigning .value directly updates that copy too, so React sees no change
// and restores the old value on the next render. Calling the prototype's setter bypasses
// the tracker, and the bubbling input event makes React's onChange run.
(function () {
  'use strict';

  function nativeSetter(el) {
    const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
      : el instanceof HTMLSelectElement ? HTMLSelectElement.prototype
        : HTMLInputElement.prototype;
    return Object.getOwnPropertyDescriptor(proto, 'value').set;
  }

  function setValue(el, value) {
    el.focus();
    nativeSetter(el).call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    el.blur();
    return el.value === value;
  }

  globalThis.DanhaoReactInput = { setValue };
})();
