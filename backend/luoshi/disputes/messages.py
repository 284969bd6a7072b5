from luoshi.i18n import register

register({
    "disputes.not_found": {"zh": "退回交办申请不存在", "en": "The dispute does not exist"},
    "disputes.not_assigned": {
        "zh": "只有待签收的事项可以申请退回交办",
        "en": "Only a task waiting to be signed for can be disputed",
    },
    "disputes.pending_exists": {
        "zh": "已有一份待处理的退回交办申请", "en": "A dispute is already waiting for a decision",
    },
    "disputes.already_decided": {
        "zh": "该退回交办申请已处理", "en": "The dispute was already decided",
    },
    "disputes.lead_only": {
        "zh": "只有牵头单位可以申请退回交办", "en": "Only the lead unit can dispute the assignment",
    },
})
