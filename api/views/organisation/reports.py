"""Read-only reports: the build-progress report (also as .xlsx) and the county's tree of places."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from access.scope import Actor
from api.serializers.organisation import (
    BuildProgressSerializer,
    TreeSerializer,
)
from api.views.base import CountyAPI, parse_year, xlsx_response
from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx
from organisation.selectors import ProgressRow, build_progress
from people.selectors import county_tree

from .common import progress_township_ids

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


class BuildProgressView(CountyAPI, APIView):
    """Source 004 篇一's build-progress report: per township, the home/central station's state, village
    stations planned and open, and the year's budget, disbursed, undisbursed, spent and share spent."""

    @extend_schema(parameters=[YEAR_PARAM], responses=BuildProgressSerializer)
    def get(self, request):
        year = parse_year(request.query_params.get("year"))
        rows, totals = progress_for(self.actor, year)
        data = {"year": year, "rows": [_row_data(r) for r in rows], "totals": _row_data(totals)}
        return Response(BuildProgressSerializer(data).data)


class BuildProgressExportView(CountyAPI, APIView):
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
        return xlsx_response(content, filename=f"build-progress-{year}.xlsx")


class TreeView(CountyAPI, APIView):
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
