"""The dashboards' figures as JSON (tenants.figures reads the public rollups; no county schema is entered).

On the platform host: the province, a prefecture or a county, for operators and the upper tiers within
their regions. On a county host: the county itself for its administrator, a township for the township's
presidium staff (and the administrator). Counts only: never a constituent's or a deputy's data.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api.permissions import CountyHostOnly, PlatformHostOnly
from api.serializers.figures import FiguresOut, PlatformFiguresOut
from api.serializers.filters import Query
from organisation.models import Township
from people.actors import actor_of
from tenants.figures import (
    COUNTY_PAGE_SIZE,
    MAX_MONTHS,
    MAX_PAGE_SIZE,
    SORTS,
    Scope,
    dashboard,
    home_scope,
    may_read,
    scope_for,
)


class PeriodSerializer(Query):
    from_month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", required=False,
                                        help_text="YYYY-MM；默认为本年1月")
    to_month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM；默认为本月")

    def validate(self, attrs):
        today = timezone.localdate()
        last = _month(attrs.get("to_month")) or today.replace(day=1)
        first = _month(attrs.get("from_month")) or dt.date(last.year, 1, 1)
        if first > last:
            raise serializers.ValidationError({"from_month": "起始月份不能晚于截止月份。"})
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
            raise serializers.ValidationError({"from_month": f"一次最多查询{MAX_MONTHS}个月。"})
        return {"first": first, "last": last}


class PlatformFiguresQuery(PeriodSerializer):
    level = serializers.ChoiceField(["province", "prefecture", "county"], required=False,
                                    help_text="默认为本人所在的省或州（市）")
    id = serializers.IntegerField(required=False)

    sort = serializers.ChoiceField(SORTS, required=False, default="code",
                                   help_text="各县排序：code（行政区划代码，默认）或任一比较指标")
    order = serializers.ChoiceField(["asc", "desc"], required=False,
                                    help_text="默认：code 升序，其余降序")
    page = serializers.IntegerField(min_value=1, required=False, default=1, help_text="各县比较的页码，从1起")
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False,
                                         default=COUNTY_PAGE_SIZE, help_text=f"每页县数，默认{COUNTY_PAGE_SIZE}")

    def validate(self, attrs):
        period = super().validate(attrs)
        if ("level" in attrs) != ("id" in attrs):
            raise serializers.ValidationError({"id": "level 与 id 须同时提供。"})
        return {**period, "level": attrs.get("level"), "id": attrs.get("id"), "sort": attrs["sort"],
                "order": attrs.get("order"), "page": attrs["page"], "page_size": attrs["page_size"]}


class CountyFiguresQuery(PeriodSerializer):
    township = serializers.IntegerField(required=False, help_text="乡镇编号；乡镇工作人员默认为本乡镇")

    def validate(self, attrs):
        return {**super().validate(attrs), "township": attrs.get("township")}


def _month(value: str | None) -> dt.date | None:
    return dt.date(int(value[:4]), int(value[5:7]), 1) if value else None


FIGURES_RESPONSE = OpenApiResponse(response=FiguresOut, description="a county's or a township's figures")
PLATFORM_FIGURES_RESPONSE = OpenApiResponse(response=PlatformFiguresOut,
                                            description="a province's, prefecture's or county's figures")
PERIOD = [OpenApiParameter("from_month", str, description="YYYY-MM"),
          OpenApiParameter("to_month", str, description="YYYY-MM")]
PAGING = [
    OpenApiParameter("sort", str, enum=list(SORTS), description=(
        "how the counties of a province or prefecture are ranked (`comparison`): by division code (default) or "
        "by a compared count over the period, or attendance_rate; ties by division code")),
    OpenApiParameter("order", str, enum=["asc", "desc"], description="default: asc for code, desc otherwise"),
    OpenApiParameter("page", int, description=(
        "the page of counties (from 1; past the last: the last). `comparison_page` gives the total and the "
        "pages, with `next` and `previous` as links")),
    OpenApiParameter("page_size", int, description=f"counties a page, {COUNTY_PAGE_SIZE} by default, at most "
                                                   f"{MAX_PAGE_SIZE}"),
]


def _page_links(request, page: dict) -> dict:
    """`comparison_page` with the links to the next and previous pages (None at either end)."""
    url = request.build_absolute_uri()
    number = page["number"]
    previous = None
    if number > 1:
        previous = (replace_query_param(url, "page", number - 1) if number > 2 else remove_query_param(url, "page"))
    following = replace_query_param(url, "page", number + 1) if number < page["pages"] else None
    return {**page, "next": following, "previous": previous}


class PlatformFiguresView(APIView):
    """The figures of a province, prefecture or county for the upper tiers (read from the rollups). The
    counties of a province or prefecture come a page at a time (`comparison`, `comparison_page`: sort,
    order, page, page_size); a province's prefectures whole (`comparison_prefectures`)."""

    permission_classes = [IsAuthenticated, PlatformHostOnly]

    @extend_schema(parameters=[*PERIOD, OpenApiParameter("level", str, enum=["province", "prefecture", "county"]),
                               OpenApiParameter("id", int), *PAGING], responses={200: PLATFORM_FIGURES_RESPONSE})
    def get(self, request):
        query = PlatformFiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if params["level"] is None:
            scope = home_scope(request.user)
        else:
            scope = scope_for(level=params["level"], pk=params["id"])
        if scope is None or not may_read(request.user, scope):
            raise Http404
        data = dashboard(scope=scope, first=params["first"], last=params["last"], sort=params["sort"],
                         order=params["order"], page=params["page"], page_size=params["page_size"])
        if "comparison_page" in data:
            data["comparison_page"] = _page_links(request, data["comparison_page"])
        return Response(data)


class CountyFiguresView(APIView):
    """This county's figures (its administrator), or a township's (its presidium staff)."""

    permission_classes = [IsAuthenticated, CountyHostOnly]

    @extend_schema(parameters=[*PERIOD, OpenApiParameter("township", int)], responses={200: FIGURES_RESPONSE})
    def get(self, request):
        actor = actor_of(request)
        if not (actor.is_admin or actor.is_township_staff):
            raise exceptions.PermissionDenied
        query = CountyFiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        township = params["township"]
        if township is None and not actor.is_admin:
            township = min(actor.township_ids, default=None)
            if township is None:
                raise Http404
        if township is None:
            scope = scope_for(level="county", pk=request.tenant.pk)
        else:
            name = Township.objects.filter(pk=township).values_list("name", flat=True).first()
            if name is None or not actor.can_manage_township(township):
                raise Http404
            scope = Scope("township", township, name, request.tenant.pk)
        return Response(dashboard(scope=scope, first=params["first"], last=params["last"]))
