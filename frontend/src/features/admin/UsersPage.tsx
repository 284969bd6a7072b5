import { useState } from "react";
import { App, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { PlusOutlined, TeamOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { $api } from "@/lib/http";
import { useCursorPages } from "@/lib/useCursorPages";
import { LoadMore } from "@/lib/LoadMore";
import { compact, reportApiError } from "@/lib/forms";
import { ROLE_LABELS } from "@/app/menu";
import { UnitPicker } from "@/features/org/units";
import { useSession } from "@/features/auth/session";
import type { components } from "@/api/schema";

type User = components["schemas"]["UserRead"];
type Role = components["schemas"]["Role"];

interface UserForm {
  username: string;
  password?: string;
  display_name: string;
  unit_id: number;
  roles: Role[];
  title?: string;
  phone?: string;
  is_chief?: boolean;
  is_active?: boolean;
}

interface Filters {
  unit_id?: number;
  role?: Role;
  q?: string;
}

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value: value as Role, label }));
const SEPARATED: Role[] = ["admin", "security", "auditor"];

/** 三员分立: admin, security and audit duties never sit with one person. */
export function separationError(roles: readonly string[] | undefined): string | null {
  const held = (roles ?? []).filter((r) => SEPARATED.includes(r as Role));
  return held.length > 1 ? "系统管理员、安全管理员、安全审计员不能由同一人兼任" : null;
}

