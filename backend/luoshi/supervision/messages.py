from luoshi.i18n import register

register({
    "supervision.action_not_found": {"zh": "督办记录不存在", "en": "The supervision action does not exist"},
    "supervision.unit_not_assigned": {
        "zh": "该单位未承办此事项", "en": "The unit takes no part in this task",
    },
    "supervision.task_closed": {
        "zh": "事项已办结或撤销，不能再督办", "en": "The task is closed; it can no longer be supervised",
    },
    "supervision.already_answered": {"zh": "已经答复过", "en": "Already answered"},
    "supervision.no_answer_asked": {
        "zh": "该督办未要求书面答复", "en": "No written answer was asked for",
    },
    "coordination.not_found": {"zh": "协调申请不存在", "en": "The coordination request does not exist"},
    "coordination.lead_only": {
        "zh": "只有牵头单位可以提出协调申请", "en": "Only the lead unit may ask for coordination",
    },
    "coordination.no_prior_consultation": {
        "zh": "提请协调前须先与配合单位会商，并说明会商情况",
        "en": "Consult the cooperating units first and state how you did",
    },
    "coordination.invalid_state": {
        "zh": "协调申请当前状态为「{status}」，不能执行该操作",
        "en": "The coordination request is '{status}'; this step is not possible",
    },
    "instruction.not_found": {"zh": "批示不存在", "en": "The instruction does not exist"},
})
