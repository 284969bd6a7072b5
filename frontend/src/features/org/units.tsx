import { useMemo } from "react";
import { TreeSelect, type TreeSelectProps } from "antd";
import { $api } from "@/lib/http";
import { unitTreeSelectData } from "@/lib/unitTree";
import type { components } from "@/api/schema";

export type Unit = components["schemas"]["UnitRead"];

export const UNIT_KINDS: Record<string, string> = {
  government: "人民政府",
  office: "督查室/办公室",
  department: "部门",
  district: "区/县",
  street: "街道/乡镇",
  community: "社区/村",
  enterprise: "企业/其他承办单位",
  other: "其他",
};

/** Every unit the caller may see (flat, parents first). Cached: the org tree changes rarely. */
export function useUnits(enabled = true) {
  return $api.useQuery("get", "/api/v1/units", {}, { enabled, staleTime: 5 * 60_000 });
}

export function useUnitNames(): Map<number, Unit> {
  const { data } = useUnits();
  return useMemo(() => new Map((data ?? []).map((u) => [u.id, u])), [data]);
}

type UnitPickerProps = Omit<TreeSelectProps, "treeData"> & {
  /** When given, only these units can be picked (the others stay visible for context). */
  allowed?: Set<number>;
  /** Units known from elsewhere (a task's assignments) that the caller's unit list may not hold. */
  extra?: { id: number; name: string; short_name?: string }[];
};

/** A unit picker over the organisation tree with search by name. */
export function UnitPicker({ allowed, extra, ...props }: UnitPickerProps) {
  const { data, isLoading } = useUnits();
  const treeData = useMemo(() => {
    const known = new Set((data ?? []).map((u) => u.id));
    const more = (extra ?? []).filter((u) => !known.has(u.id)).map((u) => ({ ...u, parent_id: null }));
    return unitTreeSelectData([...(data ?? []), ...more], allowed);
  }, [data, allowed, extra]);
  return (
    <TreeSelect
      showSearch
      allowClear
      treeDefaultExpandAll
      loading={isLoading}
      treeData={treeData}
      treeNodeFilterProp="title"
      placeholder="选择单位"
      popupMatchSelectWidth={false}
      style={{ width: "100%" }}
      {...props}
    />
  );
}
