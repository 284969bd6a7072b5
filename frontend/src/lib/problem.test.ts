import { describe, expect, it } from "vitest";
import { problemFieldErrors, problemMessage } from "./problem";

describe("problem helpers", () => {
  it("shows the localised detail", () => {
    expect(problemMessage({ status: 409, code: "task.invalid_transition", detail: "当前状态不允许此操作" })).toBe(
      "当前状态不允许此操作",
    );
    expect(problemMessage(new TypeError("Failed to fetch"))).toBe("无法连接服务器，请检查网络");
    expect(problemMessage(undefined)).toBe("操作失败，请稍后重试");
  });

  it("maps field errors onto form paths", () => {
    const errors = problemFieldErrors({
      status: 422,
      detail: "输入有误",
      errors: [
        { field: "body.deadline", message: "不能晚于上级任务时限" },
        { field: "milestones.0.title", message: "必填" },
        { field: "deadline", message: "格式错误" },
      ],
    });
    expect(errors).toEqual([
      { name: ["deadline"], errors: ["不能晚于上级任务时限", "格式错误"] },
      { name: ["milestones", 0, "title"], errors: ["必填"] },
    ]);
  });
});
