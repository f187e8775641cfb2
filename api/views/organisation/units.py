"""Handling units (government departments, court, procuratorate): read by members, kept by the county."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins, status, viewsets
from rest_framework.filters import SearchFilter
from rest_framework.response import Response

from access.scope import require
from api.filters import StrictFilterBackend
from api.serializers.organisation import (
    HandlingUnitSerializer,
)
from api.views.base import CountyAPI
from organisation.models import (
    HandlingUnit,
)
from organisation.services.places import (
    handling_unit_save,
)


class HandlingUnitFilter(django_filters.FilterSet):
    # django-filter's BooleanFilter drops a value it cannot read (is_active=maybe): this one refuses it (400).
    is_active = django_filters.TypedChoiceFilter(choices=[("true", "true"), ("false", "false")],
                                                 coerce=lambda value: value == "true")

    class Meta:
        model = HandlingUnit
        fields = ["kind", "is_active"]


class HandlingUnitViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """Handling units (government departments, court, procuratorate): every member reads the list, the
    county administrator keeps it."""

    serializer_class = HandlingUnitSerializer
    queryset = HandlingUnit.objects.none()
    filter_backends = [StrictFilterBackend, SearchFilter]
    filterset_class = HandlingUnitFilter
    search_fields = ["name"]

    def get_queryset(self) -> QuerySet[HandlingUnit]:
        if self.swagger() or not self.actor.is_member:
            return HandlingUnit.objects.none()
        return HandlingUnit.objects.order_by("kind", "name")

    def create(self, request):
        require(self.actor.is_admin)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = handling_unit_save(actor=self.actor, **serializer.validated_data)
        return Response(self.get_serializer(unit).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        unit = self.get_object()
        require(self.actor.is_admin)
        serializer = self.get_serializer(unit, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        unit = handling_unit_save(actor=self.actor, unit=unit, **serializer.validated_data)
        return Response(self.get_serializer(unit).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)
