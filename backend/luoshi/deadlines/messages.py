from luoshi.i18n import register

register({
    "calendar.not_covered": {
        "zh": "{date} 不在节假日日历覆盖范围内（{first}–{last} 年），请管理员补充该年度的节假日安排",
        "en": "{date} is outside the holiday calendar ({first}–{last}); an administrator must "
              "add that year's holidays",
    },
    "obligation.not_found": {"zh": "回告节点不存在", "en": "The obligation does not exist"},
})
