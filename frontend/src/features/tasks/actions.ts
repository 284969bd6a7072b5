/**
 * How each action the API may list in `allowed_actions` appears as a button. The UI never
 * decides *whether* an action is available (that is the API's transition table); it only
 * decides how it looks and which form it needs.
 */
export type ActionForm =
  | "confirm" // a confirmation, no input
  | "reason" // a required reason
  | "optional_reason"
  | "report" // opens the report editor
  | "extension" // new deadline + reason
  | "dispute" // reason ("not ours")
  | "decompose"; // opens the decomposition editor

export interface ActionSpec {
  label: string;
  form: ActionForm;
  primary?: boolean;
  danger?: boolean;
  /** Sent to POST /tasks/{id}/transitions; other actions use their own endpoints. */
  transition: boolean;
}

export const ACTION_SPECS: Record<string, ActionSpec> = {
  issue: { label: "交办", form: "confirm", primary: true, transition: true },
  sign: { label: "签收", form: "confirm", primary: true, transition: true },
  submit: { label: "申请办结", form: "report", primary: true, transition: true },
  approve: { label: "审核办结", form: "optional_reason", primary: true, transition: true },
  return: { label: "退回重办", form: "reason", danger: true, transition: true },
  suspend: { label: "暂缓", form: "reason", transition: true },
  resume: { label: "恢复办理", form: "reason", transition: true },
  cancel: { label: "撤销", form: "reason", danger: true, transition: true },
  reopen: { label: "重新办理", form: "reason", transition: true },
  dispute: { label: "退回交办申请", form: "dispute", transition: false },
  report: { label: "填报进展", form: "report", transition: false },
  request_extension: { label: "申请延期", form: "extension", transition: false },
  extend: { label: "申请延期", form: "extension", transition: false },
  decompose: { label: "分解任务", form: "decompose", transition: false },
};

export interface ActionButton extends ActionSpec {
  action: string;
}

/** Buttons for the actions the API allows, primary ones first, unknown actions shown plainly. */
export function actionButtons(allowed: readonly string[] | null | undefined): ActionButton[] {
  const seen = new Set<string>();
  const buttons: ActionButton[] = [];
  for (const action of allowed ?? []) {
    if (seen.has(action)) continue;
    seen.add(action);
    const spec = ACTION_SPECS[action] ?? { label: action, form: "optional_reason", transition: true };
    buttons.push({ action, ...spec });
  }
  const rank = (b: ActionButton) => (b.primary ? 0 : b.danger ? 2 : 1);
  return buttons.sort((a, b) => rank(a) - rank(b));
}

/** Client-side validation before sending a transition; mirrors the API's rules. */
export function validateTransition(action: string, reason: string | undefined): string | null {
  const spec = ACTION_SPECS[action];
  if (!spec) return null;
  if ((spec.form === "reason" || spec.form === "dispute") && !(reason ?? "").trim()) {
    return "请填写理由";
  }
  if ((reason ?? "").length > 2000) return "理由不能超过 2000 字";
  return null;
}

/**
 * Requests a lead unit may raise that the API does not (yet) list in `allowed_actions`:
 * a "not ours" dispute while it has not signed, an extension while the task is open and not
 * late. Derived from the caller's own assignment row; the API still decides.
 */
export function leadRequests(
  task: { status: string; deadline_state?: string | null; assignments: { unit: { id: number }; capacity: string; state: string }[] },
  myUnitId: number | undefined,
): string[] {
  const own = task.assignments.find((a) => a.unit.id === myUnitId && a.capacity === "lead");
  if (!own) return [];
  const out: string[] = [];
  if (task.status === "assigned" && own.state === "assigned") out.push("dispute");
  if (["assigned", "in_progress"].includes(task.status) && task.deadline_state !== "overdue" && own.state !== "disputed") {
    out.push("request_extension");
  }
  return out;
}
