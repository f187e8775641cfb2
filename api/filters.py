"""The API's django-filter backend, read as strictly as the lists' query serializers (api.serializers.filters):
a declared filter given empty (`?status=`) is a Chinese 400, not read as absent and answered with everything."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class StrictFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = [name for name in filterset.filters if request.query_params.get(name, None) == ""]
            if empty:
                raise ValidationError({name: [_("不能为空。")] for name in empty})
        return filterset
