"""Re-divisions of townships and villages: the list, and the county administrator's merges, splits and renames
of townships and of the villages of one township (撤并村)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import require
from api.serializers.organisation import (
    MergeSerializer,
    RedivisionSerializer,
    RenameSerializer,
    SplitSerializer,
    VillageMergeSerializer,
    VillageRenameSerializer,
    VillageSplitSerializer,
)
from api.views.base import CountyAPI
from organisation.models import (
    Redivision,
)
from organisation.selectors import REDIVISION_LINKS
from organisation.services.redivision import township_merge, township_rename, township_split
from organisation.services.village_redivision import village_merge, village_rename, village_split


class RedivisionViewSet(CountyAPI, viewsets.ReadOnlyModelViewSet):
    """Re-divisions with their old -> new links. The county administrator merges, splits and renames
    townships from an effective date (POST merge/, split/, rename/), and the villages of one township
    (POST villages/merge/, villages/split/, villages/rename/)."""

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
        redivision = service(actor=self.actor, **mapping, **serializer.validated_data)
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

    @extend_schema(request=VillageMergeSerializer, responses={201: RedivisionSerializer})
    @action(detail=False, methods=["post"], url_path="villages/merge", url_name="village-merge")
    def village_merge(self, request):
        return self._act(request, VillageMergeSerializer, village_merge)

    @extend_schema(request=VillageSplitSerializer, responses={201: RedivisionSerializer})
    @action(detail=False, methods=["post"], url_path="villages/split", url_name="village-split")
    def village_split(self, request):
        return self._act(request, VillageSplitSerializer, village_split)

    @extend_schema(request=VillageRenameSerializer, responses={201: RedivisionSerializer})
    @action(detail=False, methods=["post"], url_path="villages/rename", url_name="village-rename")
    def village_rename(self, request):
        return self._act(request, VillageRenameSerializer, village_rename)
