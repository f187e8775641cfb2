"""Read-only reports: the build-progress report (also as .xlsx) and the county's tree of places."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.organisation import (
    BuildProgressSerializer,
    TreeSerializer,
)
from api.views.base import CountyAPI, parse_year
from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx, xlsx_attachment
from organisation.selectors import ProgressRow, build_progress_for
from people.selectors import county_tree


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
        report = build_progress_for(self.actor, year)
        data = {"year": year, "rows": [_row_data(r) for r in report.rows], "totals": _row_data(report.totals)}
        return Response(BuildProgressSerializer(data).data)


class BuildProgressExportView(CountyAPI, APIView):
    """The same report as an .xlsx workbook with Chinese headers and a totals row."""

    @extend_schema(parameters=[YEAR_PARAM], responses={(200, XLSX_CONTENT_TYPE): bytes})
    def get(self, request):
        year = parse_year(request.query_params.get("year"))
        report = build_progress_for(self.actor, year)
        content = rows_to_xlsx(report.headers, report.table(), title=report.title)
        return xlsx_attachment(content, filename=f"build-progress-{year}.xlsx")


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
