"""Supervision actions (督办), coordination requests (协调申请) and leader instructions (批示)."""
