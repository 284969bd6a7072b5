import dayjs from "dayjs";
import { isProblem, problemMessage } from "@/lib/problem";

/** The message for a failed sign-in; a lockout names the local time it ends. */
export function loginFailureMessage(error: unknown): string {
  if (isProblem(error) && (error.code === "auth.account_locked" || error.status === 423)) {
    const until = typeof error.locked_until === "string" ? dayjs(error.locked_until) : null;
    if (until?.isValid()) {
      return `登录失败次数过多，账户已被锁定，请于 ${until.format("YYYY-MM-DD HH:mm")} 后再试，或联系安全管理员解锁`;
    }
    return error.detail || "登录失败次数过多，账户已被锁定";
  }
  return problemMessage(error, "用户名或密码错误");
}
