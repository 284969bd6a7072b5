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
const TaskListPage = lazy(() => import("@/features/tasks/TaskListPage"));
const TaskDetailPage = lazy(() => import("@/features/tasks/TaskDetailPage"));
const TaskTreePage = lazy(() => import("@/features/tasks/TaskTreePage"));
const TaskCreatePage = lazy(() => import("@/features/tasks/TaskCreatePage"));
const DecomposePage = lazy(() => import("@/features/tasks/DecomposePage"));
const NotificationsPage = lazy(() => import("@/features/notifications/NotificationsPage"));
const LeaderDashboard = lazy(() => import("@/features/dashboard/LeaderDashboard"));
const SupervisorConsole = lazy(() => import("@/features/supervision/SupervisorConsole"));
const DelegationsPage = lazy(() => import("@/features/delegation/DelegationsPage"));
const ReportPage = lazy(() => import("@/features/reports/ReportPage"));

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
          { path: "tasks", element: guard(["tasks:read"], <TaskListPage />) },
          { path: "tasks/new", element: guard(["tasks:manage"], <TaskCreatePage />) },
          { path: "tasks/:taskId", element: guard(["tasks:read"], <TaskDetailPage />) },
          { path: "tasks/:taskId/edit", element: guard(["tasks:read"], <TaskCreatePage />) },
          { path: "tasks/:taskId/tree", element: guard(["tasks:read"], <TaskTreePage />) },
          { path: "tasks/:taskId/decompose", element: guard(["tasks:read"], <DecomposePage />) },
          { path: "tasks/:taskId/report", element: guard(["tasks:read"], <ReportPage />) },
          { path: "dashboard", element: guard(["dashboards:read"], <LeaderDashboard />) },
          { path: "supervision", element: guard(["supervision:act", "reports:review"], <SupervisorConsole />) },
          { path: "delegations", element: guard(["tasks:read"], <DelegationsPage />) },
          { path: "notifications", element: guard(["tasks:read"], <NotificationsPage />) },
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
