"""The test app checks every JSON answer against its route's model (tests/answers.py), since
the most requested reads encode theirs without FastAPI's check: an answer that strays from
the model fails the test that asked for it."""

import re
from typing import Any

import pytest

from luoshi.tasks import read
from tests.answers import AnswerDoesNotMatchModel
from tests.tasks.conftest import TASKS


def _list_that(change) -> Any:  # type: ignore[no-untyped-def]
    real = read.list_tasks

    def changed(*args, **kwargs):  # type: ignore[no-untyped-def]
        page = real(*args, **kwargs)
        change(page)
        return page

    return changed


@pytest.mark.parametrize(("change", "complaint"), [
    (lambda page: page.update(total=3), "$.total: sent but not in the model"),
    (lambda page: page.pop("next_cursor"), "next_cursor\n  Field required"),
    (lambda page: page.update(next_cursor=5), "is not a"),
    (lambda page: page.update(items={}), "is not a"),
])
def test_an_answer_that_strays_from_its_model_fails_the_test(client, as_user, monkeypatch, change, complaint):
    headers = as_user("supervisor")
    assert client.get(TASKS, headers=headers).status_code == 200
    monkeypatch.setattr(read, "list_tasks", _list_that(change))
    with pytest.raises(AnswerDoesNotMatchModel, match=re.escape(complaint)):
        client.get(TASKS, headers=headers)


def test_an_answer_as_its_model_sends_it_passes(client, as_user, monkeypatch):
    """Values the model would encode the same way (an int for a float, a date as its ISO text)
    are the same answer."""
    headers = as_user("supervisor")
    monkeypatch.setattr(read, "list_tasks", _list_that(lambda page: page.update(next_cursor="abc")))
    resp = client.get(TASKS, headers=headers)
    assert resp.status_code == 200
    assert resp.json() == {"items": [], "next_cursor": "abc"}
