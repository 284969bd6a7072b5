from luoshi.i18n import register

register({
    "notifications.not_found": {"zh": "消息不存在", "en": "The notification does not exist"},
    "notifications.no_receipt_needed": {
        "zh": "该消息无需签收回执", "en": "This notification needs no receipt",
    },
    "notifications.stream_token_invalid": {
        "zh": "消息推送凭证无效或已过期", "en": "The stream token is invalid or has expired",
    },
})
