import { Navigate, Outlet, useLocation } from "react-router";
import { Result, Spin } from "antd";
import { useSession } from "@/features/auth/session";

/** Guards the signed-in part of the app; waits for /auth/me before rendering. */
export default function RequireAuth() {
  const { signedIn, me, loading, endReason } = useSession();
  const location = useLocation();
  if (!signedIn) {
    const search = endReason === "expired" ? "?reason=expired" : "";
    // After an explicit sign-out the next person starts at their own home, not at our page.
    const state = endReason === "signed_out" ? undefined : { from: location.pathname + location.search };
    return <Navigate to={`/login${search}`} replace state={state} />;
  }
  if (loading || !me) {
    return (
      <div className="center-screen">
        <Spin size="large" />
      </div>
    );
  }
  return <Outlet />;
}

/** Shows a route only to callers holding one of the permissions (the API enforces it anyway). */
export function RequirePermission({ anyOf, children }: { anyOf: string[]; children: React.ReactNode }) {
  const { can } = useSession();
  if (!anyOf.some(can)) {
    return <Result status="403" title="无权访问" subTitle="您没有使用此功能的权限。" />;
  }
  return <>{children}</>;
}
