import { Button, Checkbox, DatePicker, Form, Input, Select, Space } from "antd";
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { $api } from "@/lib/http";

export const PRIORITIES: Record<string, string> = { normal: "一般", high: "重要", urgent: "紧急" };

/** Leaders the caller may pick as 责任领导. */
export function LeaderSelect(props: { id?: string; value?: number | null; onChange?: (v: number | null) => void }) {
  const { data, isLoading } = $api.useQuery("get", "/api/v1/users", { params: { query: { role: "leader", limit: 200 } } });
  return (
    <Select
      id={props.id}
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

/**
 * Several dates. The form item's id goes on a wrapper: antd's multiple picker does not take one,
 * and the label and scrolling to an error look the field up by it.
 */
export function DatesPicker(props: { id?: string; value?: dayjs.Dayjs[]; onChange?: (v: dayjs.Dayjs[]) => void }) {
  return (
    <div id={props.id}>
      <DatePicker multiple style={{ width: "100%" }} value={props.value} onChange={(v) => props.onChange?.(v ?? [])} />
    </div>
  );
}

/**
 * Milestones (时间节点) as an editable list; each planned date must fall on or before the deadline:
 * the form's `deadlineField`, or `fixedDeadline` where the form does not change it.
 */
export function MilestonesField({
  deadlineField = "deadline",
  fixedDeadline,
  showDone = false,
}: {
  deadlineField?: string;
  fixedDeadline?: string | null;
  showDone?: boolean;
}) {
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
                      const deadline = (getFieldValue(deadlineField) as dayjs.Dayjs | undefined) ?? (fixedDeadline ? dayjs(fixedDeadline) : undefined);
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
              {/* Registered so the form hands it back: a milestone done earlier keeps its date. */}
              <Form.Item name={[field.name, "done_date"]} hidden noStyle>
                <Input />
              </Form.Item>
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
