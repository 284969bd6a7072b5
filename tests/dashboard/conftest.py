# The task fixtures (callers, units, users, a task factory) serve the dashboard tests too.
from tests.tasks.conftest import act_as, make_task, unit_ids, user_ids  # noqa: F401
