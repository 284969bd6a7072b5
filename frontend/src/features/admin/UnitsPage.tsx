import { useMemo, useState } from "react";
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Tag, Tree, Typography } from "antd";
import { ApartmentOutlined, PlusOutlined, EditOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import type { DataNode } from "antd/es/tree";
import { $api } from "@/lib/http";
import { buildUnitTree, type UnitNode } from "@/lib/unitTree";
import { compact, reportApiError } from "@/lib/forms";
import { UNIT_KINDS, UnitPicker, useUnits, type Unit } from "@/features/org/units";
import { useSession } from "@/features/auth/session";
import dayjs from "dayjs";

interface UnitForm {
  name: string;
  short_name: string;
  code: string;
  kind: string;
  parent_id?: number | null;
  sort_order?: number;
  is_active?: boolean;
}

function toTreeData(nodes: UnitNode<Unit>[], filter: string): DataNode[] {
  const out: DataNode[] = [];
  for (const n of nodes) {
    const children = toTreeData(n.children, filter);
    const hit = !filter || n.unit.name.includes(filter) || n.unit.short_name.includes(filter) || n.unit.code.includes(filter);
    if (!hit && !children.length) continue;
    out.push({
      key: n.unit.id,
      title: (
        <span style={{ opacity: n.unit.is_active ? 1 : 0.5 }}>
          {n.unit.name} <Typography.Text type="secondary">{UNIT_KINDS[n.unit.kind] ?? n.unit.kind}</Typography.Text>
        </span>
      ),
      children: children.length ? children : undefined,
    });
  }
  return out;
}

export default function UnitsPage() {
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: units = [], isLoading } = useUnits();
  const [selected, setSelected] = useState<number | null>(null);
  const [filter, setFilter] = useState("");
  const [editing, setEditing] = useState<{ mode: "create" | "edit"; unit?: Unit; parentId?: number } | null>(null);
  const [form] = Form.useForm<UnitForm>();

  const tree = useMemo(() => buildUnitTree(units), [units]);
  const treeData = useMemo(() => toTreeData(tree, filter.trim()), [tree, filter]);
  const current = units.find((u) => u.id === selected);
  const parent = current?.parent_id ? units.find((u) => u.id === current.parent_id) : undefined;
  const writable = can("units:write");

  const invalidate = () => queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/units"] });
  const create = $api.useMutation("post", "/api/v1/units", { onSuccess: invalidate });
  const update = $api.useMutation("patch", "/api/v1/units/{unit_id}", { onSuccess: invalidate });

  function open(mode: "create" | "edit", unit?: Unit, parentId?: number) {
    setEditing({ mode, unit, parentId });
    form.resetFields();
    form.setFieldsValue(
      unit
        ? { name: unit.name, short_name: unit.short_name, code: unit.code, kind: unit.kind, parent_id: unit.parent_id, sort_order: unit.sort_order, is_active: unit.is_active }
        : { parent_id: parentId ?? null, kind: "department", sort_order: 0 },
    );
  }

  async function save() {
    const values = await form.validateFields();
    try {
      if (editing?.mode === "edit" && editing.unit) {
        await update.mutateAsync({ params: { path: { unit_id: editing.unit.id } }, body: compact(values) as never });
        message.success("单位已更新");
      } else {
        const created = await create.mutateAsync({ body: compact(values) as never });
        setSelected(created.id);
        message.success("单位已创建");
      }
      setEditing(null);
    } catch (e) {
      reportApiError(e, form, message);
    }
  }

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>
          <ApartmentOutlined /> 单位管理
        </Typography.Title>
        {writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open("create", undefined, selected ?? undefined)}>
            新增单位
          </Button>
        )}
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={`组织机构（${units.length}）`} loading={isLoading} size="small">
            <Input.Search placeholder="按名称或代码筛选" allowClear onChange={(e) => setFilter(e.target.value)} style={{ marginBottom: 8 }} />
            <Tree
              data-testid="unit-tree"
              treeData={treeData}
              height={560}
              defaultExpandAll
              key={filter + units.length}
              selectedKeys={selected ? [selected] : []}
              onSelect={(keys) => setSelected(keys.length ? Number(keys[0]) : null)}
              blockNode
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={current ? current.name : "单位详情"}
            extra={
              current &&
              writable && (
                <Space>
                  <Button size="small" icon={<PlusOutlined />} onClick={() => open("create", undefined, current.id)}>
                    新增下级
                  </Button>
                  <Button size="small" icon={<EditOutlined />} onClick={() => open("edit", current)}>
                    编辑
                  </Button>
                </Space>
              )
            }
          >
            {current ? (
              <Descriptions column={1} bordered size="small">
                <Descriptions.Item label="全称">{current.name}</Descriptions.Item>
                <Descriptions.Item label="简称">{current.short_name}</Descriptions.Item>
                <Descriptions.Item label="代码">{current.code}</Descriptions.Item>
                <Descriptions.Item label="类型">{UNIT_KINDS[current.kind] ?? current.kind}</Descriptions.Item>
                <Descriptions.Item label="上级单位">{parent?.name ?? "—"}</Descriptions.Item>
                <Descriptions.Item label="层级">{current.depth}</Descriptions.Item>
                <Descriptions.Item label="状态">{current.is_active ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>}</Descriptions.Item>
                <Descriptions.Item label="更新时间">{dayjs(current.updated_at).format("YYYY-MM-DD HH:mm")}</Descriptions.Item>
              </Descriptions>
            ) : (
              <Empty description="在左侧选择一个单位" />
            )}
          </Card>
        </Col>
      </Row>
      <Modal
        open={editing !== null}
        title={editing?.mode === "edit" ? "编辑单位" : "新增单位"}
        onCancel={() => setEditing(null)}
        onOk={save}
        okText="保存"
        confirmLoading={create.isPending || update.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="name" label="全称" rules={[{ required: true, message: "请填写单位全称" }, { min: 2, max: 120, message: "2–120 个字" }]}>
            <Input placeholder="如：武汉市发展和改革委员会" />
          </Form.Item>
          <Form.Item name="short_name" label="简称" rules={[{ required: true, message: "请填写简称" }, { max: 40 }]}>
            <Input placeholder="如：市发改委" />
          </Form.Item>
          <Form.Item
            name="code"
            label="单位代码"
            rules={[
              { required: true, message: "请填写单位代码" },
              { pattern: /^[A-Za-z0-9_.-]+$/, message: "只能包含字母、数字、点、下划线和短横线" },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: "请选择类型" }]}>
            <Select options={Object.entries(UNIT_KINDS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="parent_id" label="上级单位">
            <UnitPicker placeholder="无（顶级单位）" />
          </Form.Item>
          <Form.Item name="sort_order" label="排序">
            <InputNumber min={0} style={{ width: 120 }} />
          </Form.Item>
          {editing?.mode === "edit" && (
            <Form.Item name="is_active" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
