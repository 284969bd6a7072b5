import { useEffect, useState } from "react";
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { SwapOutlined, UserSwitchOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { $api, api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { reportApiError } from "@/lib/forms";
import { getActingAs, setActingAs, subscribeActingAs } from "@/lib/actingAs";
import { useSession } from "@/features/auth/session";
import type { components } from "@/api/schema";

type Delegation = components["schemas"]["DelegationRead"];

interface Values {
  substitute_id: number;
  period: [dayjs.Dayjs, dayjs.Dayjs];
  reason: string;
}

/** 代管: name a substitute for a period, and act for someone who named you. */
export default function DelegationsPage() {
  const { me } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const [acting, setActing] = useState(getActingAs);
  useEffect(() => subscribeActingAs(setActing), []);
  const list = $api.useQuery("get", "/api/v1/delegations", {});
  const colleagues = $api.useQuery("get", "/api/v1/users", { params: { query: { unit_id: me?.unit.id, limit: 200 } } }, { enabled: open });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/delegations"] });

  async function create() {
    const v = await form.validateFields();
    try {
      const { error } = await api.POST("/api/v1/delegations", {
        body: { substitute_id: v.substitute_id, starts_at: v.period[0].format(), ends_at: v.period[1].format(), reason: v.reason },
      });
      if (error) throw error;
      message.success("已设置代管");
      setOpen(false);
      await refresh();
    } catch (e) {
      reportApiError(e, form, message);
    }
  }

  async function revoke(d: Delegation) {
    const { error } = await api.POST("/api/v1/delegations/{delegation_id}/revoke", { params: { path: { delegation_id: d.id } } });
    if (error) message.error(problemMessage(error));
    await refresh();
  }

  function actFor(d: Delegation) {
    setActingAs({ holderId: d.holder.id, holderName: d.holder.display_name });
    // Everything on screen was read as the caller: read it again as the holder.
    queryClient.resetQueries();
    message.success(`正在代 ${d.holder.display_name} 办理`);
  }

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>
          <UserSwitchOutlined /> 代管
        </Typography.Title>
        {!acting && (
          <Button type="primary" onClick={() => (form.resetFields(), setOpen(true))}>
            设置代管人
          </Button>
        )}
      </div>
      {list.error && <Alert type="error" showIcon message={problemMessage(list.error)} />}
      <Card size="small">
        <Table<Delegation>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data ?? []}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: "暂无代管安排" }}
          columns={[
            { title: "被代管人", render: (_, d) => d.holder.display_name },
            { title: "代管人", render: (_, d) => d.substitute.display_name },
            { title: "期间", render: (_, d) => `${dayjs(d.starts_at).format("MM-DD HH:mm")} 至 ${dayjs(d.ends_at).format("MM-DD HH:mm")}` },
            { title: "事由", dataIndex: "reason" },
            {
              title: "状态",
              width: 80,
              render: (_, d) => (d.revoked_at ? <Tag>已撤销</Tag> : d.active ? <Tag color="green">生效中</Tag> : <Tag color="default">未生效</Tag>),
            },
            {
              title: "",
              width: 160,
              render: (_, d) => (
                <Space>
                  {d.active && d.substitute.id === me?.id && !acting && (
                    <Button size="small" type="primary" icon={<SwapOutlined />} onClick={() => actFor(d)}>
                      代其办理
                    </Button>
                  )}
                  {!d.revoked_at && d.holder.id === me?.id && (
                    <Popconfirm title="撤销该代管？" onConfirm={() => revoke(d)}>
                      <Button size="small" danger>
                        撤销
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal open={open} title="设置代管人" onCancel={() => setOpen(false)} onOk={create} okText="保存" destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="substitute_id" label="代管人" rules={[{ required: true, message: "请选择代管人" }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={colleagues.isLoading}
              options={(colleagues.data?.items ?? []).filter((u) => u.id !== me?.id).map((u) => ({ value: u.id, label: `${u.display_name}（${u.username}）` }))}
            />
          </Form.Item>
          <Form.Item
            name="period"
            label="期间"
            rules={[
              { required: true, message: "请选择期间" },
              { validator: (_, v?: [dayjs.Dayjs, dayjs.Dayjs]) => (v && !v[1].isAfter(v[0]) ? Promise.reject(new Error("结束须晚于开始")) : Promise.resolve()) },
            ]}
          >
            <DatePicker.RangePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="reason" label="事由" rules={[{ required: true, whitespace: true, message: "请填写事由，如出差、休假" }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
