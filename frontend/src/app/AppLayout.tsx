import { useEffect, useState, type ReactNode } from "react";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { Avatar, Badge, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Typography } from "antd";
import {
  AuditOutlined,
  BellOutlined,
  ApartmentOutlined,
  DashboardOutlined,
  HomeOutlined,
  LogoutOutlined,
  MenuOutlined,
  ProfileOutlined,
  TeamOutlined,
  UserOutlined,
  AlertOutlined,
  KeyOutlined,
  UserSwitchOutlined,
} from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert } from "antd";
import { getActingAs, setActingAs, subscribeActingAs } from "@/lib/actingAs";
import PasswordModal from "@/features/auth/PasswordModal";
import { useSession } from "@/features/auth/session";
import { useUnreadCount } from "@/features/notifications/useUnread";
import { menuFor, ROLE_LABELS, selectedMenuKey } from "./menu";

const ICONS: Record<string, ReactNode> = {
  home: <HomeOutlined />,
  tasks: <ProfileOutlined />,
  supervision: <AlertOutlined />,
  dashboard: <DashboardOutlined />,
  bell: <BellOutlined />,
  units: <ApartmentOutlined />,
  users: <TeamOutlined />,
  audit: <AuditOutlined />,
  swap: <UserSwitchOutlined />,
};

export default function AppLayout() {
  const { me, logout, can } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.lg;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const [acting, setActing] = useState(getActingAs);
  const queryClient = useQueryClient();
  useEffect(() => subscribeActingAs(setActing), []);
  const unread = useUnreadCount(can("tasks:read"));

  const items = menuFor(me?.permissions ?? []).map((m) => ({
    key: m.key,
    icon: ICONS[m.icon],
    label: m.key === "/notifications" && unread > 0 ? `${m.label}（${unread}）` : m.label,
  }));
  const menu = (
    <Menu
      mode="inline"
      theme="dark"
      selectedKeys={[selectedMenuKey(location.pathname)]}
      items={items}
      onClick={({ key }) => {
        navigate(key);
        setDrawerOpen(false);
      }}
    />
  );

  async function signOut() {
    await logout();
    navigate("/login", { replace: true });
  }

  const brand = (
    <Link to="/" className="app-brand">
      <span className="app-brand-mark">落实</span>
      {!mobile && <span className="app-brand-text">督查督办平台</span>}
    </Link>
  );

  return (
    <Layout className="app-shell">
      {!mobile && (
        <Layout.Sider width={208} theme="dark" className="app-sider">
          {brand}
          {menu}
        </Layout.Sider>
      )}
      <Drawer
        open={mobile && drawerOpen}
        onClose={() => setDrawerOpen(false)}
        placement="left"
        width={240}
        styles={{ body: { padding: 0, background: "#001529" } }}
        closable={false}
      >
        {brand}
        {menu}
      </Drawer>
      <Layout>
        <Layout.Header className="app-header">
          <Space>
            {mobile && <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label="菜单" />}
            {mobile && brand}
          </Space>
          <Space size={mobile ? 8 : 16}>
            {can("tasks:read") && (
              <Link to="/notifications" aria-label="消息通知" data-testid="notification-bell">
                <Badge count={unread} size="small">
                  <BellOutlined style={{ fontSize: 18 }} />
                </Badge>
              </Link>
            )}
            <Dropdown
              menu={{
                items: [
                  {
                    key: "who",
                    disabled: true,
                    label: (
                      <div>
                        <div>{me?.unit?.name}</div>
                        <Typography.Text type="secondary">
                          {(me?.roles ?? []).map((r) => ROLE_LABELS[r] ?? r).join("、")}
                        </Typography.Text>
                      </div>
                    ),
                  },
                  { type: "divider" },
                  { key: "password", icon: <KeyOutlined />, label: "修改密码", onClick: () => setPasswordOpen(true) },
                  { key: "logout", icon: <LogoutOutlined />, label: "退出登录", onClick: signOut },
                ],
              }}
              trigger={["click"]}
            >
              <Button type="text" data-testid="user-menu">
                <Space>
                  <Avatar size="small" icon={<UserOutlined />} />
                  {!mobile && <span>{me?.display_name}</span>}
                </Space>
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">
          {acting && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="acting-banner"
              message={`代管中：您正在代 ${acting.holderName} 办理，所有操作同时记录代管人与被代管人`}
              action={
                <Button
                  size="small"
                  onClick={() => {
                    setActingAs(null);
                    queryClient.resetQueries();
                  }}
                >
                  结束代管
                </Button>
              }
            />
          )}
          <Outlet />
        </Layout.Content>
        <PasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} username={me?.username} />
      </Layout>
    </Layout>
  );
}
