"""Serializers of the reception context and the message inbox."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from notifications.models import Message
from reception.models import (
    AbsenceStep,
    Attendance,
    AttendanceNotice,
    AttendanceNoticeJob,
    ReceptionRecord,
    ReceptionSchedule,
    ReceptionSession,
    RotaEntry,
)


class RotaEntrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="deputy.account.name", read_only=True)

    class Meta:
        model = RotaEntry
        fields = ["deputy", "name", "excused", "excuse"]


class AttendanceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="deputy.account.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["deputy", "name", "signed_in_at", "signed_out_at", "method", "late", "left_early"]


class ReceptionRecordSerializer(serializers.ModelSerializer):
    issues = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionRecord
        fields = ["visitors_count", "visitor_names", "names_consented", "summary", "recorded_at", "issues"]

    def get_issues(self, record) -> list[str]:
        return [issue.content for issue in record.issues.all()]


class SessionSerializer(serializers.ModelSerializer):
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    rota_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    present_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = ReceptionSession
        fields = ["id", "venue", "venue_name", "planned_on", "date", "starts_at", "ends_at", "status", "version",
                  "change_reason", "provisional", "rota_count", "present_count"]


class SessionDetailSerializer(SessionSerializer):
    rota = RotaEntrySerializer(many=True, read_only=True)
    attendances = AttendanceSerializer(many=True, read_only=True)
    record = ReceptionRecordSerializer(read_only=True, allow_null=True)

    class Meta(SessionSerializer.Meta):
        fields = SessionSerializer.Meta.fields + ["rota", "attendances", "record"]


class MoveSerializer(serializers.Serializer):
    date = serializers.DateField(label=_("新日期"))
    reason = serializers.CharField(label=_("调整原因"), max_length=200)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("原因"), max_length=200)


class RotaSerializer(serializers.Serializer):
    deputies = serializers.ListField(child=serializers.IntegerField(), allow_empty=True, label=_("值班代表"))


class CompositionSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    shortfalls = serializers.ListField(child=serializers.CharField())


class AttendanceMarkSerializer(serializers.Serializer):
    deputy = serializers.IntegerField(label=_("代表"))
    arrived_at = serializers.DateTimeField(label=_("到达时间"))
    left_at = serializers.DateTimeField(label=_("离开时间"), required=False, allow_null=True)


class IssueSerializer(serializers.Serializer):
    content = serializers.CharField(label=_("反映的问题"))
    constituent_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    constituent_mobile = serializers.CharField(required=False, allow_blank=True, max_length=11)
    consent = serializers.BooleanField(required=False, default=False, label=_("群众同意登记姓名"))


class RecordInputSerializer(serializers.Serializer):
    visitors_count = serializers.IntegerField(label=_("接待人次"), min_value=0)
    summary = serializers.CharField(required=False, allow_blank=True)
    visitor_names = serializers.CharField(required=False, allow_blank=True)
    names_consented = serializers.BooleanField(required=False, default=False)
    issues = IssueSerializer(many=True, required=False)


class SignInSerializer(serializers.Serializer):
    code = serializers.CharField(label=_("签到码"), max_length=40)


class ScheduleSerializer(serializers.ModelSerializer):
    venue_name = serializers.CharField(source="venue.name", read_only=True)

    class Meta:
        model = ReceptionSchedule
        fields = ["id", "venue", "venue_name", "rrule", "days_per_reception", "starts_at", "ends_at",
                  "move_off_holidays", "prefecture_deputies_min", "prefecture_deputies_max", "county_deputies_min"]
        read_only_fields = ["venue"]


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(label=_("年度"))


class NoticeJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = AttendanceNoticeJob
        fields = ["id", "year", "venue", "status", "total", "done", "percent", "error", "created_at", "finished_at"]
        read_only_fields = ["status", "total", "done", "error", "created_at", "finished_at"]


class NoticeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="deputy.account.name", read_only=True)

    class Meta:
        model = AttendanceNotice
        fields = ["id", "deputy", "name", "year", "sessions", "present", "excused", "absent", "late", "left_early",
                  "pdf"]


class AbsenceStepSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="deputy.account.name", read_only=True)

    class Meta:
        model = AbsenceStep
        fields = ["id", "deputy", "name", "year", "kind", "absences", "status", "note", "flagged_at", "done_at"]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(label=_("处理情况"))


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "channel", "kind", "body", "status", "created_at", "sent_at", "read_at"]
