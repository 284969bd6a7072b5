from tests.tasks.conftest import act_as, make_task, unit_ids, user_ids  # noqa: F401 - shared fixtures
