"""Townships, villages and venues (with their photos) of the county: read by members, kept by staff."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from access.scope import require
from api.filters import StrictFilterBackend
from api.serializers.organisation import (
    TownshipSerializer,
    VenueDetailSerializer,
    VenuePhotoSerializer,
    VenuePhotoUploadSerializer,
    VenueSerializer,
    VillageSerializer,
)
from api.views.base import CountyAPI
from organisation.models import (
    Assessment,
    Township,
    Venue,
    Village,
)
from organisation.selectors import venues_visible_to
from organisation.services.places import (
    township_save,
    venue_photo_add,
    venue_save,
    village_save,
)
from people.models import GroupMember, Stationing


class TownshipViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Townships of the county: current ones by default, `?ended=1` for abolished ones too. Every member
    reads them; the county administrator creates them, a township's own staff may edit it."""

    serializer_class = TownshipSerializer
    queryset = Township.objects.none()
    filter_backends = [StrictFilterBackend, SearchFilter]
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
        township = township_save(actor=self.actor, **serializer.validated_data)
        return Response(self.get_serializer(township).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        township = self.get_object()
        require(self.actor.can_manage_township(township.pk))
        if township.ended_on is not None:
            raise ValidationError({"non_field_errors": [_("该乡镇已撤销，历史记录不能修改。")]})
        serializer = self.get_serializer(township, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        township = township_save(actor=self.actor, township=township, **serializer.validated_data)
        return Response(self.get_serializer(township).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


class VillageViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Villages and communities: current ones by default, `?ended=1` for abolished ones too (撤并村);
    `?township=<id>` lists one township's. Staff of a township add and edit its villages; the county
    administrator any. An abolished village is history: it is not edited."""

    serializer_class = VillageSerializer
    queryset = Village.objects.none()
    filter_backends = [StrictFilterBackend, SearchFilter]
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
        village = village_save(actor=self.actor, **serializer.validated_data)
        return Response(self.get_serializer(village).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        village = self.get_object()
        require(self.actor.can_manage_township(village.township_id))  # as village_save will, before validating
        if village.ended_on is not None:
            raise ValidationError({"non_field_errors": [_("该村（社区）已撤销，历史记录不能修改。")]})
        serializer = self.get_serializer(village, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        village = village_save(actor=self.actor, village=village, **serializer.validated_data)
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


class VenueViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Homes and stations. Filters: township, kind, status; `?search=` on the name. Staff create venues in
    their township and edit the venues they manage; POST photos/ adds a photo (multipart, ≤ 5 MB)."""

    queryset = Venue.objects.none()
    filter_backends = [StrictFilterBackend, SearchFilter]
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
        venue = venue_save(actor=self.actor, **serializer.validated_data)
        return Response(VenueSerializer(venue).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        venue = self.get_object()
        require(self.actor.can_manage_venue(venue.pk, venue.township_id))
        serializer = self.get_serializer(venue, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        venue = venue_save(actor=self.actor, venue=venue, **serializer.validated_data)
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
        photo = venue_photo_add(actor=self.actor, venue=venue,
                                upload=serializer.validated_data["image"], caption=serializer.validated_data["caption"])
        return Response(VenuePhotoSerializer(photo).data, status=status.HTTP_201_CREATED)
