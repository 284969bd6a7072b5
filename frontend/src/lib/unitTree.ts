/** Units arrive as a flat list with parent_id; the UI wants a tree. */
export interface FlatUnit {
  id: number;
  name: string;
  parent_id?: number | null;
  short_name?: string | null;
  code?: string | null;
  kind?: string | null;
}

export interface UnitNode<U extends FlatUnit = FlatUnit> {
  unit: U;
  children: UnitNode<U>[];
}

/** Builds the forest; units whose parent is missing (out of scope) become roots. */
export function buildUnitTree<U extends FlatUnit>(units: readonly U[]): UnitNode<U>[] {
  const nodes = new Map<number, UnitNode<U>>();
  for (const unit of units) nodes.set(unit.id, { unit, children: [] });
  const roots: UnitNode<U>[] = [];
  for (const node of nodes.values()) {
    const parentId = node.unit.parent_id;
    const parent = parentId != null ? nodes.get(parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: UnitNode<U>[]) => {
    list.sort((a, b) => (a.unit.code ?? "").localeCompare(b.unit.code ?? "") || a.unit.id - b.unit.id);
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** Ids of a unit and everything under it. */
export function subtreeIds(units: readonly FlatUnit[], rootId: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const u of units) {
    if (u.parent_id == null) continue;
    children.set(u.parent_id, [...(children.get(u.parent_id) ?? []), u.id]);
  }
  const out = new Set<number>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

export interface UnitTreeSelectNode {
  value: number;
  title: string;
  key: number;
  disabled?: boolean;
  children?: UnitTreeSelectNode[];
}

/** Data for antd TreeSelect; `allowed` (when given) disables every other unit. */
export function unitTreeSelectData(units: readonly FlatUnit[], allowed?: Set<number>): UnitTreeSelectNode[] {
  const convert = (node: UnitNode): UnitTreeSelectNode => ({
    value: node.unit.id,
    key: node.unit.id,
    title: node.unit.name,
    disabled: allowed ? !allowed.has(node.unit.id) : undefined,
    children: node.children.length ? node.children.map(convert) : undefined,
  });
  return buildUnitTree(units).map(convert);
}
