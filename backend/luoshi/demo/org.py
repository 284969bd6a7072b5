"""A realistic organisation for the demo: Wuhan's city government, its supervision office,
departments and two districts with streets and communities (units named in the seeds)."""

DEMO_PASSWORD = "Luoshi@2026"

# (code, name, short name, kind, parent code)
UNITS: list[tuple[str, str, str, str, str | None]] = [
    ("WH", "武汉市人民政府", "市政府", "government", None),
    ("WH-DCS", "武汉市人民政府督查室", "市政府督查室", "office", "WH"),
    ("WH-BGT", "武汉市人民政府办公厅", "市政府办公厅", "department", "WH"),
    ("WH-FGW", "武汉市发展和改革委员会", "市发改委", "department", "WH"),
    ("WH-JXJ", "武汉市经济和信息化局", "市经信局", "department", "WH"),
    ("WH-JYJ", "武汉市教育局", "市教育局", "department", "WH"),
    ("WH-KJJ", "武汉市科学技术局", "市科技局", "department", "WH"),
    ("WH-CZJ", "武汉市财政局", "市财政局", "department", "WH"),
    ("WH-ZRZYGH", "武汉市自然资源和规划局", "市自然资源和规划局", "department", "WH"),
    ("WH-SHJ", "武汉市生态环境局", "市生态环境局", "department", "WH"),
    ("WH-ZJJ", "武汉市住房和城乡建设局", "市住建局", "department", "WH"),
    ("WH-CGW", "武汉市城市管理执法委员会", "市城管执法委", "department", "WH"),
    ("WH-JTJ", "武汉市交通运输局", "市交通运输局", "department", "WH"),
    ("WH-SWJ", "武汉市商务局", "市商务局", "department", "WH"),
    ("WH-WJW", "武汉市卫生健康委员会", "市卫健委", "department", "WH"),
    ("WH-SJJ", "武汉市市场监督管理局", "市市场监管局", "department", "WH"),
    ("WH-ZWJ", "武汉市政务服务和大数据管理局", "市政务服务局", "department", "WH"),
    ("WH-NYJ", "武汉市农业农村局", "市农业农村局", "department", "WH"),
    ("WH-JA", "武汉市江岸区人民政府", "江岸区政府", "district", "WH"),
    ("WH-JA-DCS", "江岸区人民政府督查室", "江岸区督查室", "office", "WH-JA"),
    ("WH-JA-FGJ", "江岸区发展和改革局", "江岸区发改局", "department", "WH-JA"),
    ("WH-JA-DZ", "江岸区大智街道办事处", "大智街道", "street", "WH-JA"),
    ("WH-JA-YY", "江岸区一元街道办事处", "一元街道", "street", "WH-JA"),
    ("WH-JA-CZ", "江岸区车站街道办事处", "车站街道", "street", "WH-JA"),
    ("WH-JA-DZ-SQ1", "大智街道三阳社区", "三阳社区", "community", "WH-JA-DZ"),
    ("WH-JA-DZ-SQ2", "大智街道新马路社区", "新马路社区", "community", "WH-JA-DZ"),
    ("WH-WC", "武汉市武昌区人民政府", "武昌区政府", "district", "WH"),
    ("WH-WC-DCS", "武昌区人民政府督查室", "武昌区督查室", "office", "WH-WC"),
    ("WH-WC-JYQ", "武昌区积玉桥街道办事处", "积玉桥街道", "street", "WH-WC"),
    ("WH-WC-YY", "武昌区杨园街道办事处", "杨园街道", "street", "WH-WC"),
    ("WH-WC-ZNL", "武昌区中南路街道办事处", "中南路街道", "street", "WH-WC"),
]

# (username, display name, unit code, roles, title, is_chief)
USERS: list[tuple[str, str, str, list[str], str | None, bool]] = [
    ("admin", "系统管理员", "WH-BGT", ["admin"], "系统管理员", False),
    ("secadmin", "安全管理员", "WH-BGT", ["security"], "安全保密管理员", False),
    ("auditor", "安全审计员", "WH-BGT", ["auditor"], "安全审计员", False),
    ("supervisor", "王督查", "WH-DCS", ["supervisor"], "督查员", False),
    ("mayor", "李市长", "WH", ["leader"], "市长", True),
    ("vicemayor", "张副市长", "WH", ["leader"], "副市长", False),
    ("fgw_liaison", "陈联络", "WH-FGW", ["unit_staff"], "综合处联络员", False),
    ("fgw_head", "刘主任", "WH-FGW", ["unit_head"], "主任", False),
    ("zjj_liaison", "赵联络", "WH-ZJJ", ["unit_staff"], "办公室联络员", False),
    ("zjj_head", "孙局长", "WH-ZJJ", ["unit_head"], "局长", False),
    ("swj_liaison", "周联络", "WH-SWJ", ["unit_staff"], "办公室联络员", False),
    ("zwj_liaison", "吴联络", "WH-ZWJ", ["unit_staff"], "办公室联络员", False),
    ("jyj_liaison", "郑联络", "WH-JYJ", ["unit_staff"], "办公室联络员", False),
    ("jiangan_supervisor", "钱督查", "WH-JA-DCS", ["supervisor"], "区督查员", False),
    ("jiangan_liaison", "冯联络", "WH-JA", ["unit_staff"], "区政府办联络员", False),
    ("dazhi_liaison", "何联络", "WH-JA-DZ", ["unit_staff"], "街道联络员", False),
]
