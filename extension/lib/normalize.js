// Turns what pages show into MODEL.md values: money as decimal strings, times as ISO
// 8601 with +08:00 (all these sites show Beijing time), addresses split in four parts.
(function () {
  'use strict';

  const norm = (s) => String(s == null ? '' : s).replace(/[\s\u00a0\u3000]+/g, ' ').trim();

  // '¥19.90', '￥ 1,299.00', '19.9元' → '19.90' (strings: no float rounding on the way).
  function money(s) {
    const m = norm(s).replace(/[,，]/g, '').match(/-?\d+(?:\.\d+)?/);
    if (!m) return '';
    const [int, frac = ''] = m[0].split('.');
    return `${int}.${(frac + '00').slice(0, Math.max(2, frac.length))}`;
  }

  // '2026-11-24 10:31:00' / '2026/11/24 10:31' / '2026年11月24日 10:31:00' → '2026-11-24T10:31:00+08:00'
  function datetime(s) {
    const m = norm(s).match(/(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?/);
    if (!m) return '';
    const p = (v) => String(v || 0).padStart(2, '0');
    return `${m[1]}-${p(m[2])}-${p(m[3])}T${p(m[4])}:${p(m[5])}:${p(m[6])}+08:00`;
  }

  const MUNICIPALITIES = ['北京市', '天津市', '上海市', '重庆市'];
  const PROVINCE_RE = /^(北京市?|天津市?|上海市?|重庆市?|.{2,3}省|.{2,10}?自治区|.{2,3}特别行政区)/;
  const CITY_RE = /^(.{1,15}?(?:自治州|地区|盟|市))/;
  const DISTRICT_RE = /^(.{1,15}?(?:区|县|旗|市))/;
  const isProvince = (t) => /^(.{2,3}省|.+自治区|.+特别行政区)$/.test(t) || MUNICIPALITIES.includes(t);
  const isCity = (t) => /(市|自治州|地区|盟)$/.test(t);
  const isDistrict = (t) => /(区|县|旗|市)$/.test(t);
  const fullMunicipality = (t) => (MUNICIPALITIES.includes(t + '市') ? t + '市' : t);

  // '浙江省 杭州市 西湖区 文三路1号' → {province, city, district, detail}. Municipalities
  // are written either '北京市 北京市 朝阳区 …' or '北京市 朝阳区 …'; both give city 北京市.
  function address(s) {
    const out = { province: '', city: '', district: '', detail: '' };
    let rest = norm(s);
    if (!rest) return out;
    const tokens = rest.split(' ');
    if (tokens.length >= 3 && isProvince(fullMunicipality(tokens[0]))) {
      out.province = fullMunicipality(tokens.shift());
      if (MUNICIPALITIES.includes(out.province)) {
        out.city = fullMunicipality(tokens[0]) === out.province ? (tokens.shift(), out.province)
          : out.province;
      } else if (isCity(tokens[0])) {
        out.city = tokens.shift();
      }
      if (tokens.length && isDistrict(tokens[0])) out.district = tokens.shift();
      out.detail = tokens.join(' ');
      return out;
    }
    // No separators: peel the parts off by their suffixes.
    rest = rest.replace(/ /g, '');
    let m = rest.match(PROVINCE_RE);
    if (!m) { out.detail = norm(s); return out; }
    out.province = fullMunicipality(m[1]);
    rest = rest.slice(m[1].length);
    if (MUNICIPALITIES.includes(out.province)) {
      out.city = out.province;
      for (const prefix of [out.province, out.province.slice(0, -1) + '城区']) {
        if (rest.startsWith(prefix)) { rest = rest.slice(prefix.length); break; }
      }
    } else if ((m = rest.match(CITY_RE))) {
      out.city = m[1];
      rest = rest.slice(m[1].length);
    }
    if ((m = rest.match(DISTRICT_RE)) && m[1].length < rest.length) {
      out.district = m[1];
      rest = rest.slice(m[1].length);
    }
    out.detail = rest;
    return out;
  }

  globalThis.DanhaoNormalize = { money, datetime, address };
})();
