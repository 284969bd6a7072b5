import { Button, Checkbox, DatePicker, Form, Input, Select, Space } from "antd";
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { $api } from "@/lib/http";
import { FEEDBACK_CYCLES, SOURCE_TYPES } from "./status";

export const PRIORITIES: Record<string, string> = { normal: "一般", high: "重要", urgent: "紧急" };

/** Leaders the caller may pick as 责任领导. */
export function LeaderSelect(props: { value?: number | null; onChange?: (v: number | null) => void }) {
  const { data, isLoading } = $api.useQuery("get", "/api/v1/users", { params: { query: { role: "leader", limit: 200 } } });
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      loading={isLoading}
      placeholder="选择责任领导"
      style={{ width: "100%" }}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? null)}
      options={(data?.items ?? []).map((u) => ({ value: u.id, label: `${u.display_name}${u.title ? `（${u.title}）` : ""}` }))}
    />
  );
}

type SourceField = "source_type" | "source_ref" | "feedback_cycle" | "priority";

/** Where a task comes from and how it is run; `fields` limits them to those the caller may change. */
export function SourceFields({ fields }: { fields?: readonly SourceField[] }) {
  const show = (f: SourceField) => !fields || fields.includes(f);
  return (
    <>
      {show("source_type") && (
        <Form.Item name="source_type" label="任务来源">
          <Select options={Object.entries(SOURCE_TYPES).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
      )}
      {show("source_ref") && (
        <Form.Item
          name="source_ref"
          label="文号/出处"
          rules={[
            {
              validator: (_, v?: string) =>
                v && /〔|\[|【/.test(v) && !/^\S*[\u4e00-\u9fff]〔(19|20)\d{2}〕\d{1,5}[号號]$/.test(v.trim())
                  ? Promise.reject(new Error("文号格式应为“机关代字〔年份〕序号号”，如 武政办〔2018〕105号"))
                  : Promise.resolve(),
            },
          ]}
        >
          <Input placeholder="如：武政办〔2018〕105号，或会议名称" maxLength={200} />
        </Form.Item>
      )}
      {show("feedback_cycle") && (
        <Form.Item name="feedback_cycle" label="回告周期">
          <Select options={Object.entries(FEEDBACK_CYCLES).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
      )}
      {show("priority") && (
        <Form.Item name="priority" label="紧急程度">
          <Select options={Object.entries(PRIORITIES).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
      )}
    </>
  );
}

/** Milestones (时间节点) as an editable list; each planned date must fall on or before the deadline. */
export function MilestonesField({ deadlineField = "deadline", showDone = false }: { deadlineField?: string; showDone?: boolean }) {
  return (
    <Form.List name="milestones">
      {(fields, { add, remove }) => (
        <Form.Item label="时间节点">
          {fields.map((field) => (
            <Space key={field.key} align="baseline" wrap style={{ display: "flex", marginBottom: 4 }}>
              <Form.Item name={[field.name, "title"]} rules={[{ required: true, message: "节点名称" }]} noStyle>
                <Input placeholder="节点，如：完成方案编制" style={{ width: 220 }} />
              </Form.Item>
              <Form.Item
                name={[field.name, "planned_date"]}
                dependencies={[deadlineField]}
                rules={[
                  { required: true, message: "计划日期" },
                  ({ getFieldValue }) => ({
                    validator: (_, v?: dayjs.Dayjs) => {
                      const deadline = getFieldValue(deadlineField) as dayjs.Dayjs | undefined;
                      return v && deadline && v.isAfter(deadline, "day")
                        ? Promise.reject(new Error("不能晚于办结时限"))
                        : Promise.resolve();
                    },
                  }),
                ]}
              >
                <DatePicker placeholder="计划日期" />
              </Form.Item>
              {showDone && (
                <Form.Item name={[field.name, "done"]} valuePropName="checked" noStyle>
                  <Checkbox>已完成</Checkbox>
                </Form.Item>
              )}
              <MinusCircleOutlined onClick={() => remove(field.name)} />
            </Space>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
            添加时间节点
          </Button>
        </Form.Item>
      )}
    </Form.List>
  );
}

export const toDate = (d?: dayjs.Dayjs | null) => (d ? d.format("YYYY-MM-DD") : null);
