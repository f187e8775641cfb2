"""The organisation workbook over the API: the .xlsx template, the import (all or nothing, errors per row
and sheet; a large file as a background job to follow) and the export. For the county administrator."""

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
from organisation.services.workbook import (
    OrganisationResult,
    organisation_export,
    organisation_import,
    organisation_template,
)
from people.actors import actor_of


class CountyAdminOnly(BasePermission):
    message = gettext_lazy("只有县人大常委会管理员可以导入、导出组织架构。")

    def has_permission(self, request, view) -> bool:
        return actor_of(request).is_admin


class WorkbookAPI(CountyAPI):
    permission_classes = [*CountyAPI.permission_classes, CountyAdminOnly]


class OrganisationTemplateView(WorkbookAPI, APIView):

    @extend_schema(summary="组织架构导入模板（.xlsx）", responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        return xlsx_attachment(organisation_template(), filename=_("组织架构模板.xlsx"),
                             ascii_fallback="organisation.xlsx")


COUNTS = inline_serializer("OrganisationImportCounts", {
    key: serializers.IntegerField() for key in OrganisationResult().counts()})
JOB = job_serializer("OrganisationImportJob", COUNTS)


class OrganisationImportView(WorkbookAPI, APIView):
    """Upload a filled-in template as `file`. Every row of every sheet is checked first; with any error
    nothing is imported and the answer is 400 with the errors per row. A large file is imported in the
    background: the answer is 202 with the job to follow at its `url`."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="导入组织架构（.xlsx）",
        request={"multipart/form-data": inline_serializer("OrganisationUpload", {"file": serializers.FileField()})},
        responses={200: COUNTS, 202: OpenApiResponse(JOB, description="大文件：后台导入，按 url 查询进度"),
                   400: OpenApiResponse(ROW_ERRORS, description="逐行错误，未导入任何数据")},
    )
    def post(self, request):
        return import_upload(request, self.actor, kind=ImportJob.Kind.ORGANISATION,
                             url_name="api:organisation-import-job", run=organisation_import)


class OrganisationImportJobView(WorkbookAPI, APIView):

    @extend_schema(summary="后台导入组织架构的进度与结果", responses={200: JOB})
    def get(self, request, pk: int):
        return Response(job_data(request, import_job_for(self.actor, pk, ImportJob.Kind.ORGANISATION),
                                 "api:organisation-import-job"))


class OrganisationExportView(WorkbookAPI, APIView):
    """The county's current townships, villages, venues and handling units, in the template's sheets."""

    @extend_schema(summary="导出组织架构（.xlsx）", responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        return xlsx_attachment(organisation_export(actor=self.actor), filename=_("组织架构.xlsx"),
                             ascii_fallback="organisation.xlsx")
