import type { FormInstance } from "antd";
import { problemFieldErrors, problemMessage } from "./problem";

/**
 * Shows an API failure: field errors go onto the form's fields, the localised detail goes
 * into a toast (or is returned for an inline alert).
 */
export function reportApiError(
  error: unknown,
  form: FormInstance | null,
  toast: { error: (text: string) => unknown } | null,
): string {
  const text = problemMessage(error);
  if (form) {
    const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
    const fields = problemFieldErrors(error).filter((f) => known.has(String(f.name[0])));
    if (fields.length) form.setFields(fields);
  }
  toast?.error(text);
  return text;
}

/** Drops empty strings so optional fields are sent as absent, not as "". */
export function compact<T extends object>(values: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === "" || v === undefined) continue;
    out[k] = v;
  }
  return out as T;
}