export default function UsersPage() {
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<Filters>({});
  const [editing, setEditing] = useState<{ user?: User } | null>(null);
  const [form] = Form.useForm<UserForm>();

  const list = useCursorPages("/api/v1/users", { ...filters, limit: 50 });
  const users = list.items;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/users"] });

  const create = $api.useMutation("post", "/api/v1/users", { onSuccess: refresh });
  const update = $api.useMutation("patch", "/api/v1/users/{user_id}", { onSuccess: refresh });
  const unlock = $api.useMutation("post", "/api/v1/users/{user_id}/unlock", { onSuccess: refresh });
  const revoke = $api.useMutation("post", "/api/v1/users/{user_id}/revoke-sessions");

  function open(user?: User) {
    setEditing({ user });
    form.resetFields();
    if (user) {
      form.setFieldsValue({
        username: user.username,
        display_name: user.display_name,
        unit_id: user.unit.id,
        roles: user.roles,
        title: user.title ?? undefined,
        phone: user.phone ?? undefined,
        is_chief: user.is_chief,
        is_active: user.is_active,
      });
    } else {
      form.setFieldsValue({ roles: ["unit_staff"], is_chief: false });
    }
  }

  async function save() {
    const values = await form.validateFields();
    try {
      if (editing?.user) {
        const { username: _ignored, ...rest } = values;
        void _ignored;
        await update.mutateAsync({ params: { path: { user_id: editing.user.id } }, body: compact(rest) });
        message.success("用户已更新");
      } else {
        await create.mutateAsync({ body: compact(values) as components["schemas"]["UserCreate"] });
        message.success("用户已创建");
      }
      setEditing(null);
    } catch (e) {
      reportApiError(e, form, message);
    }
  }

  async function act(kind: "unlock" | "revoke", user: User) {
    try {
      if (kind === "unlock") await unlock.mutateAsync({ params: { path: { user_id: user.id } } });
      else await revoke.mutateAsync({ params: { path: { user_id: user.id } } });
      message.success(kind === "unlock" ? "已解除锁定" : "已强制下线");
    } catch (e) {
      reportApiError(e, null, message);
    }
  }

  const locked = (u: User) => u.locked_until && dayjs(u.locked_until).isAfter(dayjs());

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>
          <TeamOutlined /> 用户与角色
        </Typography.Title>
        {can("users:write") && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open()}>
            新增用户
          </Button>
        )}
      </div>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            placeholder="用户名或姓名"
            allowClear
            style={{ width: 200 }}
            onSearch={(q) => setFilters((f) => ({ ...f, q: q.trim() || undefined }))}
          />
          <div style={{ width: 240 }}>
            <UnitPicker placeholder="所属单位" onChange={(v) => setFilters((f) => ({ ...f, unit_id: (v as number) ?? undefined }))} />
          </div>
          <Select
            placeholder="角色"
            allowClear
            style={{ width: 140 }}
            options={ROLE_OPTIONS}
            onChange={(role) => setFilters((f) => ({ ...f, role: role ?? undefined }))}
          />
        </Space>
        <Table<User>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={users}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            { title: "用户名", dataIndex: "username", width: 130 },
            { title: "姓名", dataIndex: "display_name", width: 110 },
            { title: "单位", render: (_, u) => u.unit.name, ellipsis: true },
            { title: "职务", dataIndex: "title", width: 110, render: (t) => t ?? "—" },
            {
              title: "角色",
              dataIndex: "roles",
              render: (roles: string[]) => roles.map((r) => <Tag key={r}>{ROLE_LABELS[r] ?? r}</Tag>),
            },
            {
              title: "状态",
              width: 120,
              render: (_, u) =>
                !u.is_active ? <Tag>停用</Tag> : locked(u) ? <Tag color="red">锁定至 {dayjs(u.locked_until).format("HH:mm")}</Tag> : <Tag color="green">正常</Tag>,
            },
            {
              title: "最近登录",
              dataIndex: "last_login_at",
              width: 140,
              render: (t) => (t ? dayjs(t).format("MM-DD HH:mm") : "—"),
            },
            {
              title: "操作",
              width: 200,
              fixed: "right",
              render: (_, u) => (
                <Space size={4} wrap>
                  {can("users:write") && (
                    <Button size="small" type="link" onClick={() => open(u)}>
                      编辑
                    </Button>
                  )}
                  {can("users:unlock") && locked(u) && (
                    <Button size="small" type="link" onClick={() => act("unlock", u)}>
                      解锁
                    </Button>
                  )}
                  {can("sessions:revoke") && (
                    <Popconfirm title="强制该用户在所有设备下线？" onConfirm={() => act("revoke", u)}>
                      <Button size="small" type="link" danger>
                        强制下线
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
        <LoadMore pages={list} />
      </Card>
      <Modal
        open={editing !== null}
        title={editing?.user ? `编辑用户：${editing.user.username}` : "新增用户"}
        onCancel={() => setEditing(null)}
        onOk={save}
        okText="保存"
        confirmLoading={create.isPending || update.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="username"
            label="用户名"
            rules={[
              { required: true, message: "请填写用户名" },
              { pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: "3–64 位字母、数字、点、下划线或短横线" },
            ]}
          >
            <Input disabled={!!editing?.user} autoComplete="off" />
          </Form.Item>
          <Form.Item name="display_name" label="姓名" rules={[{ required: true, message: "请填写姓名" }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="password"
            label={editing?.user ? "重置密码（留空不修改）" : "初始密码"}
            rules={editing?.user ? [] : [{ required: true, message: "请设置初始密码" }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="unit_id" label="所属单位" rules={[{ required: true, message: "请选择单位" }]}>
            <UnitPicker />
          </Form.Item>
          <Form.Item
            name="roles"
            label="角色"
            rules={[
              { required: true, type: "array", min: 1, message: "至少选择一个角色" },
              { validator: (_, v) => (separationError(v) ? Promise.reject(new Error(separationError(v)!)) : Promise.resolve()) },
            ]}
          >
            <Checkbox.Group options={ROLE_OPTIONS} />
          </Form.Item>
          <Form.Item name="title" label="职务">
            <Input placeholder="如：副市长、联络员" />
          </Form.Item>
          <Form.Item name="phone" label="电话">
            <Input />
          </Form.Item>
          <Space size="large">
            <Form.Item name="is_chief" label="主要领导（可见全辖区）" valuePropName="checked">
              <Switch />
            </Form.Item>
            {editing?.user && (
              <Form.Item name="is_active" label="启用" valuePropName="checked">
                <Switch />
              </Form.Item>
            )}
          </Space>
        </Form>
      </Modal>
    </div>
  );
}
