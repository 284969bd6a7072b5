from luoshi.i18n import register

register({
    "extensions.not_found": {"zh": "延期申请不存在", "en": "The extension request does not exist"},
    "extensions.task_not_open": {
        "zh": "事项当前状态不能申请延期", "en": "An extension cannot be asked for in the task's status",
    },
    "extensions.no_deadline": {
        "zh": "事项没有办理时限，无需延期", "en": "The task has no deadline to extend",
    },
    "extensions.deadline_passed": {
        "zh": "办理时限已过，不能再申请延期", "en": "The deadline has passed; it is too late to ask",
    },
    "extensions.pending_exists": {
        "zh": "已有一份待审批的延期申请", "en": "An extension request is already waiting for a decision",
    },
    "extensions.already_decided": {
        "zh": "该延期申请已处理", "en": "The extension request was already decided",
    },
    "extensions.lead_only": {
        "zh": "只有牵头单位可以申请延期", "en": "Only the lead unit can ask for an extension",
    },
})
