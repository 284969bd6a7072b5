import { beforeEach, describe, expect, it, vi } from "vitest";

const GET = vi.fn();
const saveBlob = vi.fn();
vi.mock("@/lib/http", () => ({ api: { GET: (...args: unknown[]) => GET(...args) } }));
vi.mock("@/lib/download", async (original) => ({
  ...(await original<typeof import("@/lib/download")>()),
  saveBlob: (...args: unknown[]) => saveBlob(...args),
}));

const { downloadLedger, LEDGER_FALLBACK_NAME } = await import("./ledger");
const { filtersFromSearch } = await import("./filters");

describe("downloadLedger", () => {
  beforeEach(() => {
    GET.mockReset();
    saveBlob.mockReset();
  });

  it("asks for the ledger with the list's filters from the URL and saves it under the API's name", async () => {
    const blob = new Blob(["xlsx"]);
    const headers = new Headers({
      "Content-Disposition": "attachment; filename=\"task-ledger.xlsx\"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.xlsx",
    });
    GET.mockResolvedValue({ data: blob, response: new Response(null, { headers }) });
    const filters = filtersFromSearch("status=assigned,in_progress&lead_unit_id=7&q=%E8%90%A5%E5%95%86&due_after=bad");

    expect(await downloadLedger(filters)).toBe("台账.xlsx");
    expect(GET).toHaveBeenCalledWith("/api/v1/tasks/ledger.xlsx", {
      params: { query: { status: ["assigned", "in_progress"], lead_unit_id: 7, q: "营商" } },
      parseAs: "blob",
    });
    expect(saveBlob).toHaveBeenCalledWith(blob, "台账.xlsx");
  });

  it("names the file itself when the header cannot be read (cross-origin, not exposed)", async () => {
    GET.mockResolvedValue({ data: new Blob(["xlsx"]), response: new Response(null) });
    expect(await downloadLedger({})).toBe(LEDGER_FALLBACK_NAME);
  });

  it("throws the API's problem and saves nothing", async () => {
    const problem = { status: 422, code: "task.ledger_too_large", detail: "请缩小筛选范围" };
    GET.mockResolvedValue({ error: problem, response: new Response(null, { status: 422 }) });
    await expect(downloadLedger({})).rejects.toBe(problem);
    expect(saveBlob).not.toHaveBeenCalled();
  });
});
