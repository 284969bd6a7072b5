/** Helpers over the nested tree that GET /tasks/{id}/tree returns (one request, any size). */
export interface TreeLike<T> {
  id: number;
  title: string;
  children?: T[] | null;
}

/** Walks the tree depth-first without recursion (trees can be deep). */
export function walk<T extends TreeLike<T>>(roots: readonly T[], visit: (node: T, parents: T[]) => void): void {
  const stack: { node: T; parents: T[] }[] = [...roots].reverse().map((node) => ({ node, parents: [] }));
  while (stack.length) {
    const { node, parents } = stack.pop()!;
    visit(node, parents);
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], parents: [...parents, node] });
  }
}

export function countNodes<T extends TreeLike<T>>(roots: readonly T[]): number {
  let n = 0;
  walk(roots, () => n++);
  return n;
}

/** Keys of every node with children (for "expand all"). */
export function branchKeys<T extends TreeLike<T>>(roots: readonly T[]): number[] {
  const keys: number[] = [];
  walk(roots, (node) => {
    if (node.children?.length) keys.push(node.id);
  });
  return keys;
}

/** Keys to expand so every node whose title matches (or that satisfies `match`) is visible. */
export function expandToMatches<T extends TreeLike<T>>(
  roots: readonly T[],
  match: (node: T) => boolean,
): { expanded: number[]; matches: number[] } {
  const expanded = new Set<number>();
  const matches: number[] = [];
  walk(roots, (node, parents) => {
    if (!match(node)) return;
    matches.push(node.id);
    parents.forEach((p) => expanded.add(p.id));
  });
  return { expanded: [...expanded], matches };
}

/** Keys down to a given depth (0 = roots only expanded), for the initial view. */
export function keysToDepth<T extends TreeLike<T>>(roots: readonly T[], depth: number): number[] {
  const keys: number[] = [];
  walk(roots, (node, parents) => {
    if (parents.length < depth && node.children?.length) keys.push(node.id);
  });
  return keys;
}
