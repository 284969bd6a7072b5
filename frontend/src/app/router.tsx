import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter } from "react-router";
import { Spin } from "antd";
import AppLayout from "./AppLayout";
import RequireAuth, { RequirePermission } from "./RequireAuth";
import { ForbiddenPage, HomeRedirect, NotFoundPage } from "./pages";
import LoginPage from "@/features/auth/LoginPage";

const UnitsPage = lazy(() => import("@/features/admin/UnitsPage"));
const UsersPage = lazy(() => import("@/features/admin/UsersPage"));
const AuditPage = lazy(() => import("@/features/audit/AuditPage"));
const WorkbenchPage = lazy(() => import("@/features/todo/WorkbenchPage"));

function page(node: ReactNode) {
  return (
    <Suspense
      fallback={
        <div className="center-screen">
          <Spin />
        </div>
      }
    >
      {node}
    </Suspense>
  );
}

function guard(anyOf: string[], node: ReactNode) {
  return <RequirePermission anyOf={anyOf}>{page(node)}</RequirePermission>;
}

export const router = createBrowserRouter([
  { path: "/login", element: <LoginPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <HomeRedirect>{page(<WorkbenchPage />)}</HomeRedirect> },
          { path: "admin/units", element: guard(["units:write"], <UnitsPage />) },
          { path: "admin/users", element: guard(["users:write", "users:unlock"], <UsersPage />) },
          { path: "audit", element: guard(["audit:read"], <AuditPage />) },
          { path: "forbidden", element: <ForbiddenPage /> },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
