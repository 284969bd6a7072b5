"""Every domain's models, imported so Base.metadata is complete (Alembic, tests)."""

from luoshi.attachments.models import Attachment
from luoshi.audit.models import AuditChainHead, AuditEntry
from luoshi.auth.models import AuthSession, RefreshToken
from luoshi.db import Base
from luoshi.deadlines.models import DeadlineEvent, Obligation, ScanCursor
from luoshi.delegation.models import Delegation
from luoshi.disputes.models import Dispute
from luoshi.extensions.models import ExtensionRequest
from luoshi.notifications.models import Notification
from luoshi.org.models import Unit
from luoshi.reports.models import Report
from luoshi.stamps import ChangeStamp, LoopStamp
from luoshi.supervision.models import CoordinationRequest, Instruction, SupervisionAction
from luoshi.tasks.models import Assignment, Milestone, Task, TaskEvent
from luoshi.users.models import User, UserRole

__all__ = ["AuditChainHead", "AuditEntry", "AuthSession", "Base", "RefreshToken", "Unit", "User", "UserRole"]
__all__ += ["Assignment", "Milestone", "Task", "TaskEvent"]
__all__ += ["ChangeStamp", "LoopStamp"]
__all__ += ["Attachment", "Dispute", "ExtensionRequest", "Report"]
__all__ += ["CoordinationRequest", "DeadlineEvent", "Delegation", "Instruction", "Notification", "Obligation",
            "ScanCursor", "SupervisionAction"]
