"""An address some page shows as one line, split into the MODEL.md address object.

`split_address("浙江省杭州市西湖区文三路1号")` →
`{"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路1号"}`.
Parts that cannot be told apart safely stay in `detail` (never guessed), so the parts put
together give back the line: nothing the page showed is lost, and `detail` is masked in logs.
"""

from __future__ import annotations

import re

_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
_PROVINCE = re.compile(r"^(.{2,3}?省|.{2,8}?自治区|.{2,3}?特别行政区)")
_CITY = re.compile(r"^(.{2,10}?(?:自治州|地区|盟|市))")
_DISTRICT = re.compile(r"^(.{1,10}?(?:区|县|市|旗))")


def split_address(text: str) -> dict:
    line = re.sub(r"\s+", " ", text).strip()
    rest = line.replace(" ", "")
    parts: dict[str, str] = {}
    city_name = next((m for m in _MUNICIPALITIES if rest.startswith(m)), None)
    if city_name:
        parts["province"] = parts["city"] = city_name + "市"
        rest = rest[len(city_name) + (1 if rest[len(city_name):].startswith("市") else 0):]
    else:
        m = _PROVINCE.match(rest)
        if m:
            parts["province"] = m.group(1)
            rest = rest[m.end():]
            m = _CITY.match(rest)
            if m:
                parts["city"] = m.group(1)
                rest = rest[m.end():]
    if "city" in parts:
        m = _DISTRICT.match(rest)
        if m:
            parts["district"] = m.group(1)
            rest = rest[m.end():]
    if not parts:
        return {"detail": line}
    return {**parts, "detail": rest}
