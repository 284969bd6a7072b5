/** The five kinds of work that can wait on a person (GET /todo), in the API's fixed order. */
export const TODO_KINDS: Record<string, { label: string; verb: string; color: string }> = {
  sign: { label: "待签收", verb: "签收", color: "#1677ff" },
  report: { label: "待回告", verb: "回告", color: "#13a8a8" },
  review: { label: "待审核", verb: "审核", color: "#722ed1" },
  respond: { label: "待答复", verb: "答复", color: "#fa8c16" },
  approve: { label: "待审批", verb: "审批", color: "#b8292f" },
};

export interface TodoLike {
  kind: string;
  ref_type: string;
  ref_id: number;
  task_id: number;
  deadline_state?: string | null;
}

/** Where a to-do item opens: the report form for a report due, else the task page. */
export function todoTarget(item: TodoLike): string {
  if (item.kind === "report" && item.ref_type !== "report") return `/tasks/${item.task_id}/report`;
  // Answers to supervision notices, instructions and coordination live in the supervision panel.
  if (item.kind === "respond" && !["dispute", "extension"].includes(item.ref_type)) return `/tasks/${item.task_id}#supervision`;
  return `/tasks/${item.task_id}`;
}

/** Counts of overdue and due-soon items across all groups (the red and yellow cards on top). */
export function urgentCounts(groups: { items: TodoLike[] }[]): { overdue: number; dueSoon: number } {
  let overdue = 0;
  let dueSoon = 0;
  for (const g of groups)
    for (const i of g.items) {
      if (i.deadline_state === "overdue") overdue++;
      else if (i.deadline_state === "due_soon") dueSoon++;
    }
  return { overdue, dueSoon };
}
