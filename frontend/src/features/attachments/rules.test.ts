import { describe, expect, it } from "vitest";
import { formatBytes, uploadProblem } from "./rules";

describe("attachment rules", () => {
  it("accepts the office formats within the size limit", () => {
    expect(uploadProblem("方案.PDF", 1000)).toBeNull();
    expect(uploadProblem("台账.xlsx", 1000)).toBeNull();
  });
  it("refuses other types, empty and oversized files", () => {
    expect(uploadProblem("run.exe", 1000)).toContain("仅支持");
    expect(uploadProblem("a.pdf", 0)).toBe("文件为空");
    expect(uploadProblem("a.pdf", 21 * 1024 * 1024)).toContain("20 MB");
  });
  it("formats sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2 KB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});
