import { describe, expect, it, vi } from "vitest";
import { allItems } from "./useCursorPages";

describe("every item of a cursor-paginated list", () => {
  it("follows next_cursor to the last page, in order", async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      first: { items: [60, 59], next_cursor: "a" },
      a: { items: [58, 57], next_cursor: "b" },
      b: { items: [56], next_cursor: null },
    };
    const page = vi.fn(async (cursor: string | null) => pages[cursor ?? "first"]);
    expect(await allItems(page)).toEqual([60, 59, 58, 57, 56]);
    expect(page.mock.calls.map(([cursor]) => cursor)).toEqual([null, "a", "b"]);
  });

  it("asks once when the first page is the last, empty or not", async () => {
    const page = vi.fn(async () => ({ items: [] as number[], next_cursor: null }));
    expect(await allItems(page)).toEqual([]);
    expect(page).toHaveBeenCalledTimes(1);
  });

  it("fails as its page fails, returning nothing partial", async () => {
    const page = vi.fn(async (cursor: string | null) => {
      if (cursor) throw new Error("503");
      return { items: [1], next_cursor: "x" };
    });
    await expect(allItems(page)).rejects.toThrow("503");
  });
});
