import { describe, expect, it } from "vitest";
import { buildUnitTree, subtreeIds, unitTreeSelectData } from "./unitTree";

const units = [
  { id: 1, name: "市政府", parent_id: null, code: "01" },
  { id: 3, name: "市住建局", parent_id: 1, code: "03" },
  { id: 2, name: "市发改委", parent_id: 1, code: "02" },
  { id: 4, name: "江岸区", parent_id: 1, code: "04" },
  { id: 5, name: "某街道", parent_id: 4, code: "0401" },
  { id: 9, name: "孤立单位", parent_id: 99, code: "09" },
];

describe("unit tree", () => {
  it("builds a sorted forest, orphan units become roots", () => {
    const tree = buildUnitTree(units);
    expect(tree.map((n) => n.unit.id)).toEqual([1, 9]);
    expect(tree[0].children.map((n) => n.unit.id)).toEqual([2, 3, 4]);
    expect(tree[0].children[2].children[0].unit.name).toBe("某街道");
  });

  it("collects a subtree", () => {
    expect([...subtreeIds(units, 4)].sort()).toEqual([4, 5]);
    expect(subtreeIds(units, 1).size).toBe(5);
  });

  it("disables units outside the allowed set", () => {
    const data = unitTreeSelectData(units, new Set([4, 5]));
    expect(data[0].disabled).toBe(true);
    expect(data[0].children?.find((c) => c.value === 4)?.disabled).toBe(false);
  });
});
