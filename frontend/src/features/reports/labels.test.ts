import { describe, expect, it } from "vitest";
import { reportBody, validateReport } from "./labels";

describe("report form", () => {
  it("requires the progress text", () => {
    expect(validateReport({ kind: "progress" }).progress_text).toBe("请填写进展情况");
    expect(validateReport({ kind: "progress", progress_text: "已完成方案" })).toEqual({});
  });

  it("expects 100% for a completion report", () => {
    expect(validateReport({ kind: "completion", progress_text: "x", percent_done: 80 }).percent_done).toBeDefined();
    expect(validateReport({ kind: "completion", progress_text: "x", percent_done: 100 })).toEqual({});
  });

  it("drops empty fields from the body", () => {
    expect(reportBody({ kind: "progress", progress_text: "进展", problems: "  ", percent_done: 40 })).toEqual({
      kind: "progress",
      progress_text: "进展",
      percent_done: 40,
    });
  });
});
