export const REPORT_KINDS: Record<string, string> = { progress: "进展报告", completion: "办结报告" };

export const REPORT_STATUSES: Record<string, { label: string; color: string }> = {
  draft: { label: "草稿", color: "default" },
  pending_unit_approval: { label: "待单位把关", color: "gold" },
  submitted: { label: "已报送", color: "processing" },
  accepted: { label: "已采纳", color: "success" },
  returned: { label: "已退回", color: "error" },
};

/** The report's text fields in reading order, with their labels (喜忧兼报 last). */
export const REPORT_FIELDS = [
  { name: "progress_text", label: "进展情况", required: true },
  { name: "problems", label: "存在问题" },
  { name: "next_steps", label: "下步计划" },
  { name: "support_needed", label: "需协调支持事项" },
  { name: "highlights_good", label: "亮点成效（喜）" },
  { name: "highlights_bad", label: "困难风险（忧）" },
] as const;

export type ReportFieldName = (typeof REPORT_FIELDS)[number]["name"];

export interface ReportFormValues {
  kind: "progress" | "completion";
  percent_done?: number | null;
  progress_text?: string;
  problems?: string;
  next_steps?: string;
  support_needed?: string;
  highlights_good?: string;
  highlights_bad?: string;
}

/** Checks before sending: a report needs its progress text; a completion report means 100%. */
export function validateReport(values: ReportFormValues): Partial<Record<keyof ReportFormValues, string>> {
  const errors: Partial<Record<keyof ReportFormValues, string>> = {};
  if (!values.progress_text?.trim()) errors.progress_text = "请填写进展情况";
  if (values.percent_done != null && (values.percent_done < 0 || values.percent_done > 100)) {
    errors.percent_done = "完成比例须在 0–100 之间";
  }
  if (values.kind === "completion" && values.percent_done != null && values.percent_done < 100) {
    errors.percent_done = "办结报告的完成比例应为 100%";
  }
  return errors;
}

/** Only the fields the API takes, with empty strings dropped. */
export function reportBody(values: ReportFormValues): ReportFormValues {
  const body: ReportFormValues = { kind: values.kind };
  if (values.percent_done != null) body.percent_done = values.percent_done;
  for (const f of REPORT_FIELDS) {
    const v = values[f.name];
    if (typeof v === "string" && v.trim()) body[f.name] = v;
  }
  return body;
}
