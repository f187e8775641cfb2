"""API of the organisation context, under /api/v1/ on county hosts.

Reads go through the organisation selectors and the actor's scope; writes go through the services,
which decide what each actor may change. A service's ValidationError becomes a 400 carrying its
Chinese messages, its PermissionDenied a 403; a row outside the actor's reach is a 404. Before
validating a write, the view refuses (403) people whose role can never make it, so that they learn
nothing from validation errors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from access.scope import Actor, actor_of, require
from api.permissions import CountyHostOnly
from api.serializers.organisation import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    BuildProgressSerializer,
    FundingSerializer,
    HandlingUnitSerializer,
    MergeSerializer,
    RedivisionSerializer,
    RenameSerializer,
    SplitSerializer,
    StandardTemplateSerializer,
    TownshipSerializer,
    TreeSerializer,
    VenueDetailSerializer,
    VenuePhotoSerializer,
    VenuePhotoUploadSerializer,
    VenueSerializer,
    VillageSerializer,
)
from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx
from organisation.models import (
    Assessment,
    AssessmentItem,
    ConstructionFunding,
    HandlingUnit,
    Redivision,
    StandardTemplate,
    Township,
    Venue,
    Village,
)
from organisation.selectors import ProgressRow, build_progress, county_tree, venues_managed_by, venues_visible_to
from organisation.services.places import (
    handling_unit_save,
    township_save,
    venue_photo_add,
    venue_save,
    village_save,
)
from organisation.services.redivision import township_merge, township_rename, township_split
from organisation.services.standards import assessment_record, funding_set
from people.models import GroupMember, Stationing


def service_call(service, **kwargs):
    """Run a service; its Chinese ValidationError becomes a 400 (PermissionDenied is a 403 anyway)."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(validation_detail(exc)) from None


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
                for name, messages in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


def parse_year(value: str | None) -> int:
    if value in (None, ""):
        return dt.date.today().year
    try:
        year = int(value)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("年度应为2000至2100之间的整数。")]})
    return year


