/** Task statuses (spec §4) with their Chinese labels and tag colours. */
export const TASK_STATUSES = {
  draft: { label: "草稿", color: "default" },
  assigned: { label: "已交办", color: "processing" },
  in_progress: { label: "办理中", color: "blue" },
  pending_review: { label: "待审核", color: "purple" },
  completed: { label: "已办结", color: "success" },
  suspended: { label: "暂缓", color: "warning" },
  cancelled: { label: "已撤销", color: "default" },
} as const;

export type TaskStatus = keyof typeof TASK_STATUSES;

export function statusLabel(status: string | null | undefined): string {
  return (status && TASK_STATUSES[status as TaskStatus]?.label) || status || "—";
}

export function statusColor(status: string | null | undefined): string {
  return (status && TASK_STATUSES[status as TaskStatus]?.color) || "default";
}

export const SOURCE_TYPES: Record<string, string> = {
  leader_instruction: "领导批示",
  meeting_decision: "会议决定",
  superior_document: "上级文件",
  government_work_report: "政府工作报告",
  npc_suggestion: "人大建议",
  cppcc_proposal: "政协提案",
  research_finding: "调研问题",
  inspection_finding: "督查发现",
  public_request: "群众诉求",
  other: "其他",
};

export const FEEDBACK_CYCLES: Record<string, string> = {
  once: "到期一次回告",
  weekly: "每周（周调度）",
  monthly: "每月（月分析）",
  quarterly: "每季（季汇总）",
  yearly: "每年（年总结）",
  dates: "指定日期",
};

export const ASSIGNMENT_ROLES: Record<string, string> = { lead: "牵头", cooperating: "配合" };

export const ASSIGNMENT_STATES: Record<string, { label: string; color: string }> = {
  assigned: { label: "待签收", color: "processing" },
  signed: { label: "已签收", color: "blue" },
  reported: { label: "已回告", color: "cyan" },
  done: { label: "已完成", color: "success" },
  disputed: { label: "申请退回", color: "orange" },
  waived: { label: "已免报", color: "default" },
};
