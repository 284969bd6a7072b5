"""Error codes of the tasks domain."""

from luoshi.i18n import register

register({
    "task.not_found": {"zh": "督办事项不存在", "en": "The task does not exist"},
    "task.invalid_transition.title": {"zh": "当前状态不允许该操作", "en": "Not allowed in this status"},
    "task.transition_denied.title": {"zh": "无权执行该操作", "en": "Not allowed for you"},
    "task.children_open.title": {"zh": "仍有未办结的分解事项", "en": "Sub-tasks are still open"},
    "task.cooperating_not_reported.title": {"zh": "配合单位尚未报送", "en": "Cooperating units have not reported"},
    "task.assignment_not_pending.title": {"zh": "本单位无需签收", "en": "Nothing to sign"},
    "task.assignment_invalid_transition.title": {"zh": "承办状态不允许该操作", "en": "Not allowed for the assignment"},
    "task.invalid_transition": {
        "zh": "当前状态（{status}）不能执行“{action}”操作",
        "en": "The action '{action}' is not allowed while the task is {status}",
    },
    "task.transition_denied": {
        "zh": "您无权对该事项执行“{action}”操作", "en": "You may not '{action}' this task",
    },
    "task.reason_required": {"zh": "该操作须填写理由", "en": "This action requires a reason"},
    "task.issue_incomplete": {
        "zh": "交办前须填写标题、牵头单位和办理时限",
        "en": "A task needs a title, a lead unit and a deadline before it is issued",
    },
    "task.parent_not_issued": {
        "zh": "上级事项尚未交办，不能交办其分解事项",
        "en": "The parent task has not been issued yet",
    },
    "task.sign_first": {
        "zh": "本单位尚未签收该事项，请先签收", "en": "Your unit has not signed for this task yet; sign for it first",
    },
    "task.parent_closed": {
        "zh": "上级事项已办结或已撤销", "en": "The parent task is completed or cancelled",
    },
    "task.children_open": {
        "zh": "仍有 {count} 项分解事项未办结，不能办结本事项",
        "en": "{count} sub-task(s) are still open; the task cannot be completed",
    },
    "task.cooperating_not_reported": {
        "zh": "配合单位尚未报送办理情况：{units}",
        "en": "Cooperating units have not reported their part: {units}",
    },
    "task.assignment_not_pending": {
        "zh": "本单位的承办状态为“{state}”，不能签收",
        "en": "Your unit's assignment is '{state}'; it cannot be signed",
    },
    "task.assignment_invalid_transition": {
        "zh": "承办状态为“{state}”时不能执行“{action}”",
        "en": "The action '{action}' is not allowed on an assignment that is {state}",
    },
    "task.assignment_not_found": {"zh": "承办记录不存在", "en": "The assignment does not exist"},
    "task.concurrent_change": {
        "zh": "该事项刚被他人处理，请刷新后重试",
        "en": "Someone else changed this task just now; reload and try again",
    },
    "task.not_editable": {
        "zh": "已办结或已撤销的事项不能修改", "en": "A completed or cancelled task cannot be edited",
    },
    "task.decompose_denied": {
        "zh": "您无权分解该事项", "en": "You may not decompose this task",
    },
    "task.ledger_too_large.title": {"zh": "导出数据过多", "en": "Too many tasks to export"},
    "task.ledger_too_large": {
        "zh": "符合筛选条件的事项有 {count} 项，超过单次导出上限 {limit} 项，"
              "请缩小筛选范围（如按状态、单位或时限）后再导出",
        "en": "{count} tasks match the filters, more than the {limit} one export may hold; "
              "narrow the filters (status, unit or deadline) and export again",
    },
})

ACTION_NAMES = {
    "issue": "交办", "sign": "签收", "submit": "申请办结", "approve": "办结", "return": "退回重办",
    "suspend": "暂缓", "resume": "恢复办理", "cancel": "撤销", "reopen": "重新办理", "waive": "免于回告",
    "dispute": "退回交办申请", "reassign": "更换牵头单位",
}
STATUS_NAMES = {
    "draft": "草稿", "assigned": "已交办", "in_progress": "办理中", "pending_review": "待审核",
    "completed": "已办结", "suspended": "暂缓", "cancelled": "已撤销",
}
ASSIGNMENT_STATE_NAMES = {
    "assigned": "待签收", "signed": "已签收", "reported": "已回告", "done": "已办结",
    "disputed": "退回交办申请中", "waived": "免于回告",
}
SOURCE_TYPE_NAMES = {
    "leader_instruction": "领导批示", "meeting_decision": "会议决定", "superior_document": "上级文件",
    "government_work_report": "政府工作报告", "npc_suggestion": "人大建议", "cppcc_proposal": "政协提案",
    "research_finding": "调研问题", "inspection_finding": "督查发现", "public_request": "群众诉求",
    "other": "其他",
}
DEADLINE_STATE_NAMES = {
    "normal": "正常", "due_soon": "临期", "overdue": "超期", "on_time": "按期办结", "late": "逾期办结",
}
