"""A committed upstairs item for the tests that need other connections to see it (the race test's threads,
the browser's web server): made and removed in a thread of its own (see tests/browser/test_casework_deputy)."""

from __future__ import annotations

import threading

SUMMARY = "州道S213段路面塌陷，过往车辆危险"


def in_thread(fn):
    result: dict = {}

    def run():
        from django.db import connection

        try:
            result["value"] = fn()
        except BaseException as error:  # noqa: BLE001 - handed back to the caller's thread
            result["error"] = error
        finally:
            connection.close()
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def make(world) -> dict:
    """A prefecture-level item of Alpha, open; two of the prefecture's staff, a unit of the prefecture and one
    of the province, each with one account. Returns their ids."""
    from django_tenants.utils import schema_context

    from casework.services import case_route, opinion_receive
    from organisation.models import Village
    from people.actors import actor_for
    from tenants.models import Account, RegionRole, RegionUnit
    from tests.conftest import PASSWORD

    ids = {}
    for key, mobile in (("staff_1", "13700000071"), ("staff_2", "13700000072")):
        account = Account.objects.create_user(mobile, f"州人大{key}", password=PASSWORD)
        RegionRole.objects.create(account=account, role=RegionRole.Role.PREFECTURE_STAFF, province=world.province,
                                  prefecture=world.prefecture)
        ids[key] = account.pk
    for key, mobile, name, prefecture in (("unit", "13700000073", "测试州交通运输局", world.prefecture),
                                          ("province_unit", "13700000074", "测试省交通运输厅", None)):
        unit = RegionUnit.objects.create(province=world.province, prefecture=prefecture, name=name)
        unit_account = Account.objects.create_user(mobile, f"{name}承办人", password=PASSWORD)
        unit.members.add(unit_account)
        ids.update({key: unit.pk, f"{key}_account": unit_account.pk})
    with schema_context(world.alpha.schema_name):
        opinion = opinion_receive(actor=actor_for(world.deputy_a), content=SUMMARY, channel="reception",
                                  village=Village.objects.get(pk=world.ids["village_east"]),
                                  constituent_name="李四", constituent_mobile="13912340000", consent=True)
        case = case_route(actor=actor_for(world.admin_a), case=opinion.case, jurisdiction="prefecture",
                          reason="州道养护属州交通运输局")
        ids.update(case=case.pk, escalation=case.escalation_id)
    return ids


def remove(world, ids: dict) -> None:
    """Everything make() and the steps on the item wrote, but the audit rows (both chains only grow)."""
    from django_tenants.utils import schema_context

    from casework.models import Case, Opinion
    from notifications.models import Message
    from tenants.models import Account, Escalation, RegionUnit

    Escalation.objects.filter(pk=ids["escalation"]).delete()
    RegionUnit.objects.filter(pk__in=[ids["unit"], ids["province_unit"]]).delete()
    with schema_context(world.alpha.schema_name):  # an account's per-object grants live in the counties' schemas
        Account.objects.filter(pk__in=[ids[k] for k in ("staff_1", "staff_2", "unit_account",
                                                         "province_unit_account")]).delete()
        Opinion.objects.filter(case_id=ids["case"]).delete()
        Case.objects.filter(pk=ids["case"]).delete()
        Message.objects.filter(kind__startswith="casework.").delete()
