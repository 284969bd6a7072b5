"""Every domain's models, imported so Base.metadata is complete (Alembic, tests)."""

from luoshi.audit.models import AuditChainHead, AuditEntry
from luoshi.auth.models import AuthSession, RefreshToken
from luoshi.db import Base
from luoshi.org.models import Unit
from luoshi.tasks.models import Assignment, Milestone, Task, TaskEvent
from luoshi.users.models import User, UserRole

__all__ = ["AuditChainHead", "AuditEntry", "AuthSession", "Base", "RefreshToken", "Unit", "User", "UserRole"]
__all__ += ["Assignment", "Milestone", "Task", "TaskEvent"]
