import { Alert, App, Button, Card, List, Popconfirm, Space, Tag, Typography, Upload } from "antd";
import { DeleteOutlined, DownloadOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import { $api, api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { saveBlob } from "@/lib/download";
import { useSession } from "@/features/auth/session";
import { useUnitNames } from "@/features/org/units";
import { formatBytes, uploadProblem } from "./rules";

/** Downloads through the authenticated client and hands the file to the browser. */
export async function downloadAttachment(id: number, filename: string): Promise<void> {
  const { data, error } = await api.GET("/api/v1/attachments/{attachment_id}/download", {
    params: { path: { attachment_id: id } },
    parseAs: "blob",
  });
  if (error || !data) throw error ?? new Error("下载失败");
  saveBlob(data as Blob, filename);
}

/** The task's files: anyone who can see the task can download; units upload their own. */
export default function AttachmentsCard({ taskId, canUpload }: { taskId: number; canUpload: boolean }) {
  const { me } = useSession();
  const { message } = App.useApp();
  const names = useUnitNames();
  const queryClient = useQueryClient();
  const [uploading, setUploading] = useState(false);
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}/attachments", { params: { path: { task_id: taskId } } });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/tasks/{task_id}/attachments"] });

  async function upload(file: File) {
    const problem = uploadProblem(file.name, file.size);
    if (problem) {
      message.error(problem);
      return;
    }
    setUploading(true);
    try {
      const { error } = await api.POST("/api/v1/tasks/{task_id}/attachments", {
        params: { path: { task_id: taskId } },
        body: { file: file as unknown as string },
        bodySerializer: (body) => {
          const form = new FormData();
          form.append("file", body.file as unknown as File, file.name);
          return form;
        },
      });
      if (error) throw error;
      message.success(`已上传：${file.name}`);
      await refresh();
    } catch (e) {
      message.error(problemMessage(e));
    } finally {
      setUploading(false);
    }
  }

  async function remove(id: number) {
    const { error } = await api.DELETE("/api/v1/attachments/{attachment_id}", { params: { path: { attachment_id: id } } });
    if (error) message.error(problemMessage(error));
    await refresh();
  }

  return (
    <Card
      size="small"
      title={
        <>
          <PaperClipOutlined /> 附件（{query.data?.length ?? 0}）
        </>
      }
      data-testid="attachments"
      extra={
        canUpload && (
          <Upload
            showUploadList={false}
            accept=".pdf,.ofd,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"
            beforeUpload={(file) => {
              upload(file);
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={uploading}>
              上传
            </Button>
          </Upload>
        )
      }
    >
      {query.error && <Alert type="error" showIcon message={problemMessage(query.error)} />}
      <List
        size="small"
        dataSource={query.data ?? []}
        locale={{ emptyText: "暂无附件" }}
        renderItem={(a) => (
          <List.Item
            actions={[
              <Button
                key="d"
                size="small"
                type="link"
                icon={<DownloadOutlined />}
                onClick={() => downloadAttachment(a.id, a.filename).catch((e) => message.error(problemMessage(e)))}
              />,
              a.uploaded_by_id === me?.id ? (
                <Popconfirm key="x" title="删除该附件？" onConfirm={() => remove(a.id)}>
                  <Button size="small" type="link" danger icon={<DeleteOutlined />} />
                </Popconfirm>
              ) : null,
            ].filter(Boolean)}
          >
            <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
              <Typography.Text ellipsis style={{ maxWidth: 260 }}>
                {a.filename}
              </Typography.Text>
              <Space size={4} wrap>
                <Tag>{a.kind.toUpperCase()}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatBytes(a.size_bytes)} · {names.get(a.unit_id)?.short_name ?? ""} · {dayjs(a.created_at).format("MM-DD HH:mm")}
                </Typography.Text>
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 11 }} copyable={{ text: a.sha256 }}>
                SHA-256 {a.sha256.slice(0, 12)}…
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
