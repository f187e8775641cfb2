"""Re-divisions of townships and villages: the list, and the county administrator's merges, splits and renames
of townships and of the villages of one township (撤并村); those dated after today are registered to take effect
on their day (202), listed and withdrawn under scheduled/."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import require
from api.serializers.organisation import (
    MergeSerializer,
    RedivisionSerializer,
    RenameSerializer,
    ScheduledRedivisionSerializer,
    SplitSerializer,
    VillageMergeSerializer,
    VillageRenameSerializer,
    VillageSplitSerializer,
)
from api.views.base import CountyAPI
from organisation.models import Redivision, ScheduledRedivision
from organisation.selectors import REDIVISION_LINKS, scheduled_redivision_for, scheduled_redivisions
from organisation.services.redivision import township_merge, township_rename, township_split
from organisation.services.scheduled_redivision import redivide, scheduled_cancel
from organisation.services.village_redivision import village_merge, village_rename, village_split

# A POST dated after today is not applied but registered: 202 with the scheduled item.
ANSWERS = {201: RedivisionSerializer, 202: ScheduledRedivisionSerializer}


class RedivisionViewSet(CountyAPI, viewsets.ReadOnlyModelViewSet):
    """Re-divisions with their old -> new links. The county administrator merges, splits and renames
    townships from an effective date (POST merge/, split/, rename/), and the villages of one township
    (POST villages/merge/, villages/split/, villages/rename/): today or earlier takes effect now (201), a later
    date is registered to take effect on that day (202, see ScheduledRedivisionViewSet)."""

    serializer_class = RedivisionSerializer
    queryset = Redivision.objects.none()

    def get_queryset(self) -> QuerySet[Redivision]:
        if self.swagger() or not self.actor.is_member:
            return Redivision.objects.none()
        return Redivision.objects.prefetch_related(*REDIVISION_LINKS).order_by("-effective_on", "-id")

    def _act(self, request, serializer_class, service, **mapping):
        require(self.actor.is_admin)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        redivision = redivide(service, actor=self.actor, **mapping, **serializer.validated_data)
        if isinstance(redivision, ScheduledRedivision):
            return Response(ScheduledRedivisionSerializer(redivision).data, status=status.HTTP_202_ACCEPTED)
        return Response(RedivisionSerializer(self.get_queryset().get(pk=redivision.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=MergeSerializer, responses=ANSWERS)
    @action(detail=False, methods=["post"])
    def merge(self, request):
        return self._act(request, MergeSerializer, township_merge)

    @extend_schema(request=SplitSerializer, responses=ANSWERS)
    @action(detail=False, methods=["post"])
    def split(self, request):
        return self._act(request, SplitSerializer, township_split)

    @extend_schema(request=RenameSerializer, responses=ANSWERS)
    @action(detail=False, methods=["post"])
    def rename(self, request):
        return self._act(request, RenameSerializer, township_rename)

    @extend_schema(request=VillageMergeSerializer, responses=ANSWERS)
    @action(detail=False, methods=["post"], url_path="villages/merge", url_name="village-merge")
    def village_merge(self, request):
        return self._act(request, VillageMergeSerializer, village_merge)

    @extend_schema(request=VillageSplitSerializer, responses=ANSWERS)
    @action(detail=False, methods=["post"], url_path="villages/split", url_name="village-split")
    def village_split(self, request):
        return self._act(request, VillageSplitSerializer, village_split)

    @extend_schema(request=VillageRenameSerializer, responses=ANSWERS)
    @action(detail=False, methods=["post"], url_path="villages/rename", url_name="village-rename")
    def village_rename(self, request):
        return self._act(request, VillageRenameSerializer, village_rename)


class ScheduledRedivisionViewSet(CountyAPI, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Re-divisions registered to take effect on a later date, the next first (the county administrator's):
    the daily task applies them on their day, or marks them 未能生效 with the reason. POST {id}/cancel/
    withdraws one while it is 待生效."""

    serializer_class = ScheduledRedivisionSerializer
    queryset = ScheduledRedivision.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[ScheduledRedivision]:
        if self.swagger():
            return ScheduledRedivision.objects.none()
        return scheduled_redivisions(self.actor)

    @extend_schema(request=None, responses={200: ScheduledRedivisionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        row = scheduled_cancel(actor=self.actor, scheduled=scheduled_redivision_for(self.actor, int(pk or 0)))
        return Response(ScheduledRedivisionSerializer(row).data)
