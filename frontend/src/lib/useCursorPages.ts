import { useMemo } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import type { paths } from "@/api/schema";
import { api } from "./http";

type GetOk<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { "application/json": infer Body } } } };
}
  ? Body
  : never;

interface Paged {
  items: readonly unknown[];
  next_cursor: string | null;
}

/** GET paths that answer a cursor page: `{items, next_cursor}`. */
export type CursorPath = { [P in keyof paths]: GetOk<P> extends Paged ? P : never }[keyof paths];

/** A path's page, its rows and the filters it takes (all but the cursor, which the hook keeps). */
export type CursorPage<P extends CursorPath> = GetOk<P> & Paged;
export type CursorQuery<P extends CursorPath> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? Omit<NonNullable<Q>, "cursor">
  : never;
export type CursorItem<P extends CursorPath> = GetOk<P> extends { items: readonly (infer Item)[] } ? Item : never;

/**
 * A cursor-paginated list (`limit`, `cursor` → `next_cursor`), one page at a time on demand.
 * The key starts like `$api.useQuery`'s (`["get", path, {params}]`), so invalidating a path
 * reaches both.
 */
export function useCursorPages<P extends CursorPath>(path: P, query: CursorQuery<P>, options: { enabled?: boolean } = {}) {
  const pages = useInfiniteQuery({
    queryKey: ["get", path, { params: { query } }, "pages"] as const,
    initialPageParam: null as string | null,
    enabled: options.enabled,
    queryFn: async ({ pageParam, signal }): Promise<CursorPage<P>> => {
      // openapi-fetch cannot narrow its init over a union of paths; the signature above is the typed surface.
      const get = api.GET as (path: string, init: unknown) => Promise<{ data?: CursorPage<P>; error?: unknown }>;
      const { data, error } = await get(path, {
        params: { query: { ...query, ...(pageParam ? { cursor: pageParam } : {}) } },
        signal,
      });
      if (error) throw error;
      return data!;
    },
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const items = useMemo(
    () => (pages.data?.pages ?? []).flatMap((p) => p.items as CursorItem<P>[]),
    [pages.data],
  );
  return { ...pages, items };
}
