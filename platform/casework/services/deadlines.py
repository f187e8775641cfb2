"""The daily deadline scan: what is due soon or overdue, told to the unit, the supervising leader and the
deputy through the outbox (one message per item, kind, recipient and day: a re-run sends nothing twice)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import Membership, Role
from notifications.models import Channel as MessageChannel
from notifications.services import Outgoing, messages_enqueue
from workdays.selectors import add_working_days

from ..models import Case, CaseStatus, CaseworkRule, Suggestion
from ..models.suggestions import HANDLING_STATUSES


def deadline_scan(*, on: dt.date | None = None) -> int:
    """Four queries and one outbox write, whatever the county's size. Returns the messages offered."""
    on = on or timezone.localdate()
    rule = CaseworkRule.current()
    soon = add_working_days(on, rule.due_soon_working_days)
    outgoing: list[Outgoing] = []
    due = list(Suggestion.objects.filter(status__in=HANDLING_STATUSES, due_on__lte=soon)
               .select_related("lead_deputy", "supervision")
               .only("pk", "title", "due_on", "lead_unit_id", "lead_deputy__account_id",
                     "supervision__leader_account_id").order_by("due_on", "pk"))
    unit_people: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, account_id in Membership.objects.filter(
            role=Role.HANDLING_UNIT, is_active=True,
            handling_unit_id__in={s.lead_unit_id for s in due if s.lead_unit_id}).values_list(
            "handling_unit_id", "account_id"):
        unit_people[unit_id].append(account_id)
    for s in due:
        if s.due_on is None:  # the query asked for due_on <= soon
            continue
        kind = "overdue" if s.due_on < on else "due_soon"
        body = (_("代表建议“%(t)s”已超过答复期限（%(d)s），请尽快答复。") if kind == "overdue"
                else _("代表建议“%(t)s”将于%(d)s到期，请按期答复。")) % {"t": s.title[:40], "d": s.due_on}
        recipients = set(unit_people.get(s.lead_unit_id, []))
        recipients.add(s.lead_deputy.account_id)
        card = getattr(s, "supervision", None)
        if card is not None and card.leader_account_id:
            recipients.add(card.leader_account_id)
        outgoing += [Outgoing(dedupe_key=f"casework:deadline:sug:{s.pk}:{kind}:{account}:{on:%Y%m%d}",
                              kind=f"casework.{kind}", body=body, account_id=account, channel=MessageChannel.IN_APP)
                     for account in recipients]
    cases = list(Case.objects.filter(status=CaseStatus.TOWNSHIP_HANDLING, feedback_sent_on__isnull=True,
                                     feedback_due_on__lte=soon).only("pk", "summary", "township_id", "feedback_due_on"))
    staff: dict[int | None, list[int]] = defaultdict(list)
    for township_id, account_id in Membership.objects.filter(
            Q(role=Role.TOWNSHIP_STAFF), is_active=True, township_id__in={c.township_id for c in cases}
    ).values_list("township_id", "account_id"):
        staff[township_id].append(account_id)
    for c in cases:
        if c.feedback_due_on is None:  # the query asked for feedback_due_on <= soon
            continue
        kind = "overdue" if c.feedback_due_on < on else "due_soon"
        body = _("案件“%(t)s”反馈选民的期限为%(d)s，请及时答复。") % {"t": c.summary[:40], "d": c.feedback_due_on}
        outgoing += [Outgoing(dedupe_key=f"casework:deadline:case:{c.pk}:{kind}:{account}:{on:%Y%m%d}",
                              kind=f"casework.feedback_{kind}", body=body, account_id=account,
                              channel=MessageChannel.IN_APP)
                     for account in staff.get(c.township_id, [])]
    return messages_enqueue(outgoing)
