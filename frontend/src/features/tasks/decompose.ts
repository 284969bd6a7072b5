import { subtreeIds, type FlatUnit } from "@/lib/unitTree";

/** The parent facts the decomposition rules (spec §3) depend on. */
export interface ParentFacts {
  deadline?: string | null;
  lead_unit_id?: number | null;
  cooperating_unit_ids?: number[];
}

export interface ChildDraft {
  title?: string;
  lead_unit_id?: number | null;
  cooperating_unit_ids?: number[];
  deadline?: string | null;
}

/** Units that may lead a child: the parent's lead, its cooperating units, or the lead's subtree. */
export function allowedChildLeadUnits(parent: ParentFacts, units: readonly FlatUnit[]): Set<number> {
  const allowed = new Set<number>(parent.cooperating_unit_ids ?? []);
  if (parent.lead_unit_id != null) subtreeIds(units, parent.lead_unit_id).forEach((id) => allowed.add(id));
  return allowed;
}

/** Field errors for one child draft, keyed by field name; empty when the draft is valid. */
export function validateChild(
  draft: ChildDraft,
  parent: ParentFacts,
  units: readonly FlatUnit[],
): Partial<Record<keyof ChildDraft, string>> {
  const errors: Partial<Record<keyof ChildDraft, string>> = {};
  if (!draft.title?.trim()) errors.title = "请填写任务名称";
  if (draft.lead_unit_id == null) errors.lead_unit_id = "请选择牵头单位";
  else if (units.length && !allowedChildLeadUnits(parent, units).has(draft.lead_unit_id)) {
    errors.lead_unit_id = "牵头单位须为上级任务的牵头单位、配合单位或其下属单位";
  }
  if (draft.lead_unit_id != null && draft.cooperating_unit_ids?.includes(draft.lead_unit_id)) {
    errors.cooperating_unit_ids = "配合单位不能与牵头单位相同";
  }
  if (!draft.deadline) errors.deadline = "请选择办结时限";
  else if (parent.deadline && draft.deadline > parent.deadline) {
    errors.deadline = `不能晚于上级任务时限 ${parent.deadline}`;
  }
  return errors;
}
