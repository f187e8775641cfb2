"""The roster over the API: the .xlsx template, the import (all or nothing, errors per row) and the export.
For the county administrator and township staff only (township staff within their township)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from api.views.base import ROW_ERRORS, CountyAPI
from api.views.imports import import_upload, job_data, job_serializer
from core.xlsx import XLSX_CONTENT_TYPE, xlsx_attachment
from organisation.models import ImportJob
from organisation.selectors import import_job_for
from people.actors import actor_of
from people.selectors import deputies_managed_by
from people.services.roster import roster_export, roster_import, roster_template


class RosterStaffOnly(BasePermission):
    """Who keeps the roster: the county administrator, and township staff for their township."""

    message = gettext_lazy("只有县人大常委会管理员和乡镇人大主席团工作人员可以导入、导出代表名册。")

    def has_permission(self, request, view) -> bool:
        actor = actor_of(request)
        return actor.is_admin or actor.is_township_staff


class RosterAPI(CountyAPI):
    permission_classes = [*CountyAPI.permission_classes, RosterStaffOnly]


class RosterTemplateView(RosterAPI, APIView):

    @extend_schema(summary="代表名册导入模板（.xlsx）", responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        return xlsx_attachment(roster_template(), filename=_("代表名册模板.xlsx"), ascii_fallback="roster.xlsx")


COUNTS = inline_serializer("RosterImportCounts", {
    key: serializers.IntegerField() for key in (
        "rows", "created", "updated", "accounts_created", "mandates_created", "mandates_updated",
        "stationings_created", "group_places_set", "memberships_granted")
})
JOB = job_serializer("RosterImportJob", COUNTS)


class RosterImportView(RosterAPI, APIView):
    """Upload a filled-in template as `file`. Every row is checked first; with any error nothing is
    imported and the answer is 400 with the errors per row. Importing again updates, never duplicates. A large
    file is imported in the background: the answer is 202 with the job to follow at its `url`."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="导入代表名册（.xlsx）",
        request={"multipart/form-data": inline_serializer("RosterUpload", {"file": serializers.FileField()})},
        responses={200: COUNTS, 202: OpenApiResponse(JOB, description="大文件：后台导入，按 url 查询进度"),
                   400: OpenApiResponse(ROW_ERRORS, description="逐行错误，未导入任何数据")},
    )
    def post(self, request):
        return import_upload(request, self.actor, kind=ImportJob.Kind.ROSTER, url_name="api:roster-import-job",
                             run=roster_import)


class RosterImportJobView(RosterAPI, APIView):

    @extend_schema(summary="后台导入代表名册的进度与结果", responses={200: JOB})
    def get(self, request, pk: int):
        return Response(job_data(request, import_job_for(self.actor, pk, ImportJob.Kind.ROSTER),
                                 "api:roster-import-job"))


class RosterExportView(RosterAPI, APIView):
    """The deputies the caller manages (the whole county for its administrator), in the template's columns."""

    @extend_schema(summary="导出代表名册（.xlsx）", responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        actor = self.actor
        return xlsx_attachment(roster_export(actor=actor, deputies=deputies_managed_by(actor)),
                             filename=_("代表名册.xlsx"), ascii_fallback="roster.xlsx")
