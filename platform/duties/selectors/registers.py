"""Registers ("three books and a card", 三簿一卡, 002), one function per register, each returning a
`Register` that the pages print as HTML and as PDF (core.pdf) and export as Excel (core.xlsx). The activity
register and the deputy contact card are built here; the attendance register's rows come from
reception.selectors and the constituent-issue form's from casework, shaped into a `Register` by the register
pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from access.scope import Actor
from core.levels import Level, MandateStatus
from core.pdf import pdf_document
from core.xlsx import sheets_to_xlsx
from duties.models import DutyKind, DutyRecord
from duties.selectors.records import deputies_in_duty_scope, duty_records_visible_to
from organisation.models import Venue
from people.models import Pairing, Stationing
from people.selectors import serving_levels, with_region_levels


@dataclass
class Register:
    title: str
    subtitle: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)
    facts: list[tuple[str, object]] = field(default_factory=list)  # label, value (a card's lines)
    sections: list[tuple[str, list[str], list[list[object]]]] = field(default_factory=list)


def activity_register(*, actor: Actor, venue: Venue, start: dt.date, end: dt.date) -> Register:
    """活动登记簿: the duty records at the station in the period, as the actor may read them."""
    records = (duty_records_visible_to(actor).filter(venue=venue, occurred_on__gte=start, occurred_on__lte=end)
               .prefetch_related("participants__account").order_by("occurred_on", "pk"))
    rows: list[list[object]] = []
    for r in records:
        people = [r.deputy.account.name, *(p.account.name for p in r.participants.all())]
        if r.other_participants:
            people.append(r.other_participants)
        rows.append([r.occurred_on.isoformat(), r.get_kind_display(), r.title, "、".join(people),
                     r.constituents_count if r.constituents_count is not None else "", r.content,
                     r.get_status_display()])
    return Register(
        title=_("%(venue)s 活动登记簿") % {"venue": venue.name},
        subtitle=_("%(start)s 至 %(end)s") % {"start": start.isoformat(), "end": end.isoformat()},
        headers=[_("日期"), _("类别"), _("活动"), _("参加人员"), _("群众人次"), _("内容"), _("状态")], rows=rows)


def contact_card(*, actor: Actor, deputy_id: int, year: int) -> Register:
    """代表联系卡: levels, station, contact, pairings and this year's duty counts of one deputy."""
    deputy = (with_region_levels(deputies_in_duty_scope(actor)).prefetch_related(None)
              .prefetch_related("mandates").select_related("account").filter(pk=deputy_id).first())
    if deputy is None:
        raise Http404
    labels = dict(Level.choices)
    order: list[str] = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP]
    region_levels = getattr(deputy, "region_levels", None) or []  # annotated by with_region_levels
    levels = sorted(set(serving_levels(deputy)) | set(region_levels), key=order.index)
    stationed = list(Stationing.objects.filter(deputy=deputy, ended_on__isnull=True)
                     .values_list("venue__name", "venue__contact_phone"))
    stations = [name for name, _phone in stationed]
    pairings = Pairing.objects.filter(Q(county_deputy=deputy) | Q(township_deputy=deputy), ended_on__isnull=True
                                      ).select_related("county_deputy__account", "township_deputy__account")
    partners = [p.township_deputy.account.name if p.county_deputy_id == deputy.pk else p.county_deputy.account.name
                for p in pairings]
    counts = dict(DutyRecord.objects.filter(deputy=deputy, status=DutyRecord.Status.CONFIRMED,
                                            occurred_on__year=year)
                  .values_list("kind").annotate(n=Count("pk")).order_by())
    districts = [m.electoral_district for m in deputy.mandates.all()
                 if m.status == MandateStatus.SERVING and m.electoral_district]
    return Register(
        title=_("人大代表联系卡"),
        subtitle=deputy.account.name,
        facts=[
            (_("姓名"), deputy.account.name),
            (_("代表层级"), "、".join(str(labels[level]) for level in levels)),
            (_("选区"), "、".join(districts)),
            (_("工作单位及职务"), deputy.employer),
            (_("驻站"), "、".join(stations)),
            (_("联系电话"), _phone_on_card(deputy.public_phone, stationed)),
            (_("结对联系代表"), "、".join(partners)),
        ],
        sections=[(_("%(year)d年履职次数") % {"year": year}, [_("类别"), _("次数")],
                   [[str(label), counts.get(kind, 0)] for kind, label in DutyKind.choices])],
    )


def _phone_on_card(public_phone: str, stationed: list[tuple[str, str]]) -> str:
    """The card is handed to constituents: the number the deputy chose to publish, else their station's;
    never the mobile they sign in with, which the directory and the public pages keep private too."""
    if public_phone:
        return public_phone
    for name, phone in stationed:
        if phone:
            return _("%(phone)s（%(station)s）") % {"phone": phone, "station": name}
    return _("未公开")


def register_pdf(register: Register) -> bytes:
    blocks: list = [("p", register.subtitle)]
    if register.facts:
        blocks.append(("table", [[_("项目"), _("内容")], *[[label, value] for label, value in register.facts]]))
    if register.headers:
        blocks.append(("table", [register.headers, *register.rows]) if register.rows
                      else ("p", _("本期没有记录。")))
    for heading, headers, rows in register.sections:
        blocks += [("h", heading), ("table", [headers, *rows])]
    return pdf_document(title=register.title, blocks=blocks)


def register_xlsx(register: Register) -> bytes:
    """The register as a workbook: title, subtitle and facts on a first two-column sheet, the rows on the
    next, each section on a sheet of its own -- the values the page and the PDF print, masked alike."""
    sheets: list = [(_("概况"), [_("项目"), _("内容")],
                     [(_("名称"), register.title), (_("说明"), register.subtitle), *register.facts])]
    if register.headers:
        sheets.append((_("明细"), register.headers, register.rows))
    sheets += register.sections
    return sheets_to_xlsx(sheets)
