"""Station standards, venues' assessments against them, and construction funds per township and year."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from access.scope import require
from api.filters import StrictFilterBackend
from api.serializers.organisation import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    FundingSerializer,
    StandardTemplateSerializer,
)
from api.views.base import CountyAPI
from organisation.models import (
    Assessment,
    AssessmentItem,
    ConstructionFunding,
    StandardTemplate,
)
from organisation.selectors import assessments_visible_to, fundings_visible_to, venues_visible_to
from organisation.services.standards import assessment_record, can_assess, funding_set


class StandardViewSet(CountyAPI, viewsets.ReadOnlyModelViewSet):
    """Station standards (六有, 九有, ...) with their items, as this county has set them."""

    serializer_class = StandardTemplateSerializer
    queryset = StandardTemplate.objects.none()

    def get_queryset(self) -> QuerySet[StandardTemplate]:
        if self.swagger() or not self.actor.is_member:
            return StandardTemplate.objects.none()
        return StandardTemplate.objects.prefetch_related("items").order_by("name")


class AssessmentViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """Assessments of venues against a standard. POST: venue, template, assessed_on, note and one result
    (item, met, evidence) for every item of the template; the score and stars are computed."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()
    filter_backends = [StrictFilterBackend]
    filterset_fields = ["venue", "template", "stars"]

    def get_queryset(self) -> QuerySet[Assessment]:
        if self.swagger():
            return Assessment.objects.none()
        return assessments_visible_to(self.actor).prefetch_related(
            Prefetch("items", queryset=AssessmentItem.objects.select_related("item").order_by("item__order")))

    @extend_schema(request=AssessmentCreateSerializer, responses={201: AssessmentSerializer})
    def create(self, request):
        require(self.actor.is_staff)
        named = str(request.data.get("venue", ""))
        venue = venues_visible_to(self.actor).filter(pk=int(named)).first() if named.isdigit() else None
        if venue is not None:
            require(can_assess(self.actor, venue))  # refuse before validating what the actor may not do
        serializer = AssessmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        venue = venues_visible_to(self.actor).filter(pk=data["venue"].pk).first()
        if venue is None:
            raise ValidationError({"venue": [_("站点不存在。")]})
        assessment = assessment_record(
            actor=self.actor, venue=venue, template=data["template"],
            assessed_on=data["assessed_on"], note=data["note"],
            results={r["item"]: (r["met"], r["evidence"]) for r in data["results"]},
        )
        return Response(AssessmentSerializer(self.get_queryset().get(pk=assessment.pk)).data,
                        status=status.HTTP_201_CREATED)


class FundingUpdateSerializer(FundingSerializer):
    class Meta(FundingSerializer.Meta):
        read_only_fields = ["township", "year"]


class FundingViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Construction funds per township and year (万元). `?year=` filters. POST sets a township's year (made or
    replaced); PUT/PATCH on a row changes its amounts."""

    serializer_class = FundingSerializer
    queryset = ConstructionFunding.objects.none()
    filter_backends = [StrictFilterBackend]
    filterset_fields = ["year", "township"]

    def get_queryset(self) -> QuerySet[ConstructionFunding]:
        if self.swagger():
            return ConstructionFunding.objects.none()
        return fundings_visible_to(self.actor)

    def get_serializer_class(self):
        return FundingUpdateSerializer if self.action in ("update", "partial_update") else FundingSerializer

    def create(self, request):
        require(self.actor.is_staff)
        serializer = FundingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = ConstructionFunding.objects.filter(township=data["township"], year=data["year"]).exists()
        funding = funding_set(actor=self.actor, township=data["township"], year=data["year"],
                              budget=data.get("budget", Decimal(0)), disbursed=data.get("disbursed", Decimal(0)),
                              spent=data.get("spent", Decimal(0)), note=data.get("note", ""))
        return Response(FundingSerializer(funding).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        funding = self.get_object()
        require(self.actor.can_manage_township(funding.township_id))
        serializer = FundingUpdateSerializer(funding, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = {"budget": funding.budget, "disbursed": funding.disbursed, "spent": funding.spent,
                "note": funding.note, **serializer.validated_data}
        funding = funding_set(actor=self.actor, township=funding.township, year=funding.year,
                              budget=data["budget"], disbursed=data["disbursed"], spent=data["spent"],
                              note=data["note"])
        return Response(FundingSerializer(funding).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)
