"""The lists' pages (REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS): DRF's page numbers, read strictly."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    def get_page_number(self, request, paginator):
        """?page= is a positive whole number (DRF would take `page=` as the first page and `page=last` as the
        last, which the schema does not offer); a number past the end stays DRF's 404."""
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_query_param: [_("页码应为正整数。")]})
        return value
