import { useMemo } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { paths } from "@/api/schema";
import { api } from "./http";

type GetOk<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { "application/json": infer Body } } } };
}
  ? Body
  : never;

interface Paged<T = unknown> {
  items: readonly T[];
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

/** One page of `path`: the first when `cursor` is null. */
async function fetchPage<P extends CursorPath>(path: P, query: CursorQuery<P>, cursor: string | null, signal: AbortSignal): Promise<CursorPage<P>> {
  // openapi-fetch cannot narrow its init over a union of paths; the signatures using this are the typed surface.
  const get = api.GET as (path: string, init: unknown) => Promise<{ data?: CursorPage<P>; error?: unknown }>;
  const { data, error } = await get(path, {
    params: { query: { ...query, ...(cursor ? { cursor } : {}) } },
    signal,
  });
  if (error) throw error;
  return data!;
}

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
    queryFn: ({ pageParam, signal }) => fetchPage(path, query, pageParam, signal),
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const items = useMemo(
    () => (pages.data?.pages ?? []).flatMap((p) => p.items as CursorItem<P>[]),
    [pages.data],
  );
  return { ...pages, items };
}

/** Every item of a cursor-paginated list: pages are asked for, `next_cursor` after `next_cursor`, until there is none. */
export async function allItems<T>(page: (cursor: string | null) => Promise<Paged<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const next: Paged<T> = await page(cursor);
    items.push(...next.items);
    cursor = next.next_cursor;
  } while (cursor);
  return items;
}

/**
 * The whole of a cursor-paginated list, for lists a page must show complete and that stay short
 * (a task's children): one request per `limit` items, nothing cut at the first page. Same key
 * scheme as `useCursorPages`, so invalidating the path reaches it too.
 */
export function useAllPages<P extends CursorPath>(path: P, query: CursorQuery<P>, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ["get", path, { params: { query } }, "all"] as const,
    enabled: options.enabled,
    queryFn: ({ signal }) => allItems((cursor) => fetchPage(path, query, cursor, signal) as Promise<Paged<CursorItem<P>>>),
  });
}
