"""Concurrent steps on one upstairs item end with exactly one winner (tenants.orchestration.escalations locks
the row and re-reads who may act and where it stands): two staff answering at once; an answer racing a forward,
either way round. Real connections in threads, on committed rows (tests/casework/upstairs_data.py)."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError

from tests.casework.upstairs_data import in_thread, make, remove

HOLD_SECONDS = 0.5


@pytest.fixture
def item(world, django_db_blocker):
    with django_db_blocker.unblock():
        ids = in_thread(lambda: make(world))
    yield ids
    with django_db_blocker.unblock():
        in_thread(lambda: remove(world, ids))


def _step(name: str, account_id: int, escalation_id: int):
    def run():
        from tenants.models import Account, Escalation
        from tenants.orchestration import escalations as steps

        account = Account.objects.get(pk=account_id)
        escalation = Escalation.objects.select_related("county").get(pk=escalation_id)  # read before the race
        ready.wait()
        if name == "answer":
            steps.escalation_answer(account=account, escalation=escalation, answer=f"{account.name}的答复")
        else:
            steps.escalation_forward(account=account, escalation=escalation, reason="需省里协调")
    ready = threading.Event()
    return run, ready


def _race(first, second) -> dict:
    """Both read the item, then `first` takes its step and keeps its transaction open while `second` starts its
    own (and waits on the row lock); then `first` commits. Returns each side's outcome and `second`'s wait."""
    from django.db import connection, transaction

    outcome: dict = {}
    first_run, first_ready = first
    second_run, second_ready = second
    holding = threading.Event()

    def run_first():
        try:
            with transaction.atomic():
                first_ready.set()
                first_run()
                holding.set()
                time.sleep(HOLD_SECONDS)
            outcome["first"] = "won"
        except (ValidationError, Exception) as error:  # noqa: BLE001 - the outcome is the assertion
            outcome["first"] = error
            holding.set()
        finally:
            connection.close()

    def run_second():
        holding.wait()
        started = time.monotonic()
        try:
            second_ready.set()
            second_run()
            outcome["second"] = "won"
        except (ValidationError, Exception) as error:  # noqa: BLE001
            outcome["second"] = error
        finally:
            outcome["waited"] = time.monotonic() - started
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcome


def _answers(world, ids) -> tuple[list, int]:
    from django_tenants.utils import schema_context

    from casework.models import CaseTransition
    from tenants.models import EscalationTransition

    upstairs = list(EscalationTransition.objects.filter(escalation_id=ids["escalation"])
                    .values_list("action", flat=True))
    with schema_context(world.alpha.schema_name):
        county = CaseTransition.objects.filter(case_id=ids["case"], to_status="answered").count()
    return upstairs, county


def _refusal(error) -> str:
    assert isinstance(error, ValidationError), repr(error)
    return " ".join(error.messages)


def test_two_staff_answering_one_wins(world, item, django_db_blocker):
    with django_db_blocker.unblock():
        outcome = _race(_step("answer", item["staff_1"], item["escalation"]),
                        _step("answer", item["staff_2"], item["escalation"]))
        assert outcome["first"] == "won"
        assert "该事项已经答复" in _refusal(outcome["second"])
        assert outcome["waited"] >= HOLD_SECONDS * 0.8  # it waited on the lock, then read the answered row
        upstairs, county = in_thread(lambda: _answers(world, item))
    assert upstairs.count("escalation.answer") == 1 and county == 1


def test_a_forward_beats_an_answer(world, item, django_db_blocker):
    with django_db_blocker.unblock():
        outcome = _race(_step("forward", item["staff_1"], item["escalation"]),
                        _step("answer", item["staff_2"], item["escalation"]))
        assert outcome["first"] == "won"
        assert "已转送或退回" in _refusal(outcome["second"])
        upstairs, county = in_thread(lambda: _answers(world, item))
    assert "escalation.answer" not in upstairs and county == 0


def test_an_answer_beats_a_forward(world, item, django_db_blocker):
    with django_db_blocker.unblock():
        outcome = _race(_step("answer", item["staff_1"], item["escalation"]),
                        _step("forward", item["staff_2"], item["escalation"]))
        assert outcome["first"] == "won"
        assert "该事项已经答复" in _refusal(outcome["second"])
        upstairs, county = in_thread(lambda: _answers(world, item))
    assert "escalation.forward" not in upstairs and county == 1
