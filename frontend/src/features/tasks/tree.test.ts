import { describe, expect, it } from "vitest";
import { branchKeys, countNodes, expandToMatches, keysToDepth } from "./tree";

interface N {
  id: number;
  title: string;
  children?: N[];
}

function bigTree(breadth: number, depth: number): N[] {
  let id = 0;
  const make = (d: number): N => {
    const node: N = { id: ++id, title: `任务${id}` };
    if (d < depth) node.children = Array.from({ length: breadth }, () => make(d + 1));
    return node;
  };
  return [make(0)];
}

describe("task tree helpers", () => {
  const tree: N[] = [
    { id: 1, title: "优化营商环境", children: [
      { id: 2, title: "压缩审批时限", children: [{ id: 4, title: "江岸区落实" }] },
      { id: 3, title: "减税降费" },
    ] },
  ];

  it("counts and lists branches", () => {
    expect(countNodes(tree)).toBe(4);
    expect(branchKeys(tree)).toEqual([1, 2]);
    expect(keysToDepth(tree, 1)).toEqual([1]);
  });

  it("expands the path to every match", () => {
    expect(expandToMatches(tree, (n) => n.title.includes("江岸"))).toEqual({ expanded: [1, 2], matches: [4] });
  });

  it("handles ten thousand nodes quickly", () => {
    const big = bigTree(10, 4); // 11,111 nodes
    const t0 = performance.now();
    expect(countNodes(big)).toBe(11111);
    expect(branchKeys(big).length).toBe(1111);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
