"""结对联系: the rule figures, compliance (unpaired township deputies, county deputies over the limit,
the load of each county deputy), the current pairs, adding and ending single pairs, and the automatic
proposal previewed before it is applied. The county administration and presidium staff use it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.scope import Actor
from duties.selectors.compliance import pairing_contacts, presidium_visits
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page, xlsx_download
from people.models import Deputy, Pairing, PairingRule
from people.selectors import deputies_managed_by, deputies_visible_to, pairings_visible_to
from people.services.pairing import (
    RULE_FIELDS,
    county_deputies,
    may_run_pairing,
    pairing_apply_proposal,
    pairing_compliance,
    pairing_create,
    pairing_end,
    pairing_proposal,
    pairing_rule_update,
    township_deputies,
)

from .common import DATE


def pairings_current(actor: Actor, q: str = "") -> QuerySet[Pairing]:
    qs = pairings_visible_to(actor).filter(ended_on__isnull=True)
    if q:
        qs = qs.filter(Q(county_deputy__account__name__icontains=q) | Q(township_deputy__account__name__icontains=q))
    return qs


class DeputyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, deputy: Deputy) -> str:
        return deputy.account.name


class PairingForm(forms.Form):
    county_deputy = DeputyChoiceField(label=gettext_lazy("县级代表"), queryset=Deputy.objects.none())
    township_deputy = DeputyChoiceField(label=gettext_lazy("乡镇代表（尚未结对）"), queryset=Deputy.objects.none())
    started_on = forms.DateField(label=gettext_lazy("起始日期"), widget=DATE)

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county_deputy"].queryset = county_deputies().select_related("account").order_by("account__name")
        paired = Pairing.objects.filter(ended_on__isnull=True).values("township_deputy_id")
        unpaired = township_deputies().exclude(pk__in=paired).select_related("account").order_by("account__name")
        if not actor.is_admin:  # a township's staff pair the deputies of their own township
            unpaired = unpaired.filter(pk__in=deputies_managed_by(actor).values("pk"))
        self.fields["township_deputy"].queryset = unpaired


class PairingRuleForm(forms.ModelForm):
    class Meta:
        model = PairingRule
        fields = list(RULE_FIELDS)


def _require_pairing_staff(actor: Actor) -> None:
    if not may_run_pairing(actor):
        raise PermissionDenied


@member_required
def pairing_page(request, actor: Actor):
    return _pairing_page(request, actor, None)


def _pairing_page(request, actor: Actor, form: PairingForm | None):
    _require_pairing_staff(actor)
    q = request.GET.get("q", "").strip()
    pairs = pairings_current(actor, q)
    if request.GET.get("export") == "xlsx":
        headers = [_("县级代表"), _("乡镇代表"), _("起始日期")]
        rows = ([p.county_deputy.account.name, p.township_deputy.account.name, p.started_on]
                for p in pairs.iterator(chunk_size=500))
        return xlsx_download(headers, rows, filename="pairings.xlsx", title=_("结对联系"))
    report = pairing_compliance()
    form = form or PairingForm(actor=actor, initial={"started_on": timezone.localdate()})
    page = paginate(pairs, request)
    reach = None if actor.is_admin else set(deputies_managed_by(actor).prefetch_related(None).filter(
        pk__in=[p.township_deputy_id for p in page.rows]).values_list("pk", flat=True))
    year = timezone.localdate().year  # from duties: pair-contact and presidium-visit records, counted apart
    contacts, visits = pairing_contacts(page.rows, year=year), presidium_visits(page.rows, year=year)
    for pairing in page.rows:
        pairing.can_end = reach is None or pairing.township_deputy_id in reach
        pairing.contacts = contacts[pairing.pk]
        pairing.presidium_visits = visits[pairing.pk]
    max_load = max([n for _d, n in report.load] + [report.limit, 1])
    return render(request, "frontend/people/pairing.html", {
        "rule": PairingRule.current(), "report": report, "page": page, "q": q,
        "query": query_without_page(request), "form": form, "can_apply": actor.is_admin, "max_load": max_load,
        "today": timezone.localdate(),
        "rule_form": PairingRuleForm(instance=PairingRule.current()) if actor.is_admin else None,
    }, status=400 if form.errors else 200)


@member_required
@require_POST
def pairing_rule_edit(request, actor: Actor):
    """The county administrator changes the county's pairing figures."""
    if not actor.is_admin:
        raise PermissionDenied
    form = PairingRuleForm(request.POST, instance=PairingRule.current())
    if not form.is_valid():
        messages.error(request, _("请填写1到200之间的整数。"))
        return redirect("frontend:pairing")
    try:
        pairing_rule_update(actor=actor, **{name: form.cleaned_data[name] for name in RULE_FIELDS})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("结对联系规则已保存。"))
    return redirect("frontend:pairing")


@member_required
@require_POST
def pairing_add(request, actor: Actor):
    _require_pairing_staff(actor)
    form = PairingForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            pairing = pairing_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已将%(t)s与%(c)s结对。") % {
                "t": pairing.township_deputy.account.name, "c": pairing.county_deputy.account.name})
            return redirect("frontend:pairing")
    return _pairing_page(request, actor, form)


@member_required
@require_POST
def pairing_end_page(request, actor: Actor, pk: int):
    _require_pairing_staff(actor)
    pairing = get_object_or_404(pairings_current(actor), pk=pk)
    try:
        ended_on = forms.DateField().clean(request.POST.get("ended_on") or str(timezone.localdate()))
        pairing_end(actor=actor, pairing=pairing, ended_on=ended_on)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已终止%(t)s与%(c)s的结对。") % {
            "t": pairing.township_deputy.account.name, "c": pairing.county_deputy.account.name})
    return redirect("frontend:pairing")


@member_required
def pairing_proposal_page(request, actor: Actor):
    """The automatic proposal, shown before anything is saved."""
    _require_pairing_staff(actor)
    pairs = pairing_proposal()
    ids = {pk for pair in pairs for pk in pair}
    names = dict(deputies_visible_to(actor).filter(pk__in=ids).values_list("pk", "account__name"))
    rows = [(names.get(c, ""), names.get(t, "")) for c, t in pairs]
    unpaired = (township_deputies().exclude(pk__in=Pairing.objects.filter(ended_on__isnull=True)
                                            .values("township_deputy_id")).count())
    return render(request, "frontend/people/pairing_proposal.html", {
        "rows": rows, "unpaired": unpaired, "left_over": unpaired - len(rows), "can_apply": actor.is_admin,
        "today": timezone.localdate(), "limit": PairingRule.current().township_deputies_per_county_deputy})


@member_required
@require_POST
def pairing_proposal_apply(request, actor: Actor):
    if not actor.is_admin:
        raise PermissionDenied
    try:
        started_on = forms.DateField().clean(request.POST.get("started_on") or str(timezone.localdate()))
    except ValidationError:
        started_on = timezone.localdate()
    created = pairing_apply_proposal(actor=actor, started_on=started_on)
    messages.success(request, _("已按自动建议新增%(n)d对结对。") % {"n": created})
    return redirect("frontend:pairing")
