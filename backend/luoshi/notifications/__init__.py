"""In-app notifications (消息): delivery and read receipts, urgent escalation, a live stream."""
