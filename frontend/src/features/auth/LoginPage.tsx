import { useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { loginFailureMessage } from "./messages";
import { useSession } from "./session";

interface Credentials {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { signedIn, login, endReason } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? "/";
  const expired = endReason === "expired" || new URLSearchParams(location.search).get("reason") === "expired";

  if (signedIn) return <Navigate to={from} replace />;

  async function onFinish(values: Credentials) {
    setSubmitting(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(from, { replace: true });
    } catch (e) {
      setError(loginFailureMessage(e));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div className="login-page">
      <Card className="login-card" variant="borderless">
        <div className="login-brand">
          <div className="login-logo">落实</div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            重点工作督查督办平台
          </Typography.Title>
          <Typography.Text type="secondary">交办 · 签收 · 办理 · 回告 · 审核 · 办结</Typography.Text>
        </div>
        {expired && !error && (
          <Alert type="warning" showIcon message="登录已过期，请重新登录" style={{ marginBottom: 16 }} />
        )}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form<Credentials> layout="vertical" onFinish={onFinish} requiredMark={false} size="large">
          <Form.Item name="username" label="用户名" rules={[{ required: true, whitespace: true, message: "请输入用户名" }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus id="username" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
