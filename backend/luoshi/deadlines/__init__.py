"""Deadlines: the working-day calendar, report obligations (回告节点), deadline states,
the scan that turns their changes into events and notifications, and the warning ladder."""
