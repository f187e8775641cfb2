"""Intake: an opinion received by any channel becomes a case; cases about the same matter are merged."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from notifications.services import Outgoing, messages_enqueue
from organisation.models import Venue, Village
from people.models import Deputy, Stationing

from ..actions import CaseAction, case_actions_by_role, case_actions_by_status
from ..models import Case, CaseStatus, Channel, Opinion, OpinionAttachment, OpinionCategory
from ..selectors import cases_handled_by
from .common import case_step, check_attachment

MOBILE_LENGTH = 11


def may_receive(actor: Actor) -> bool:
    """Who records what constituents said: staff, deputies, opinion observers (opinion boxes)."""
    return actor.is_staff or actor.deputy_id is not None or "opinion_observer" in actor.roles


def _clean_mobile(mobile: str) -> str:
    mobile = (mobile or "").strip()
    if mobile and (len(mobile) != MOBILE_LENGTH or not mobile.isdigit() or mobile[0] != "1"):
        raise ValidationError({"constituent_mobile": _("请输入11位手机号码。")})
    return mobile


def _venue_of(actor: Actor, deputy: Deputy | None) -> Venue | None:
    if len(actor.venue_ids) == 1:
        return Venue.objects.filter(pk=next(iter(actor.venue_ids))).first()
    if deputy is not None:
        stationing = (Stationing.objects.filter(deputy=deputy, ended_on__isnull=True).select_related("venue")
                      .order_by("pk").first())
        return stationing.venue if stationing else None
    return None


def _new_case(opinion_kwargs: dict, *, actor, actor_label: str = "") -> Opinion:
    village = opinion_kwargs.get("village")
    venue = opinion_kwargs.get("venue")
    township_id = village.township_id if village else (venue.township_id if venue else None)
    content = opinion_kwargs["content"]
    case = Case.objects.create(summary=content[:60], category=opinion_kwargs.get("category"),
                               township_id=township_id, venue=venue, deputy=opinion_kwargs.get("deputy"),
                               received_on=opinion_kwargs["received_on"])
    case.transitions.create(from_status="", to_status=CaseStatus.RECEIVED, actor_id=getattr(actor, "pk", None),
                            actor_label=actor_label)
    return Opinion.objects.create(case=case, **opinion_kwargs)


def _check(content: str, channel: str, category, received_on: dt.date) -> str:
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("请填写反映的内容。")})
    if len(content) > 5000:
        raise ValidationError({"content": _("内容不能超过5000字。")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择反映渠道。")})
    if category is not None and not category.is_active:
        raise ValidationError({"category": _("该类别已停用。")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("收到日期不能晚于今天。")})
    return content


@transaction.atomic
def opinion_receive(*, actor: Actor, content: str, channel: str, category: OpinionCategory | None = None,
                    village: Village | None = None, deputy: Deputy | None = None, constituent_name: str = "",
                    constituent_mobile: str = "", consent: bool = False, received_on: dt.date | None = None,
                    venue: Venue | None = None, duty_record=None, attachment=None) -> Opinion:
    """Record what a constituent raised (a reception record calls this for each issue); it opens a case.
    An `attachment` is added in the same transaction: a refused one records nothing."""
    require(may_receive(actor))
    if duty_record is not None:  # heard during a duty: the duty's deputy, day and station
        if deputy is not None and deputy.pk != duty_record.deputy_id:
            raise ValidationError({"deputy": _("接收代表与履职记录的代表不一致。")})
        deputy, received_on = duty_record.deputy, received_on or duty_record.occurred_on
        venue = venue or duty_record.venue
    received_on = received_on or timezone.localdate()
    content = _check(content, channel, category, received_on)
    if deputy is None and actor.deputy_id and not actor.is_staff:
        deputy = Deputy.objects.get(pk=actor.deputy_id)
    if not actor.is_staff and "opinion_observer" not in actor.roles:
        require(deputy is not None and deputy.pk == actor.deputy_id)  # a deputy records their own
    if village is not None and actor.is_township_staff and not actor.is_admin and not actor.venue_ids:
        require(village.township_id in actor.township_ids)
    if venue is None:
        venue = _venue_of(actor, deputy)
    if village is not None and village.ended_on is not None:
        raise ValidationError({"village": _("该村（社区）已撤销。")})
    opinion = _new_case(dict(
        content=content, channel=channel, category=category, village=village, deputy=deputy, venue=venue,
        constituent_name=(constituent_name or "").strip()[:50], constituent_mobile=_clean_mobile(constituent_mobile),
        consent=bool(consent), received_on=received_on, recorded_by_id=actor.pk, duty_record=duty_record),
        actor=actor)
    if opinion.consent and opinion.constituent_mobile:
        messages_enqueue([Outgoing(dedupe_key=f"casework:received:{opinion.pk}", kind="casework.received",
                                   mobile=opinion.constituent_mobile, body=_(
                                       "您反映的问题已登记，人大代表将跟进办理。查询码：%(code)s") % {
                                       "code": opinion.tracking_code})])
    audit_record(actor=actor, action="opinion.receive", target=opinion, data={"channel": channel})
    if attachment is not None:
        try:
            opinion_attach(actor=actor, opinion=opinion, upload=attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.message_dict["file"]}) from None
    return opinion


BATCH_LIMIT = 200


@transaction.atomic
def opinions_receive_batch(*, actor: Actor, contents: list[str], received_on: dt.date,
                           village: Village | None = None, category: OpinionCategory | None = None) -> list[Opinion]:
    """An opinion observer hands in what the opinion box held (004): one opinion per slip, all or none.
    Every slip is checked first, and the errors name their slip ("第3条：…"); nothing is saved unless all pass."""
    require(may_receive(actor))
    slips = [c.strip() for c in contents if c and c.strip()]
    if not slips:
        raise ValidationError({"contents": _("请至少填写一条意见。")})
    if len(slips) > BATCH_LIMIT:
        raise ValidationError({"contents": _("一次最多登记 %(n)d 条，本次 %(m)d 条。") % {
            "n": BATCH_LIMIT, "m": len(slips)}})
    errors = []
    for n, slip in enumerate(slips, start=1):
        try:
            _check(slip, Channel.OPINION_BOX, category, received_on)
        except ValidationError as exc:
            errors += [_("第%(n)d条：%(message)s") % {"n": n, "message": m} for m in exc.messages]
    if errors:
        raise ValidationError({"contents": errors})
    return [opinion_receive(actor=actor, content=slip, channel=Channel.OPINION_BOX, category=category,
                            village=village, received_on=received_on) for slip in slips]


@transaction.atomic
def opinion_attach(*, actor: Actor, opinion: Opinion, upload) -> OpinionAttachment:
    require(actor.pk is not None and (opinion.recorded_by_id == actor.pk
                                      or cases_handled_by(actor).filter(pk=opinion.case_id).exists()))
    kind = check_attachment(upload)
    if opinion.attachments.count() >= 9:
        raise ValidationError({"file": _("每条意见最多9个附件。")})
    attachment = OpinionAttachment.objects.create(opinion=opinion, file=upload, kind=kind, size=upload.size)
    audit_record(actor=actor, action="opinion.attach", target=attachment)
    return attachment


@transaction.atomic
def case_merge(*, actor: Actor, case: Case, others: list[Case], reason: str = "") -> Case:
    """Fold cases about the same matter into `case`: their opinions move over, they end as merged."""
    handled = cases_handled_by(actor)
    ids = [case.pk, *(o.pk for o in others)]
    locked = {c.pk: c for c in handled.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")}
    require(len(locked) == len(set(ids)))
    if not others or case.pk in {o.pk for o in others}:
        raise ValidationError({"others": _("请选择要并入的其他案件。")})
    target = locked[case.pk]
    require(CaseAction.MERGE in case_actions_by_role(actor, target))
    if CaseAction.MERGE not in case_actions_by_status(target):
        raise ValidationError({"case": _("已办结或已并案的案件不能再并入其他案件。")})
    for other in others:
        row = locked[other.pk]
        case_step(row, CaseStatus.MERGED, actor=actor, reason=reason or _("并入案件 %(pk)d") % {"pk": target.pk},
                  merged_into=target)
        Opinion.objects.filter(case=row).update(case=target)
    audit_record(actor=actor, action="case.merge", target=target, data={"merged": [o.pk for o in others]})
    return target


@transaction.atomic
def category_save(*, actor: Actor, category: OpinionCategory | None = None, **fields) -> OpinionCategory:
    require(actor.is_admin)
    unknown = set(fields) - {"name", "position", "is_active", "publish_answers"}
    if unknown:
        raise TypeError(f"cannot set {sorted(unknown)}")
    category = category or OpinionCategory()
    for name, value in fields.items():
        setattr(category, name, value)
    if not (category.name or "").strip():
        raise ValidationError({"name": _("请填写类别名称。")})
    if OpinionCategory.objects.filter(name=category.name).exclude(pk=category.pk).exists():
        raise ValidationError({"name": _("已有同名的类别。")})
    category.save()
    audit_record(actor=actor, action="category.save", target=category, data={k: str(v) for k, v in fields.items()})
    return category
