from luoshi.i18n import register

register({
    "reports.not_found": {"zh": "报告不存在", "en": "The report does not exist"},
    "reports.invalid_transition": {
        "zh": "报告当前状态为「{status}」，不能执行「{action}」",
        "en": "A report in status '{status}' cannot be '{action}'",
    },
    "reports.not_editable": {
        "zh": "报告已报送，不能再修改", "en": "The report was sent and can no longer be edited",
    },
    "reports.open_exists": {
        "zh": "本单位已有一份未报送的报告，请继续编辑该报告",
        "en": "Your unit already has an unsent report on this task; continue that one",
    },
    "reports.task_not_in_progress": {
        "zh": "事项当前不在办理中，不能填报报告",
        "en": "The task is not in progress; reports cannot be written now",
    },
    "reports.not_signed": {
        "zh": "请先签收再填报", "en": "Sign for the task before reporting on it",
    },
    "reports.not_participant": {
        "zh": "本单位不是该事项的承办单位", "en": "Your unit does not take part in this task",
    },
    "reports.lead_only": {
        "zh": "只有牵头单位可以汇总报送", "en": "Only the lead unit can consolidate",
    },
    "reports.incomplete": {
        "zh": "报告内容不完整，请补充标注的字段", "en": "The report is incomplete",
    },
})

STATUS_NAMES = {
    "draft": "草稿", "pending_unit_approval": "待单位把关", "submitted": "已报送", "accepted": "已采纳",
    "returned": "已退回",
}
ACTION_NAMES = {
    "submit": "报送", "approve_unit": "单位审核通过", "return_unit": "单位退回修改", "accept": "采纳", "return": "退回",
}


def named(names: dict[str, str], value: str) -> dict[str, str]:
    """A message parameter in both languages: the Chinese name and the API's own value."""
    return {"zh": names.get(value, value), "en": value}
