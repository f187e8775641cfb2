"""Deputies, their mandates and stationing, and the venues' deputy groups.

Every member of the county reads the directory (a public card of each deputy); those who manage a
deputy (deputies_managed_by: staff in scope, and the deputy themself) read the full record. Writes go
through the people services, which decide who may do what: visible but not editable answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a non-number id is a 404, not a 500
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from access.scope import Actor
from api.serializers.filters import DeputyQuery, TownshipQuery
from api.serializers.people import (
    SELF_EDIT_REFUSED,
    DeputyCardDetailSerializer,
    DeputyCardSerializer,
    DeputyCreateSerializer,
    DeputyRecordDetailSerializer,
    DeputyRecordSerializer,
    DeputyWriteSerializer,
    EndSerializer,
    GroupMemberWriteSerializer,
    MandateSerializer,
    MandateWriteSerializer,
    StationingSerializer,
    StationingWriteSerializer,
    VenueGroupSerializer,
)
from api.views.base import CountyAPI, query
from organisation.models import Venue
from organisation.selectors import venues_visible_to
from people.models import Deputy, GroupMember
from people.selectors import (
    deputies_filtered,
    deputies_visible_to,
    deputy_records_disclosed,
    with_managed_flag,
    with_region_levels,
)
from people.services.deputies import (
    SELF_EDITABLE,
    deputy_create,
    deputy_update,
    group_member_set,
    mandate_add,
    stationing_add,
    stationing_end,
)


def filter_deputies(qs: QuerySet[Deputy], actor: Actor, request) -> QuerySet[Deputy]:
    """?q=, level, township, venue, status (see people.selectors.deputies_filtered)."""
    f = query(DeputyQuery, request)
    return deputies_filtered(qs, actor, q=f.get("q", ""), level=f.get("level", ""), township=f.get("township"),
                             venue=f.get("venue"), status=f.get("status", ""))




class DeputyViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """代表：名录（公开名片）与完整档案。"""

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Deputy.objects.none()  # for the OpenAPI schema only
    serializer_class = DeputyCardSerializer

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        qs = with_managed_flag(with_region_levels(deputies_visible_to(self.actor)), self.actor)
        if self.action == "list":
            qs = filter_deputies(qs, self.actor, self.request)
        return qs

    def _represent(self, deputy: Deputy, *, detail: bool = False) -> dict:
        if getattr(deputy, "is_managed", False):
            serializer = DeputyRecordDetailSerializer if detail else DeputyRecordSerializer
        else:
            serializer = DeputyCardDetailSerializer if detail else DeputyCardSerializer
        return serializer(deputy, context=self.get_serializer_context()).data

    @extend_schema(parameters=[DeputyQuery], responses=DeputyCardSerializer(many=True))
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        deputy_records_disclosed(self.actor, page)
        return self.get_paginated_response([self._represent(deputy) for deputy in page])

    @extend_schema(responses=DeputyRecordDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        deputy = self.get_object()
        deputy_records_disclosed(self.actor, [deputy])
        return Response(self._represent(deputy, detail=True))

    def _reload(self, pk: int) -> Deputy:
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=DeputyCreateSerializer, responses={201: DeputyRecordDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DeputyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if fields.get("photo") is None:
            fields.pop("photo", None)
        deputy = deputy_create(actor=self.actor, **fields)
        return Response(self._represent(self._reload(deputy.pk), detail=True), status=status.HTTP_201_CREATED)

    @extend_schema(request=DeputyWriteSerializer, responses=DeputyRecordDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        deputy = self.get_object()
        serializer = DeputyWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if "photo" in fields and fields["photo"] is None:
            fields["photo"] = ""
        try:
            deputy_update(actor=self.actor, deputy=deputy, **fields)
        except DjangoPermissionDenied:
            own = self.actor.deputy_id == deputy.pk
            if own and not (set(fields) <= SELF_EDITABLE):
                raise exceptions.PermissionDenied(SELF_EDIT_REFUSED) from None
            raise
        return Response(self._represent(self._reload(deputy.pk), detail=True))

    @extend_schema(request=MandateWriteSerializer, responses={201: MandateSerializer})
    @action(detail=True, methods=["post"])
    def mandates(self, request, pk=None):
        deputy = self.get_object()
        serializer = MandateWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mandate = mandate_add(actor=self.actor, deputy=deputy, **serializer.validated_data)
        return Response(MandateSerializer(mandate).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StationingWriteSerializer, responses={201: StationingSerializer})
    @action(detail=True, methods=["post"])
    def stationings(self, request, pk=None):
        deputy = self.get_object()
        serializer = StationingWriteSerializer(data=request.data, venues=venues_visible_to(self.actor))
        serializer.is_valid(raise_exception=True)
        stationing = stationing_add(actor=self.actor, deputy=deputy, **serializer.validated_data)
        return Response(StationingSerializer(stationing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=StationingSerializer)
    @action(detail=True, methods=["post"], url_path=r"stationings/(?P<stationing_id>\d+)/end",
            url_name="stationing-end")
    def end_stationing(self, request, pk=None, stationing_id=None):
        deputy = self.get_object()
        stationing = get_object_or_404(deputy.stationings.select_related("venue"), pk=stationing_id)
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stationing = stationing_end(actor=self.actor, stationing=stationing, **serializer.validated_data)
        return Response(StationingSerializer(stationing).data)


class DeputyGroupViewSet(CountyAPI, viewsets.ReadOnlyModelViewSet):
    """代表小组：每个站点一个小组，按站点编号查找；设置组长、副组长、联络员。"""

    serializer_class = VenueGroupSerializer
    queryset = Venue.objects.none()  # for the OpenAPI schema only

    @extend_schema(parameters=[TownshipQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        members = Prefetch("group__members", queryset=GroupMember.objects.select_related("deputy__account"))
        qs = venues_visible_to(self.actor).select_related("group").prefetch_related(members)
        if self.action == "list" and (township := query(TownshipQuery, self.request).get("township")):
            qs = qs.filter(township_id=township)
        return qs

    @extend_schema(request=GroupMemberWriteSerializer, responses=VenueGroupSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        venue = self.get_object()
        serializer = GroupMemberWriteSerializer(data=request.data, deputies=deputies_visible_to(self.actor))
        serializer.is_valid(raise_exception=True)
        group_member_set(actor=self.actor, venue=venue, **serializer.validated_data)
        return Response(VenueGroupSerializer(self.get_queryset().get(pk=venue.pk)).data)
