import { api } from "@/lib/http";
import { filenameFromDisposition, saveBlob } from "@/lib/download";
import { filtersToQuery, type TaskFilters } from "./filters";

export const LEDGER_FALLBACK_NAME = "督办事项台账.xlsx";

/**
 * Downloads the task ledger (台账, xlsx) with the list's filters, named as the API names it.
 * Throws the API's problem (e.g. too many tasks: narrow the filters) for the caller to show.
 */
export async function downloadLedger(filters: TaskFilters): Promise<string> {
  const { data, error, response } = await api.GET("/api/v1/tasks/ledger.xlsx", {
    params: { query: filtersToQuery(filters) },
    parseAs: "blob",
  });
  if (error || !data) throw error ?? new Error("导出失败，请稍后重试");
  const filename = filenameFromDisposition(response.headers.get("Content-Disposition"), LEDGER_FALLBACK_NAME);
  saveBlob(data, filename);
  return filename;
}
