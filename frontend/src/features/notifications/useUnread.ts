import { useEffect } from "react";
import { App } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { $api, api, apiBaseUrl } from "@/lib/http";
import type { components } from "@/api/schema";

type Counts = components["schemas"]["UnreadCount"];
type Notification = components["schemas"]["NotificationRead"];

// The key openapi-react-query gives `useQuery("get", path, {})`.
const COUNT_KEY = ["get", "/api/v1/notifications/unread-count", {}] as const;

/**
 * Unread count for the header badge, kept live: a server-sent event stream pushes new
 * notifications and counts; polling every minute covers a stream that cannot connect.
 */
export function useUnreadCount(enabled: boolean): number {
  const { data } = $api.useQuery("get", "/api/v1/notifications/unread-count", {}, { enabled, refetchInterval: 60_000 });
  useNotificationStream(enabled);
  return data?.unread ?? 0;
}

function useNotificationStream(enabled: boolean) {
  const queryClient = useQueryClient();
  const { notification } = App.useApp();

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    async function connect() {
      // EventSource sends no Authorization header, so the API issues a short-lived stream token.
      const { data } = await api.POST("/api/v1/notifications/stream-token", {});
      if (stopped || !data) return schedule();
      source = new EventSource(`${apiBaseUrl}/api/v1/notifications/stream?token=${encodeURIComponent(data.token)}`);
      source.addEventListener("open", () => (failures = 0));
      source.addEventListener("unread", (e) => {
        queryClient.setQueryData(COUNT_KEY, JSON.parse((e as MessageEvent).data) as Counts);
      });
      source.addEventListener("notification", (e) => {
        const n = JSON.parse((e as MessageEvent).data) as Notification;
        notification.open({
          message: n.title,
          description: n.body,
          type: n.urgent ? "warning" : "info",
          placement: "bottomRight",
        });
        queryClient.invalidateQueries({ queryKey: ["notifications"] });
        queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/todo"] });
      });
      source.addEventListener("error", () => {
        // The token is single-use per connection window: reconnect with a fresh one.
        source?.close();
        source = null;
        schedule();
      });
    }

    function schedule() {
      if (stopped) return;
      failures++;
      retry = setTimeout(connect, Math.min(60_000, 2_000 * 2 ** Math.min(failures, 5)));
    }

    connect().catch(schedule);
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [enabled, queryClient, notification]);
}
