"""Reception days: sessions (rota, attendance, record, move, cancel), station rules and calendars, the
deputy's QR sign-in, attendance notice jobs and absence steps; and each person's message inbox.

Who reads which rows is decided by reception.selectors; what a write may do by reception.services.
"""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a non-number id is a 404, not a 500
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.filters import SessionQuery
from api.serializers.reception import (
    AbsenceStepSerializer,
    AttendanceMarkSerializer,
    AttendanceSerializer,
    CompositionSerializer,
    MessageSerializer,
    MoveSerializer,
    NoteSerializer,
    NoticeJobSerializer,
    NoticeSerializer,
    ReasonSerializer,
    ReceptionRecordSerializer,
    RecordInputSerializer,
    RotaSerializer,
    ScheduleSerializer,
    SessionDetailSerializer,
    SessionSerializer,
    SignInSerializer,
    YearSerializer,
)
from api.views.base import CountyAPI, query
from notifications.models import Message
from notifications.selectors import messages_of
from notifications.services import message_mark_read
from organisation.models import Venue
from organisation.selectors import venues_managed_by
from people.models import Deputy
from reception.models import AbsenceStep, AttendanceNotice, AttendanceNoticeJob, ReceptionSchedule, ReceptionSession
from reception.selectors import (
    absence_steps_visible_to,
    notice_jobs_visible_to,
    notices_visible_to,
    sessions_visible_to,
    with_counts,
)
from reception.services.common import require_venue
from reception.services.notices import absence_step_done, notice_job_start
from reception.services.records import IssueInput, reception_record_save
from reception.services.rota import composition, rota_proposal, rota_set
from reception.services.schedule import (
    SCHEDULE_FIELDS,
    schedule_for,
    schedule_update,
    session_cancel,
    session_move,
    sessions_publish,
)
from reception.services.signin import attendance_mark, sign_in, sign_out


class ReceptionSessionViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              viewsets.GenericViewSet):
    """接待日。筛选：venue（站点）、month（YYYY-MM）、status；默认自今天起。"""

    queryset = ReceptionSession.objects.none()

    def get_serializer_class(self):
        return SessionDetailSerializer if self.action == "retrieve" else SessionSerializer

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        qs = sessions_visible_to(self.actor)
        if self.action == "list":
            f = query(SessionQuery, self.request)
            if "venue" in f:
                qs = qs.filter(venue_id=f["venue"])
            if "month" in f:
                first = f["month"]
                qs = qs.filter(date__gte=first, date__lt=(first.replace(day=28) + dt.timedelta(days=4)).replace(day=1))
            elif not f.get("past"):
                qs = qs.filter(date__gte=dt.date.today())
            if "status" in f:
                qs = qs.filter(status=f["status"])
            return with_counts(qs)
        return qs.prefetch_related("rota__deputy__account", "attendances__deputy__account", "record__issues")

    @extend_schema(parameters=[SessionQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _detail(self, session, code=status.HTTP_200_OK):
        return Response(SessionDetailSerializer(self.get_queryset().get(pk=session.pk)).data, status=code)

    @extend_schema(request=MoveSerializer, responses=SessionDetailSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(session_move(actor=self.actor, session=self.get_object(), **data.validated_data))

    @extend_schema(request=ReasonSerializer, responses=SessionDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(session_cancel(actor=self.actor, session=self.get_object(), **data.validated_data))

    @extend_schema(request=RotaSerializer, responses=CompositionSerializer)
    @action(detail=True, methods=["put"])
    def rota(self, request, pk=None):
        session = self.get_object()
        data = RotaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["deputies"]
        deputies = list(Deputy.objects.filter(pk__in=ids).select_related("account"))
        if len(deputies) != len(set(ids)):
            return Response({"deputies": ["有代表不存在。"]}, status=status.HTTP_400_BAD_REQUEST)
        result = rota_set(actor=self.actor, session=session, deputies=deputies)
        return Response(CompositionSerializer(result).data)

    @extend_schema(responses=CompositionSerializer)
    @action(detail=True, methods=["get"])
    def proposal(self, request, pk=None):
        session = self.get_object()
        require_venue(self.actor, session.venue)
        deputies = rota_proposal(session)
        result = composition(session, deputies)
        return Response({"deputies": [d.pk for d in deputies], **CompositionSerializer(result).data})

    @extend_schema(request=AttendanceMarkSerializer, responses=AttendanceSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        session = self.get_object()
        data = AttendanceMarkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deputy = get_object_or_404(Deputy.objects.select_related("account"), pk=data.validated_data.pop("deputy"))
        row = attendance_mark(actor=self.actor, session=session, deputy=deputy, **data.validated_data)
        return Response(AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecordInputSerializer, responses=ReceptionRecordSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        session = self.get_object()
        data = RecordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issues = [IssueInput(**issue) for issue in data.validated_data.pop("issues", [])]
        record = reception_record_save(actor=self.actor, session=session, issues=issues, **data.validated_data)
        return Response(ReceptionRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AttendanceSerializer)
    @action(detail=True, methods=["post"], url_path="sign-out")
    def sign_out(self, request, pk=None):
        return Response(AttendanceSerializer(sign_out(actor=self.actor, session=self.get_object())).data)


class ReceptionScheduleViewSet(CountyAPI, viewsets.GenericViewSet):
    """站点的接待日规则（按站点编号）；发布年度接待日安排。"""

    serializer_class = ScheduleSerializer
    queryset = ReceptionSchedule.objects.none()
    lookup_field = "venue"
    pagination_class = None  # one rule per managed venue, all of them

    def _venue(self) -> Venue:
        return get_object_or_404(venues_managed_by(self.actor), pk=self.kwargs["venue"])

    def list(self, request):
        return Response(ScheduleSerializer(ReceptionSchedule.objects.filter(
            venue__in=venues_managed_by(self.actor)).select_related("venue"), many=True).data)

    def retrieve(self, request, venue=None):
        return Response(ScheduleSerializer(schedule_for(self._venue())).data)

    def partial_update(self, request, venue=None):
        target = self._venue()
        data = ScheduleSerializer(schedule_for(target), data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k in SCHEDULE_FIELDS}
        return Response(ScheduleSerializer(schedule_update(actor=self.actor, venue=target, **fields)).data)

    @extend_schema(request=YearSerializer, responses=YearSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, venue=None):
        data = YearSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        added = sessions_publish(actor=self.actor, venue=self._venue(), year=data.validated_data["year"])
        return Response({"year": data.validated_data["year"], "added": added}, status=status.HTTP_201_CREATED)


class SignInView(CountyAPI, APIView):
    """代表扫描联络站签到码后签到（须本人登录）。"""


    @extend_schema(request=SignInSerializer, responses=AttendanceSerializer)
    def post(self, request):
        data = SignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = sign_in(actor=self.actor, token=data.validated_data["code"])
        return Response(AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)


class NoticeJobViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """出勤通报任务：发起后在后台生成，进度见 done/total。"""

    serializer_class = NoticeJobSerializer
    queryset = AttendanceNoticeJob.objects.none()

    def get_queryset(self):
        return self.queryset if self.swagger() else notice_jobs_visible_to(self.actor)

    def create(self, request):
        data = NoticeJobSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        venue = data.validated_data.get("venue")
        if venue is not None:
            venue = get_object_or_404(venues_managed_by(self.actor), pk=venue.pk)
        job = notice_job_start(actor=self.actor, year=data.validated_data["year"], venue=venue)
        return Response(NoticeJobSerializer(job).data, status=status.HTTP_201_CREATED)


class NoticeViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """出勤通报：代表本人的，及有权发起任务的工作人员。"""

    serializer_class = NoticeSerializer
    queryset = AttendanceNotice.objects.none()

    def get_queryset(self):
        return self.queryset if self.swagger() else notices_visible_to(self.actor)


class AbsenceStepViewSet(CountyAPI, mixins.ListModelMixin, viewsets.GenericViewSet):
    """长期缺席的约谈、劝辞。"""

    serializer_class = AbsenceStepSerializer
    queryset = AbsenceStep.objects.none()

    def get_queryset(self):
        return self.queryset if self.swagger() else absence_steps_visible_to(self.actor)

    @extend_schema(request=NoteSerializer, responses=AbsenceStepSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        step = get_object_or_404(self.get_queryset(), pk=pk)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = absence_step_done(actor=self.actor, step=step, **data.validated_data)
        return Response(AbsenceStepSerializer(step).data)


class MessageViewSet(CountyAPI, mixins.ListModelMixin, viewsets.GenericViewSet):
    """我的消息（短信副本与站内消息）。"""

    serializer_class = MessageSerializer
    queryset = Message.objects.none()

    def get_queryset(self):
        return self.queryset if self.swagger() else messages_of(self.actor.account_id)

    @extend_schema(request=None, responses={200: None})
    @action(detail=False, methods=["post"])
    def read(self, request):
        ids = [int(i) for i in request.data.get("ids", []) if str(i).isdigit()] if isinstance(
            request.data.get("ids"), list) else []
        return Response({"read": message_mark_read(actor=self.actor, message_ids=ids)})
