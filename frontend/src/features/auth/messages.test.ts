import { describe, expect, it } from "vitest";
import dayjs from "dayjs";
import { loginFailureMessage } from "./messages";

describe("sign-in failure messages", () => {
  it("names the end of a lockout in local time", () => {
    const until = "2026-11-23T07:15:00+00:00";
    const text = loginFailureMessage({ status: 423, code: "auth.account_locked", detail: "x", locked_until: until });
    expect(text).toContain(dayjs(until).format("YYYY-MM-DD HH:mm"));
    expect(text).toContain("锁定");
  });

  it("shows the API's detail for bad credentials", () => {
    expect(loginFailureMessage({ status: 401, code: "auth.invalid_credentials", detail: "用户名或密码错误" })).toBe(
      "用户名或密码错误",
    );
  });
});

import { passwordProblem } from "./PasswordModal";

describe("password policy", () => {
  it("mirrors the API's policy", () => {
    expect(passwordProblem("Short1!")).toBe("密码至少 10 位");
    expect(passwordProblem("alllowercase")).toContain("三类");
    expect(passwordProblem("Luoshi@2026x")).toBeNull();
    expect(passwordProblem("Admin@2026xx", "admin")).toBe("密码不能包含用户名");
  });
});
