/**
 * Files the API hands out (attachments, the task ledger): the name it gives and saving the
 * Blob fetched through the authenticated client (a plain link could not send the token).
 */

/**
 * The file name in a Content-Disposition header: the exact name (`filename*=UTF-8''…`,
 * RFC 5987) before the ASCII fallback (`filename="…"`), else `fallback`.
 */
export function filenameFromDisposition(header: string | null | undefined, fallback: string): string {
  if (!header) return fallback;
  const exact = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (exact) {
    try {
      return decodeURIComponent(exact[1].trim());
    } catch {
      // A malformed escape: fall through to the ASCII name.
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(header);
  const name = (plain?.[1] ?? plain?.[2] ?? "").trim();
  return name || fallback;
}

/** Hands a fetched file to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
