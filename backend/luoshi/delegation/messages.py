from luoshi.i18n import register

register({
    "delegation.not_found": {"zh": "代管记录不存在", "en": "The delegation does not exist"},
    "delegation.not_active": {
        "zh": "您没有代管该用户的有效授权", "en": "You hold no active delegation from this user",
    },
    "delegation.invalid": {"zh": "代管设置无效：{reason}", "en": "Invalid delegation: {reason}"},
    "delegation.nested": {
        "zh": "代管期间不能再设置或撤销代管", "en": "A substitute cannot delegate in turn",
    },
})
