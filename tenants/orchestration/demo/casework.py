"""Demo casework from the reports, made through the casework services (once per county).

Shuidong (000): 40+ opinions on the reception days, 32 resolved, 6 proposals. Enshi (003): 241 problems
collected, 171 of them made suggestions (118 in session, the rest in recess), assigned, answered and rated.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from access.models import Membership, Role
from access.scope import Actor
from access.services import membership_grant
from casework import services
from casework.models import Case, CaseworkRule, OpinionCategory
from organisation.models import HandlingUnit
from people.actors import actor_for
from people.models import Deputy, Stationing
from tenants.models import Account
from tenants.orchestration.demo.accounts import demo_account
from tenants.orchestration.demo.names import names as _names
from workdays.selectors import add_working_days

ISSUES = [
    ("城建交通", "村组公路路面破损，雨天积水，群众出行不便"), ("民生事业", "村卫生室缺少常用药品，老人看病要跑镇上"),
    ("农业农村", "灌溉水渠年久失修，春耕用水困难"), ("教科文卫", "村小学缺少体育器材和图书"),
    ("环境保护", "河道垃圾堆积，影响村容村貌"), ("社会保障", "高龄津贴发放不及时"),
    ("营商环境", "个体户办证跑多次，希望一次办好"), ("工业经济", "园区企业用工难，希望组织招聘"),
    ("扶贫脱贫", "脱贫户产业帮扶资金到位慢"), ("城建交通", "集镇路灯不亮，夜间出行不安全"),
    ("民生事业", "自来水水压低，高处农户用水难"), ("农业农村", "柑橘销路不畅，希望搭建销售渠道"),
]
MOBILE_PREFIXES = ["35", "36", "37", "38", "39", "50", "58", "59", "77", "86", "87", "88"]
ANSWERS = ["已安排专项资金维修，预计月底完工", "已协调相关部门解决", "已纳入明年民生实事项目"]


def seed_casework(slug: str, admin: Account) -> None:
    if Case.objects.exists():
        return
    actor = actor_for(admin)
    if slug == "dongkou":
        _shuidong(actor)
    elif slug == "enshi":
        _enshi(actor)
    elif slug == "haifeng":
        _opinions(actor, 12, resolved=8)


def _categories() -> dict[str, OpinionCategory]:
    return {c.name: c for c in OpinionCategory.objects.all()}


def _mobile(i: int, salt: int) -> str:
    return f"1{MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)]}{(i * 7_919_117 + salt) % 10**8:08d}"


def _received_on(i: int, count: int, resolved: int, today: dt.date) -> dt.date:
    """Dates that agree with what happens next: the cases resolved were received over the past year (oldest
    first), those still open in the last ten weeks (the newest last), so an open case's deadline, counted
    from when it was routed (today), is weeks after it came in, not years."""
    if i < resolved:
        return today - dt.timedelta(days=30 + (335 * (resolved - i)) // max(resolved, 1))
    return today - dt.timedelta(days=1 + (70 * (count - i)) // max(count - resolved, 1))


def _opinions(actor: Actor, count: int, *, resolved: int, township_name: str | None = None):
    """`count` opinions received at reception by the deputies stationed at the villages' stations; the first
    `resolved` routed to the township, answered and rated; returns the cases left open."""
    categories = _categories()
    stationings = Stationing.objects.filter(ended_on__isnull=True, venue__village__isnull=False).select_related(
        "deputy", "venue__village")
    if township_name:
        stationings = stationings.filter(venue__township__name=township_name)
    stationings = list(stationings.order_by("pk"))
    if not stationings:
        return []
    open_cases = []
    staff_actor = actor
    today = timezone.localdate()
    people = _names(seed=count)
    for i, ((category, text), stationing) in enumerate(zip(itertools.cycle(ISSUES), itertools.cycle(stationings))):
        if i >= count:
            break
        deputy_actor = actor_for(stationing.deputy.account)
        received = _received_on(i, count, resolved, today)
        opinion = services.opinion_receive(
            actor=deputy_actor if deputy_actor.deputy_id else staff_actor,
            content=f"{stationing.venue.village.name}{text}",
            channel=["reception", "visit", "opinion_box", "phone", "letter"][i % 5], category=categories[category],
            village=stationing.venue.village, deputy=stationing.deputy, constituent_name=next(people),
            constituent_mobile=_mobile(i, count), consent=i % 2 == 0, received_on=received)
        if i < resolved:
            case = services.case_route(actor=staff_actor, case=opinion.case, jurisdiction="village")
            case = services.case_answer(actor=staff_actor, case=case, answer=ANSWERS[i % len(ANSWERS)])
            services.case_rate_by_constituent(tracking_code=opinion.tracking_code,
                                              rating="satisfied" if i % 4 else "basically_satisfied")
        else:
            open_cases.append(opinion.case)
    _deadlines_from_receipt(today)
    return open_cases


def _deadlines_from_receipt(today: dt.date) -> None:
    """The services count a routed case's feedback deadline from the day it is routed, which for the demo is
    today: a case the demo dates months back gets its deadline counted from when it came in instead."""
    days = CaseworkRule.current().feedback_working_days
    cases = list(Case.objects.filter(feedback_due_on__isnull=False, received_on__lt=today - dt.timedelta(days=20)))
    for case in cases:
        case.feedback_due_on = add_working_days(case.received_on, days)
    Case.objects.bulk_update(cases, ["feedback_due_on"])


def _shuidong(actor: Actor) -> None:
    open_cases = _opinions(actor, 42, resolved=32, township_name="水东镇")
    units = list(HandlingUnit.objects.order_by("pk"))
    for n, case in enumerate(open_cases[:6]):  # 6 proposals went on to the county
        services.case_route(actor=actor, case=case, jurisdiction="county")
        suggestion = case.suggestion
        services.suggestion_register(actor=actor, suggestion=suggestion)
        if n < 4:
            services.suggestion_assign(actor=actor, suggestion=suggestion, lead_unit=units[n % len(units)])
    for case in open_cases[6:8]:
        services.case_route(actor=actor, case=case, jurisdiction="township")


def _enshi(actor: Actor) -> None:
    """241 problems, 171 suggestions: the demo makes every suggestion through the workflow."""
    open_cases = _opinions(actor, 241, resolved=60)
    units = list(HandlingUnit.objects.order_by("pk"))
    unit_people = {u: actor_for(a) for u, a in _unit_accounts(units)}
    for n, case in enumerate(open_cases[:171]):
        case = services.case_route(actor=actor, case=case, jurisdiction="county")
        suggestion = case.suggestion
        suggestion.period = "in_session" if n < 118 else "in_recess"
        suggestion.save(update_fields=["period"])
        services.suggestion_register(actor=actor, suggestion=suggestion)
        unit = units[n % len(units)]
        services.suggestion_assign(actor=actor, suggestion=suggestion, lead_unit=unit,
                                   assigned_on=min(case.received_on + dt.timedelta(days=3 + n % 5),
                                                   timezone.localdate()))
        handler = unit_people.get(unit.pk)
        if handler is None or n % 10 == 9:
            continue
        services.suggestion_answer(actor=handler, suggestion=suggestion, content=ANSWERS[n % len(ANSWERS)],
                                   outcome=["solved", "being_solved", "planned"][n % 3])
        lead = actor_for(Deputy.objects.select_related("account").get(pk=suggestion.lead_deputy_id).account)
        if lead.deputy_id:
            services.suggestion_rate(actor=lead, suggestion=suggestion, process="satisfied",
                                     result="unsatisfied" if n % 17 == 0 else "satisfied")
    for case in open_cases[171:]:
        services.case_route(actor=actor, case=case, jurisdiction="township")


def _unit_accounts(units):
    """A login per handling unit (the demo's unit people), so the answers come from the units themselves."""
    for i, unit in enumerate(units, 1):
        existing = Membership.objects.filter(role=Role.HANDLING_UNIT, handling_unit=unit, is_active=True).first()
        if existing:
            yield unit.pk, Account.objects.get(pk=existing.account_id)
            continue
        account = demo_account(f"138000002{i:02d}", f"{unit.name}承办人")
        membership_grant(account=account, role=Role.HANDLING_UNIT, actor=None, handling_unit=unit)
        yield unit.pk, account

