"""Duties (履职): duty records and their confirmation and photos, the three-ones report, the yearly
evaluation, the county's duty rule, training events and their attendance.

Who reads which records is decided by duties.selectors (deputy: own; staff: the deputies they
manage; the county: all); writes go through duties.services, which decide who may do what.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from access.scope import require
from api.serializers.duties import (
    AttendanceWriteSerializer,
    DisputeSerializer,
    DutyPhotoSerializer,
    DutyPhotoUploadSerializer,
    DutyRecordDetailSerializer,
    DutyRecordSerializer,
    DutyRecordUpdateSerializer,
    DutyRecordWriteSerializer,
    DutyRuleSerializer,
    EvaluationSerializer,
    ThreeOnesSerializer,
    TrainingAttendanceSerializer,
    TrainingEventDetailSerializer,
    TrainingEventSerializer,
    TrainingEventWriteSerializer,
)
from api.serializers.filters import DutyRecordQuery, YearQuery
from api.views.base import CountyAPI, query
from duties.models import DutyRecord, DutyRule, TrainingEvent
from duties.selectors.compliance import three_ones_report
from duties.selectors.evaluation import evaluation
from duties.selectors.records import (
    duty_records_filtered,
    duty_records_visible_to,
    reads_duty_reports,
    with_details,
)
from duties.selectors.training import training_events_visible_to, with_attendance
from duties.services.records import (
    duty_photo_add,
    duty_record_confirm,
    duty_record_dispute,
    duty_record_log,
    duty_record_update,
)
from duties.services.rules import duty_rule_update
from duties.services.training import training_attendance_mark, training_event_create
from organisation.selectors import venues_visible_to
from people.selectors import deputies_visible_to


class DutyRecordViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """履职登记。筛选：kind、deputy、venue、month（YYYY-MM）、status、q。"""

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = DutyRecord.objects.none()  # for the OpenAPI schema only
    serializer_class = DutyRecordSerializer

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        qs = duty_records_visible_to(self.actor)
        if self.action == "list":
            f = query(DutyRecordQuery, self.request)
            month = f["month"].strftime("%Y-%m") if "month" in f else ""
            return duty_records_filtered(qs, kind=f.get("kind", ""), deputy=f.get("deputy"), venue=f.get("venue"),
                                         month=month, status=f.get("status", ""), q=f.get("q", ""))
        return with_details(qs)

    def get_serializer_class(self):
        return DutyRecordDetailSerializer if self.action != "list" else DutyRecordSerializer

    def _represent(self, record: DutyRecord, code=status.HTTP_200_OK) -> Response:
        fresh = with_details(duty_records_visible_to(self.actor)).get(pk=record.pk)
        return Response(DutyRecordDetailSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(parameters=[DutyRecordQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DutyRecordWriteSerializer, responses={201: DutyRecordDetailSerializer})
    def create(self, request):
        serializer = DutyRecordWriteSerializer(data=request.data, deputies=deputies_visible_to(self.actor),
                                               venues=venues_visible_to(self.actor))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        deputy = data.pop("deputy", None)
        if deputy is None:
            if not self.actor.deputy_id:
                raise exceptions.ValidationError({"deputy": ["请选择代表。"]})
            deputy = deputies_visible_to(self.actor).get(pk=self.actor.deputy_id)
        record = duty_record_log(actor=self.actor, deputy=deputy, **data)
        return self._represent(record, status.HTTP_201_CREATED)

    @extend_schema(request=DutyRecordUpdateSerializer, responses=DutyRecordDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        record = self.get_object()
        serializer = DutyRecordUpdateSerializer(data=request.data, partial=True,
                                                deputies=deputies_visible_to(self.actor),
                                                venues=venues_visible_to(self.actor))
        serializer.is_valid(raise_exception=True)
        duty_record_update(actor=self.actor, record=record, **serializer.validated_data)
        return self._represent(record)

    @extend_schema(request=None, responses=DutyRecordDetailSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        record = self.get_object()
        duty_record_confirm(actor=self.actor, record=record)
        return self._represent(record)

    @extend_schema(request=DisputeSerializer, responses=DutyRecordDetailSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        record = self.get_object()
        serializer = DisputeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duty_record_dispute(actor=self.actor, record=record, **serializer.validated_data)
        return self._represent(record)

    @extend_schema(request=DutyPhotoUploadSerializer, responses={201: DutyPhotoSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        record = self.get_object()
        serializer = DutyPhotoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        photo = duty_photo_add(actor=self.actor, record=record, upload=serializer.validated_data["photo"])
        return Response(DutyPhotoSerializer(photo, context={"request": request}).data, status=status.HTTP_201_CREATED)


def _year(request) -> int:
    return query(YearQuery, request).get("year") or timezone.localdate().year


class ThreeOnesView(CountyAPI, APIView):
    """三个一：每名代表每月接待、走访，每年述职的落实情况，按站点、乡镇汇总。"""


    @extend_schema(parameters=[YearQuery], responses=ThreeOnesSerializer)
    def get(self, request):
        require(reads_duty_reports(self.actor))
        return Response(ThreeOnesSerializer(three_ones_report(actor=self.actor, year=_year(request))).data)


class EvaluationView(CountyAPI, APIView):
    """年度履职评价：得分、全县及乡镇排名、优秀代表。"""


    @extend_schema(parameters=[YearQuery], responses=EvaluationSerializer)
    def get(self, request):
        require(reads_duty_reports(self.actor))
        return Response(EvaluationSerializer(evaluation(actor=self.actor, year=_year(request))).data)


class DutyRuleView(CountyAPI, APIView):
    """The county's duty rule: every member reads it; the administrator changes it."""


    @extend_schema(responses=DutyRuleSerializer)
    def get(self, request):
        require(self.actor.is_member)
        return Response(DutyRuleSerializer(DutyRule.current()).data)

    @extend_schema(request=DutyRuleSerializer, responses=DutyRuleSerializer)
    def put(self, request):
        require(self.actor.is_admin)
        serializer = DutyRuleSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(DutyRuleSerializer(duty_rule_update(actor=self.actor, **serializer.validated_data)).data)


class TrainingEventViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    """学习培训。每位成员可见活动；出勤情况对管理该代表的工作人员及代表本人可见。"""

    queryset = TrainingEvent.objects.none()

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        qs = training_events_visible_to(self.actor)
        return qs if self.action == "list" else with_attendance(qs, self.actor)

    def get_serializer_class(self):
        return TrainingEventSerializer if self.action == "list" else TrainingEventDetailSerializer

    @extend_schema(request=TrainingEventWriteSerializer, responses={201: TrainingEventDetailSerializer})
    def create(self, request):
        serializer = TrainingEventWriteSerializer(data=request.data, venues=venues_visible_to(self.actor))
        serializer.is_valid(raise_exception=True)
        event = training_event_create(actor=self.actor, **serializer.validated_data)
        return Response(TrainingEventDetailSerializer(self.get_queryset().get(pk=event.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceWriteSerializer, responses=TrainingAttendanceSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        event = self.get_object()
        serializer = AttendanceWriteSerializer(data=request.data, deputies=deputies_visible_to(self.actor))
        serializer.is_valid(raise_exception=True)
        attendance = training_attendance_mark(actor=self.actor, event=event, **serializer.validated_data)
        return Response(TrainingAttendanceSerializer(attendance).data)
