/** What the API accepts (spec §8); the API also checks the content, this only saves a round trip. */
export const ALLOWED_EXTENSIONS = ["pdf", "ofd", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"];
export const MAX_BYTES = 20 * 1024 * 1024;

export function uploadProblem(name: string, size: number): string | null {
  const ext = name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
  if (!ALLOWED_EXTENSIONS.includes(ext)) return "仅支持 pdf、ofd、doc、docx、xls、xlsx、jpg、png 文件";
  if (size <= 0) return "文件为空";
  if (size > MAX_BYTES) return `文件不能超过 ${MAX_BYTES / 1024 / 1024} MB`;
  return null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
