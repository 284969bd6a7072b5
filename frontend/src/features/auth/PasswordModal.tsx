import { App, Form, Input, Modal } from "antd";
import { useState } from "react";
import { api } from "@/lib/http";
import { reportApiError } from "@/lib/forms";

interface Values {
  current_password: string;
  new_password: string;
  confirm: string;
}

/** Password rules the API enforces (length 10, three character classes), checked early. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < 10) return "密码至少 10 位";
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) return "须包含大写字母、小写字母、数字、符号中的至少三类";
  if (username && password.toLowerCase().includes(username.toLowerCase())) return "密码不能包含用户名";
  return null;
}

export default function PasswordModal({ open, onClose, username }: { open: boolean; onClose: () => void; username?: string }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  async function save() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const { error } = await api.POST("/api/v1/auth/password", {
        body: { current_password: v.current_password, new_password: v.new_password },
      });
      if (error) throw error;
      message.success("密码已修改");
      onClose();
    } catch (e) {
      reportApiError(e, form, message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open={open} title="修改密码" onCancel={onClose} onOk={save} confirmLoading={busy} okText="保存" destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="current_password" label="当前密码" rules={[{ required: true, message: "请输入当前密码" }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="new_password"
          label="新密码"
          rules={[
            { required: true, message: "请输入新密码" },
            { validator: (_, v: string) => (v && passwordProblem(v, username) ? Promise.reject(new Error(passwordProblem(v, username)!)) : Promise.resolve()) },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={["new_password"]}
          rules={[
            { required: true, message: "请再次输入新密码" },
            ({ getFieldValue }) => ({
              validator: (_, v) => (v === getFieldValue("new_password") ? Promise.resolve() : Promise.reject(new Error("两次输入不一致"))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
