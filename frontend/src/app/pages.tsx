import { Button, Result } from "antd";
import { Link, Navigate } from "react-router";
import { useSession } from "@/features/auth/session";
import { homeFor } from "./menu";

export function NotFoundPage() {
  return (
    <Result
      status="404"
      title="未找到"
      subTitle="您访问的内容不存在，或您无权查看。"
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}

export function ForbiddenPage() {
  return <Result status="403" title="无可用功能" subTitle="您的账户没有可用的功能，请联系系统管理员。" />;
}

/** Sends a role without the workbench (admin, auditor) to its own first screen. */
export function HomeRedirect({ children }: { children: React.ReactNode }) {
  const { me } = useSession();
  const home = homeFor(me?.permissions ?? []);
  if (home !== "/") return <Navigate to={home} replace />;
  return <>{children}</>;
}