class OrganisationAPI:
    """What every endpoint here shares: county hosts only, logged in, and the acting person's scope."""

    permission_classes = [IsAuthenticated, CountyHostOnly]

    @property
    def actor(self) -> Actor:
        return actor_of(self.request)

    def swagger(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


class TownshipViewSet(OrganisationAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Townships of the county: current ones by default, `?ended=1` for abolished ones too. Every member
    reads them; the county administrator creates them, a township's own staff may edit it."""

    serializer_class = TownshipSerializer
    queryset = Township.objects.none()
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_fields = ["kind"]
    search_fields = ["name", "division_code"]

    def get_queryset(self) -> QuerySet[Township]:
        if self.swagger() or not self.actor.is_member:
            return Township.objects.none()
        qs = Township.objects.order_by("division_code", "name")
        if self.action == "list" and self.request.query_params.get("ended") not in ("1", "true"):
            qs = qs.current()
        return qs

    def create(self, request):
        require(self.actor.is_admin)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        township = service_call(township_save, actor=self.actor, **serializer.validated_data)
        return Response(self.get_serializer(township).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        township = self.get_object()
        require(self.actor.can_manage_township(township.pk))
        if township.ended_on is not None:
            raise ValidationError({"non_field_errors": [_("该乡镇已撤销，历史记录不能修改。")]})
        serializer = self.get_serializer(township, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        township = service_call(township_save, actor=self.actor, township=township, **serializer.validated_data)
        return Response(self.get_serializer(township).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


class VillageViewSet(OrganisationAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Villages and communities; `?township=<id>` lists one township's. Staff of a township add and edit
    its villages; the county administrator any."""

    serializer_class = VillageSerializer
    queryset = Village.objects.none()
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_fields = ["township", "kind"]
    search_fields = ["name", "division_code"]

    def get_queryset(self) -> QuerySet[Village]:
        if self.swagger() or not self.actor.is_member:
            return Village.objects.none()
        qs = Village.objects.select_related("township").order_by("township__division_code", "division_code", "name")
        if self.action == "list" and self.request.query_params.get("ended") not in ("1", "true"):
            qs = qs.current()
        return qs

    def create(self, request):
        require(self.actor.is_staff)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        village = service_call(village_save, actor=self.actor, **serializer.validated_data)
        return Response(self.get_serializer(village).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        village = self.get_object()
        require(self.actor.can_manage_township(village.township_id))  # as village_save will, before validating
        serializer = self.get_serializer(village, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        village = service_call(village_save, actor=self.actor, village=village, **serializer.validated_data)
        return Response(self.get_serializer(village).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


def venue_detail_queryset(qs: QuerySet[Venue]) -> QuerySet[Venue]:
    """What a venue's page shows, in a fixed number of queries."""
    return qs.select_related("group").prefetch_related(
        "photos",
        Prefetch("stationings", queryset=Stationing.objects.filter(ended_on__isnull=True)
                 .select_related("deputy__account").order_by("deputy__account__name"), to_attr="current_stationings"),
        Prefetch("group__members", queryset=GroupMember.objects.select_related("deputy__account").order_by("role")),
        Prefetch("assessments", queryset=Assessment.objects.order_by("-assessed_on", "-id")),
    )


class VenueViewSet(OrganisationAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Homes and stations. Filters: township, kind, status; `?search=` on the name. Staff create venues in
    their township and edit the venues they manage; POST photos/ adds a photo (multipart, ≤ 5 MB)."""

    queryset = Venue.objects.none()
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_fields = ["township", "kind", "status", "village"]
    search_fields = ["name"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return VenueDetailSerializer
        if self.action == "photos":
            return VenuePhotoUploadSerializer
        return VenueSerializer

    def get_queryset(self) -> QuerySet[Venue]:
        if self.swagger():
            return Venue.objects.none()
        qs = venues_visible_to(self.actor)
        if self.action == "list":
            return qs.annotate(stationed_count=Count("stationings", filter=Q(stationings__ended_on__isnull=True)))
        if self.action == "retrieve":
            return venue_detail_queryset(qs)
        return qs

    def create(self, request):
        require(self.actor.is_staff)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        venue = service_call(venue_save, actor=self.actor, **serializer.validated_data)
        return Response(VenueSerializer(venue).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        venue = self.get_object()
        require(self.actor.can_manage_venue(venue.pk, venue.township_id))
        serializer = self.get_serializer(venue, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        venue = service_call(venue_save, actor=self.actor, venue=venue, **serializer.validated_data)
        return Response(VenueSerializer(venue).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=VenuePhotoUploadSerializer, responses={201: VenuePhotoSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        venue = self.get_object()
        require(self.actor.can_manage_venue(venue.pk, venue.township_id))
        serializer = VenuePhotoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        photo = service_call(venue_photo_add, actor=self.actor, venue=venue,
                             upload=serializer.validated_data["image"], caption=serializer.validated_data["caption"])
        return Response(VenuePhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class HandlingUnitViewSet(OrganisationAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """Handling units (government departments, court, procuratorate): every member reads the list, the
    county administrator keeps it."""

    serializer_class = HandlingUnitSerializer
    queryset = HandlingUnit.objects.none()
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_fields = ["kind", "is_active"]
    search_fields = ["name"]

    def get_queryset(self) -> QuerySet[HandlingUnit]:
        if self.swagger() or not self.actor.is_member:
            return HandlingUnit.objects.none()
        return HandlingUnit.objects.order_by("kind", "name")

    def create(self, request):
        require(self.actor.is_admin)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = service_call(handling_unit_save, actor=self.actor, **serializer.validated_data)
        return Response(self.get_serializer(unit).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        unit = self.get_object()
        require(self.actor.is_admin)
        serializer = self.get_serializer(unit, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        unit = service_call(handling_unit_save, actor=self.actor, unit=unit, **serializer.validated_data)
        return Response(self.get_serializer(unit).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


class StandardViewSet(OrganisationAPI, viewsets.ReadOnlyModelViewSet):
    """Station standards (六有, 九有, ...) with their items, as this county has set them."""

    serializer_class = StandardTemplateSerializer
    queryset = StandardTemplate.objects.none()

    def get_queryset(self) -> QuerySet[StandardTemplate]:
        if self.swagger() or not self.actor.is_member:
            return StandardTemplate.objects.none()
        return StandardTemplate.objects.prefetch_related("items").order_by("name")


def assessments_visible_to(actor: Actor) -> QuerySet[Assessment]:
    """Assessments (with their evidence) are read by those who manage the venue."""
    return (Assessment.objects.filter(venue__in=venues_managed_by(actor).values("pk"))
            .select_related("venue", "template").order_by("-assessed_on", "-id"))


class AssessmentViewSet(OrganisationAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """Assessments of venues against a standard. POST: venue, template, assessed_on, note and one result
    (item, met, evidence) for every item of the template; the score and stars are computed."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()
    filter_backends = [DjangoFilterBackend]
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
        assessment = service_call(
            assessment_record, actor=self.actor, venue=venue, template=data["template"],
            assessed_on=data["assessed_on"], note=data["note"],
            results={r["item"]: (r["met"], r["evidence"]) for r in data["results"]},
        )
        return Response(AssessmentSerializer(self.get_queryset().get(pk=assessment.pk)).data,
                        status=status.HTTP_201_CREATED)


def can_assess(actor: Actor, venue: Venue) -> bool:
    """The rule of organisation.services.standards.assessment_record, checked before validation."""
    return actor.can_manage_township(venue.township_id) if venue.township_id else actor.is_admin


def progress_township_ids(actor: Actor) -> frozenset[int] | None:
    """Townships whose funds and progress the actor reads: all (None) for the county administrator,
    their own for township staff, their station's township for station staff."""
    if actor.is_admin:
        return None
    return actor.township_ids | actor.venue_township_ids


def fundings_visible_to(actor: Actor) -> QuerySet[ConstructionFunding]:
    if not actor.is_staff:
        return ConstructionFunding.objects.none()
    qs = ConstructionFunding.objects.select_related("township").order_by("-year", "township__division_code")
    scope = progress_township_ids(actor)
    return qs if scope is None else qs.filter(township_id__in=scope)


class FundingUpdateSerializer(FundingSerializer):
    class Meta(FundingSerializer.Meta):
        read_only_fields = ["township", "year"]


class FundingViewSet(OrganisationAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Construction funds per township and year (万元). `?year=` filters. POST sets a township's year (made or
    replaced); PUT/PATCH on a row changes its amounts."""

    serializer_class = FundingSerializer
    queryset = ConstructionFunding.objects.none()
    filter_backends = [DjangoFilterBackend]
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
        funding = service_call(funding_set, actor=self.actor, township=data["township"], year=data["year"],
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
        funding = service_call(funding_set, actor=self.actor, township=funding.township, year=funding.year,
                               budget=data["budget"], disbursed=data["disbursed"], spent=data["spent"],
                               note=data["note"])
        return Response(FundingSerializer(funding).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


PROGRESS_HEADERS = ["乡镇（街道）", "代表之家（中心联络站）", "村级联络站（规划）", "村级联络站（已建成）",
                    "预算（万元）", "财政已拨付（万元）", "未拨付（万元）", "已使用（万元）", "使用率（%）"]


def progress_for(actor: Actor, year: int) -> tuple[list[ProgressRow], ProgressRow]:
    """The build-progress rows the actor may read, and their totals."""
    if not actor.is_staff:
        raise PermissionDenied(_("您没有权限进行此项操作。"))
    scope = progress_township_ids(actor)
    rows = [row for row in build_progress(year) if scope is None or row.township.pk in scope]
    totals = ProgressRow(
        township=None, central_status="", village_planned=sum(r.village_planned for r in rows),
        village_open=sum(r.village_open for r in rows), budget=sum((r.budget for r in rows), Decimal(0)),
        disbursed=sum((r.disbursed for r in rows), Decimal(0)), spent=sum((r.spent for r in rows), Decimal(0)),
    )
    return rows, totals


def _row_data(row: ProgressRow) -> dict:
    return {"township": row.township, "central_status": row.central_status, "village_planned": row.village_planned,
            "village_open": row.village_open, "budget": row.budget, "disbursed": row.disbursed,
            "undisbursed": row.undisbursed, "spent": row.spent, "spent_percent": row.spent_percent}


YEAR_PARAM = OpenApiParameter("year", int, description="年度（默认今年）")


class BuildProgressView(OrganisationAPI, APIView):
    """Source 004 篇一's build-progress report: per township, the home/central station's state, village
    stations planned and open, and the year's budget, disbursed, undisbursed, spent and share spent."""

    @extend_schema(parameters=[YEAR_PARAM], responses=BuildProgressSerializer)
    def get(self, request):
        year = parse_year(request.query_params.get("year"))
        rows, totals = progress_for(self.actor, year)
        data = {"year": year, "rows": [_row_data(r) for r in rows], "totals": _row_data(totals)}
        return Response(BuildProgressSerializer(data).data)


class BuildProgressExportView(OrganisationAPI, APIView):
    """The same report as an .xlsx workbook with Chinese headers and a totals row."""

    @extend_schema(parameters=[YEAR_PARAM], responses={(200, XLSX_CONTENT_TYPE): bytes})
    def get(self, request):
        year = parse_year(request.query_params.get("year"))
        rows, totals = progress_for(self.actor, year)
        body = [[r.township.name, r.central_status, r.village_planned, r.village_open, r.budget, r.disbursed,
                 r.undisbursed, r.spent, r.spent_percent] for r in rows]
        body.append([_("合计"), "", totals.village_planned, totals.village_open, totals.budget, totals.disbursed,
                     totals.undisbursed, totals.spent, totals.spent_percent])
        content = rows_to_xlsx(PROGRESS_HEADERS, body, title=f"{year}年建设进度")
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="build-progress-{year}.xlsx"'
        return response


class TreeView(OrganisationAPI, APIView):
    """The county's tree: county-level venues, then townships -> villages -> venues, each venue with its
    stationed deputies and its group's leader, vice leaders and liaison officers."""

    @extend_schema(responses=TreeSerializer)
    def get(self, request):
        if not self.actor.is_member:
            raise PermissionDenied(_("您没有权限进行此项操作。"))
        county_venues, townships = county_tree()
        nodes = []
        for township in townships:
            villages = list(township.villages.all())
            by_village: dict[int, list] = {village.pk: [] for village in villages}
            own: list = []  # township-level venues, and any whose village is no longer current
            for node in township.tree_venues:
                by_village.get(node.venue.village_id, own).append(node)
            nodes.append({"township": township, "venues": own,
                          "villages": [{"village": v, "venues": by_village[v.pk]} for v in villages]})
        data = {"county": request.tenant.name, "venues": county_venues, "townships": nodes}
        return Response(TreeSerializer(data).data)


class RedivisionViewSet(OrganisationAPI, viewsets.ReadOnlyModelViewSet):
    """Re-divisions with their old -> new links. The county administrator merges, splits and renames
    townships from an effective date (POST merge/, split/, rename/)."""

    serializer_class = RedivisionSerializer
    queryset = Redivision.objects.none()

    def get_queryset(self) -> QuerySet[Redivision]:
        if self.swagger() or not self.actor.is_member:
            return Redivision.objects.none()
        return Redivision.objects.prefetch_related("links__predecessor", "links__successor").order_by(
            "-effective_on", "-id")

    def _act(self, request, serializer_class, service, **mapping):
        require(self.actor.is_admin)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        redivision = service_call(service, actor=self.actor, **mapping, **serializer.validated_data)
        return Response(RedivisionSerializer(self.get_queryset().get(pk=redivision.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=MergeSerializer, responses={201: RedivisionSerializer})
    @action(detail=False, methods=["post"])
    def merge(self, request):
        return self._act(request, MergeSerializer, township_merge)

    @extend_schema(request=SplitSerializer, responses={201: RedivisionSerializer})
    @action(detail=False, methods=["post"])
    def split(self, request):
        return self._act(request, SplitSerializer, township_split)

    @extend_schema(request=RenameSerializer, responses={201: RedivisionSerializer})
    @action(detail=False, methods=["post"])
    def rename(self, request):
        return self._act(request, RenameSerializer, township_rename)


__all__ = [
    "AssessmentViewSet", "BuildProgressExportView", "BuildProgressView", "FundingViewSet",
    "HandlingUnitViewSet", "RedivisionViewSet", "StandardViewSet", "TownshipViewSet", "TreeView", "VenueViewSet",
    "VillageViewSet",
]
