"""Pairing (结对联系): county deputies paired with township deputies, the automatic proposal, compliance.

The county administration and the townships' presidium staff run the pairing; a deputy reads their
own pairings. The rules (the limit per county deputy) are enforced by people.services.pairing.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import require
from api.serializers.filters import PairingQuery
from api.serializers.people import (
    ComplianceSerializer,
    EndSerializer,
    PairingCreateSerializer,
    PairingRuleSerializer,
    PairingSerializer,
    ProposalPairSerializer,
    StartedOnSerializer,
)
from api.views.base import CountyAPI, query
from duties.selectors.compliance import pairing_contacts, presidium_visits
from people.models import Pairing, PairingRule
from people.selectors import deputies_visible_to, pairings_visible_to
from people.services.pairing import (
    may_run_pairing,
    pairing_apply_proposal,
    pairing_compliance,
    pairing_create,
    pairing_end,
    pairing_proposal,
    pairing_rule_update,
)


def pair_contacts_of(pairings, rule: PairingRule) -> dict:
    """This year's pair contacts and presidium visits per current pairing (counted by duties: people does
    not import duties), each against its own yearly figure in the pairing rule."""
    year = timezone.localdate().year
    pairings = list(pairings)
    found = pairing_contacts(pairings, year=year)
    visits = presidium_visits(pairings, year=year)
    for pairing in pairings:
        pairing.contacts = found[pairing.pk]
        pairing.required = rule.pair_contacts_per_year
        pairing.met = pairing.contacts >= pairing.required
        pairing.presidium_visits = visits[pairing.pk]
        pairing.presidium_visits_required = rule.presidium_visits_per_year
        pairing.presidium_visits_met = pairing.presidium_visits >= pairing.presidium_visits_required
    return {"contacts": pairings, "contacts_year": year}


class PairingViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """结对联系。列表默认只含当前结对（?all=1 含已终止的）。"""

    serializer_class = PairingSerializer
    queryset = Pairing.objects.none()  # for the OpenAPI schema only

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        qs = pairings_visible_to(self.actor)
        if self.action == "list":
            f = query(PairingQuery, self.request)
            if not f.get("all"):
                qs = qs.filter(ended_on__isnull=True)
            if deputy := f.get("deputy"):
                qs = qs.filter(Q(county_deputy_id=deputy) | Q(township_deputy_id=deputy))
        return qs

    @extend_schema(parameters=[PairingQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PairingCreateSerializer, responses={201: PairingSerializer})
    def create(self, request):
        serializer = PairingCreateSerializer(data=request.data, deputies=deputies_visible_to(self.actor))
        serializer.is_valid(raise_exception=True)
        pairing = pairing_create(actor=self.actor, **serializer.validated_data)
        return Response(PairingSerializer(self.get_queryset().get(pk=pairing.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=PairingSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        pairing = self.get_object()
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pairing_end(actor=self.actor, pairing=pairing, **serializer.validated_data)
        return Response(PairingSerializer(self.get_queryset().get(pk=pairing.pk)).data)

    @extend_schema(responses=ProposalPairSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)  # the whole proposal, one page
    def proposal(self, request):
        """The automatic proposal for every unpaired township deputy, not saved."""
        require(may_run_pairing(self.actor))
        pairs = pairing_proposal()
        ids = {pk for pair in pairs for pk in pair}
        names = {d.pk: d for d in deputies_visible_to(self.actor).filter(pk__in=ids).select_related("account")}
        rows = [{"county_deputy": names[c], "township_deputy": names[t]} for c, t in pairs]
        return Response(ProposalPairSerializer(rows, many=True).data)

    @extend_schema(request=StartedOnSerializer,
                   responses=inline_serializer("PairingAutoResult", {"created": serializers.IntegerField()}))
    @action(detail=False, methods=["post"])
    def auto(self, request):
        """Save the automatic proposal: pairs every unpaired township deputy it can."""
        serializer = StartedOnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = pairing_apply_proposal(actor=self.actor, **serializer.validated_data)
        return Response({"created": created})

    @extend_schema(methods=["GET"], responses=PairingRuleSerializer)
    @extend_schema(methods=["PUT"], request=PairingRuleSerializer, responses=PairingRuleSerializer)
    @action(detail=False, methods=["get", "put"])
    def rule(self, request):
        """The county's pairing figures; the county administrator changes them."""
        require(may_run_pairing(self.actor) or request.method == "GET" and self.actor.is_member)
        if request.method == "PUT":
            serializer = PairingRuleSerializer(data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            return Response(PairingRuleSerializer(
                pairing_rule_update(actor=self.actor, **serializer.validated_data)).data)
        return Response(PairingRuleSerializer(PairingRule.current()).data)

    @extend_schema(responses=ComplianceSerializer)
    @action(detail=False, methods=["get"])
    def compliance(self, request):
        require(may_run_pairing(self.actor))
        report = pairing_compliance()
        rule = PairingRule.current()
        data = {
            "rule": rule,
            "limit": report.limit,
            "county_deputies": report.county_deputies,
            "township_deputies": report.township_deputies,
            "unpaired": report.unpaired,
            "over_limit": [{"deputy": d, "pairings": n} for d, n in report.over_limit],
            "load": [{"deputy": d, "pairings": n} for d, n in report.load],
            **pair_contacts_of(pairings_visible_to(self.actor).filter(ended_on__isnull=True), rule),
        }
        return Response(ComplianceSerializer(data).data)
