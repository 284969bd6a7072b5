import type { components } from "@/api/schema";

/**
 * How each action the API may list in `allowed_actions` appears in the UI. The UI never
 * decides *whether* an action is available (that is the API's transition and request tables);
 * it only decides how it looks, where its button lives and which form it needs.
 */

/** Everything the API may list in a task's `allowed_actions` (the generated enum). */
export type TaskAction = components["schemas"]["TaskAction"];
/** The actions sent to POST /tasks/{id}/transitions. */
export type TransitionAction = components["schemas"]["Action"];
/** The requests with endpoints of their own (edit, decompose, report, extension …). */
export type RequestAction = Exclude<TaskAction, TransitionAction>;

export type ActionForm =
  | "confirm" // a confirmation, no input
  | "reason" // a required reason
  | "optional_reason"
  | "report" // opens the report editor
  | "edit" // opens the task editor
  | "decompose" // opens the decomposition editor
  | "extension" // new deadline + reason
  | "dispute" // reason ("not ours")
  | "supervise" // the supervision panel's dialogs
  | "instruct"
  | "coordinate"
  | "upload"; // the attachments card's file picker

/**
 * Where an action's button lives: the task's toolbar, or the card that lists what the action
 * creates (sub-tasks, reports, supervision records).
 */
export type ActionHome = "toolbar" | "children" | "reports" | "supervision" | "attachments";

export interface ActionSpec {
  label: string;
  form: ActionForm;
  home: ActionHome;
  primary?: boolean;
  danger?: boolean;
}

const TRANSITION_SPECS: Record<TransitionAction, ActionSpec> = {
  issue: { label: "交办", form: "confirm", home: "toolbar", primary: true },
  sign: { label: "签收", form: "confirm", home: "toolbar", primary: true },
  submit: { label: "申请办结", form: "report", home: "toolbar", primary: true },
  approve: { label: "审核办结", form: "optional_reason", home: "toolbar", primary: true },
  return: { label: "退回重办", form: "reason", home: "toolbar", danger: true },
  suspend: { label: "暂缓", form: "reason", home: "toolbar" },
  resume: { label: "恢复办理", form: "reason", home: "toolbar" },
  cancel: { label: "撤销", form: "reason", home: "toolbar", danger: true },
  reopen: { label: "重新办理", form: "reason", home: "toolbar" },
};

const REQUEST_SPECS: Record<RequestAction, ActionSpec> = {
  edit: { label: "编辑", form: "edit", home: "toolbar" },
  decompose: { label: "分解任务", form: "decompose", home: "children" },
  report: { label: "填报回告", form: "report", home: "reports" },
  request_extension: { label: "申请延期", form: "extension", home: "toolbar" },
  dispute: { label: "退回交办申请", form: "dispute", home: "toolbar" },
  supervise: { label: "督办", form: "supervise", home: "supervision", danger: true },
  instruct: { label: "领导批示", form: "instruct", home: "supervision" },
  coordinate: { label: "提请协调", form: "coordinate", home: "supervision" },
  attach: { label: "上传", form: "upload", home: "attachments" },
};

// Typed by the generated union: an action added to the API fails the typecheck here until it
// has a spec, rather than rendering as an unknown button.
export const ACTION_SPECS: Record<TaskAction, ActionSpec> = { ...TRANSITION_SPECS, ...REQUEST_SPECS };

export function isTaskAction(action: string): action is TaskAction {
  return Object.hasOwn(ACTION_SPECS, action);
}

export function isTransition(action: string): action is TransitionAction {
  return Object.hasOwn(TRANSITION_SPECS, action);
}

export interface ActionButton extends ActionSpec {
  action: TaskAction;
  /** Sent to POST /tasks/{id}/transitions; the requests use their own endpoints. */
  transition: boolean;
}

/**
 * Buttons for the actions the API allows that live in `home`, primary ones first. An action
 * this build does not know (an API newer than the SPA) is left out, not guessed at.
 */
export function actionButtons(allowed: readonly string[] | null | undefined, home: ActionHome = "toolbar"): ActionButton[] {
  const buttons: ActionButton[] = [];
  for (const action of new Set(allowed ?? [])) {
    if (!isTaskAction(action) || ACTION_SPECS[action].home !== home) continue;
    buttons.push({ action, ...ACTION_SPECS[action], transition: isTransition(action) });
  }
  const rank = (b: ActionButton) => (b.primary ? 0 : b.danger ? 2 : 1);
  return buttons.sort((a, b) => rank(a) - rank(b));
}

/** Client-side validation before sending a transition; mirrors the API's rules. */
export function validateTransition(action: string, reason: string | undefined): string | null {
  if (!isTaskAction(action)) return null;
  const spec = ACTION_SPECS[action];
  if ((spec.form === "reason" || spec.form === "dispute") && !(reason ?? "").trim()) {
    return "请填写理由";
  }
  if ((reason ?? "").length > 2000) return "理由不能超过 2000 字";
  return null;
}

/** The label of a transition, for the timeline of what happened (requests have event names). */
export function transitionLabel(action: string): string | undefined {
  return isTransition(action) ? TRANSITION_SPECS[action].label : undefined;
}
