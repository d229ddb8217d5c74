"""Realistic traces used by several tests (times are China time)."""

ZTO_NUMBER = "73012345678901"
SF_NUMBER = "SF1234567890123"
YTO_NUMBER = "YT1234567890123"

# Kuaidi100 shape, oldest first (the fake serves them newest first).
K100_ZTO_IN_TRANSIT = [
    {"time": "2026-11-23 18:02:11", "context": "【义乌市】 快件已被 义乌北苑 揽收", "areaName": "浙江,金华市", "status": "揽收"},
    {"time": "2026-11-23 23:40:05", "context": "【义乌转运中心】 已发出 下一站 【广州转运中心】", "areaName": "浙江,金华市", "status": "在途"},
    {"time": "2026-11-24 21:15:00", "context": "【广州转运中心】 已收入", "areaName": "广东,广州市", "status": "在途"},
]
K100_ZTO_DELIVERED = K100_ZTO_IN_TRANSIT + [
    {"time": "2026-11-25 08:30:00", "context": "【广州市天河区】 快件已到达 天河五山，派件员：李四 正在派件", "areaName": "广东,广州市", "status": "派件"},
    {"time": "2026-11-25 12:05:00", "context": "【广州市天河区】 您的快件已签收，签收人：门卫，如有疑问请联系派件员", "areaName": "广东,广州市", "status": "签收"},
]
K100_TRANSFER = [
    {"time": "2026-11-20 10:00:00", "context": "【深圳市】 快件已被 宝安 揽收", "areaName": "广东,深圳市", "status": "揽收"},
    {"time": "2026-11-21 09:00:00", "context": "【乌鲁木齐市】 快件超区，已转投至中国邮政，新单号：9876543210123", "areaName": "新疆,乌鲁木齐市", "status": "转投"},
]

# Kdniao shape, oldest first (as Kdniao serves them).
KDN_YTO_OFD = [
    {"AcceptTime": "2026-11-23 17:00:00", "AcceptStation": "【浙江省金华市义乌市公司】 已收件 取件人: 王五", "Location": "金华市", "Action": "1"},
    {"AcceptTime": "2026-11-23 22:10:00", "AcceptStation": "【义乌转运中心】 已发出 下一站 【杭州转运中心】", "Location": "金华市", "Action": "2"},
    {"AcceptTime": "2026-11-24 06:00:00", "AcceptStation": "【杭州转运中心】 已收入", "Location": "杭州市", "Action": "2"},
    {"AcceptTime": "2026-11-24 09:00:00", "AcceptStation": "快件已到达【杭州市西湖区】", "Location": "杭州市", "Action": "201"},
    {"AcceptTime": "2026-11-24 10:30:00", "AcceptStation": "【浙江省杭州市西湖区文三路】派件员 赵六 正在为您派件", "Location": "杭州市", "Action": "202"},
]
