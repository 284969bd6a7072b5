/** Unread notification count for the header badge (wired once the notifications API exists). */
export function useUnreadCount(enabled: boolean): number {
  void enabled;
  return 0;
}
