"""The duties context's API shapes: duty records and photos, the three-ones report, the evaluation,
the county's duty rule, training events and their attendance."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.actions import PageActionsListSerializer, actions_for, actions_schema
from api.serializers.people import DeputyRefSerializer
from duties.actions import DutyRecordAction, duty_record_actions, duty_records_actions
from duties.models import DutyKind, DutyPhoto, DutyRecord, DutyRule, DutyTransition, TrainingAttendance, TrainingEvent
from duties.services.rules import RULE_FIELDS
from organisation.models import Township, Venue
from people.models import Deputy


class DutyPhotoSerializer(serializers.ModelSerializer):
    """Photos are served by the application to those who read the record (not from MEDIA_URL)."""

    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = DutyPhoto
        fields = ["id", "image", "thumbnail", "uploaded_at"]

    def get_image(self, photo: DutyPhoto) -> str:
        return reverse("frontend:duty_photo", args=[photo.record_id, photo.pk])

    def get_thumbnail(self, photo: DutyPhoto) -> str:
        return self.get_image(photo) + "?size=thumb"


class DutyTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyTransition
        fields = ["from_status", "to_status", "actor_id", "reason", "at"]


class DutyRecordSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    deputy = DeputyRefSerializer(read_only=True)
    venue_name = serializers.CharField(source="venue.name", default=None, allow_null=True, read_only=True)
    author_name = serializers.CharField(source="author.name", default=None, allow_null=True, read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="此刻请求者可对该履职登记进行的操作（duties.actions.duty_record_actions）。")

    class Meta:
        model = DutyRecord
        fields = ["id", "kind", "kind_display", "deputy", "occurred_on", "venue", "venue_name", "place", "title",
                  "status", "status_display", "constituents_count", "author_name", "actions"]
        list_serializer_class = PageActionsListSerializer  # at most one query a page

    page_actions = staticmethod(duty_records_actions)

    @extend_schema_field(actions_schema(DutyRecordAction))
    def get_actions(self, record) -> list[str]:
        return actions_for(self, record, duty_record_actions, DutyRecordAction)


class DutyRecordDetailSerializer(DutyRecordSerializer):
    participants = DeputyRefSerializer(many=True, read_only=True)
    cases = serializers.SerializerMethodField(help_text="这次履职中收到的意见所在的案件编号")
    photos = DutyPhotoSerializer(many=True, read_only=True)
    transitions = DutyTransitionSerializer(many=True, read_only=True)

    class Meta(DutyRecordSerializer.Meta):
        fields = [*DutyRecordSerializer.Meta.fields, "content", "participants", "other_participants", "photos",
                  "transitions", "cases", "created_at"]

    def get_cases(self, record) -> list[int]:
        return sorted({case_id for case_id in record.opinions.values_list("case_id", flat=True)})


class DutyRecordWriteSerializer(serializers.Serializer):
    """`deputy` may be left out by a deputy logging their own duty."""

    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.none(), required=False)
    kind = serializers.ChoiceField(choices=DutyKind.choices)
    occurred_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(allow_blank=True, required=False, default="")
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.none(), allow_null=True, required=False)
    place = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    participants = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.none(), many=True, required=False)
    other_participants = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    constituents_count = serializers.IntegerField(min_value=0, max_value=100000, allow_null=True, required=False)

    def __init__(self, *args, deputies=None, venues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deputies is not None:
            self.fields["deputy"].queryset = deputies
            self.fields["participants"].child_relation.queryset = deputies
        if venues is not None:
            self.fields["venue"].queryset = venues


class DutyRecordUpdateSerializer(DutyRecordWriteSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["deputy"]
        for field in self.fields.values():
            field.required = False
            if hasattr(field, "default"):
                field.default = serializers.empty


class DisputeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class DutyPhotoUploadSerializer(serializers.Serializer):
    # Pillow reads it here; the service checks its type and size (JPEG, PNG or WEBP, at most 5 MB).
    photo = serializers.ImageField()


class DutyRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyRule
        fields = list(RULE_FIELDS)


class MonthCellSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    receptions = serializers.IntegerField()
    visits = serializers.IntegerField()
    ok = serializers.BooleanField()


class RosterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="deputy_id")
    name = serializers.CharField()
    venue = serializers.IntegerField(source="venue_id", allow_null=True)
    venue_name = serializers.CharField()
    township = serializers.IntegerField(source="township_id", allow_null=True)
    township_name = serializers.CharField()


class DeputyComplianceSerializer(serializers.Serializer):
    deputy = RosterRefSerializer()
    months = MonthCellSerializer(many=True)
    reports = serializers.IntegerField()
    report_ok = serializers.BooleanField()
    months_ok = serializers.IntegerField()
    voters = serializers.IntegerField(help_text="本年联系选民人数（已确认的“联系选民”登记）")
    voters_ok = serializers.BooleanField()


class RollupSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    deputies = serializers.IntegerField()
    months_ok = serializers.ListField(child=serializers.IntegerField(), help_text="每月达标代表数")
    deputies_by_month = serializers.ListField(
        child=serializers.IntegerField(), help_text="每月属于该单位的代表数（区划调整前后分别计入原单位和新单位）")
    reports_ok = serializers.IntegerField()
    rate = serializers.IntegerField(allow_null=True)


class ThreeOnesSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    months = serializers.ListField(child=serializers.IntegerField())
    rule = DutyRuleSerializer()
    voters_per_deputy = serializers.IntegerField(help_text="县定每名代表每年联系选民数")
    rows = DeputyComplianceSerializer(many=True)
    stations = RollupSerializer(many=True)
    townships = RollupSerializer(many=True)


class ScoreSerializer(serializers.Serializer):
    deputy = RosterRefSerializer()
    counts = serializers.DictField(child=serializers.IntegerField())
    score = serializers.IntegerField()
    rank = serializers.IntegerField()
    township_rank = serializers.IntegerField()
    outstanding = serializers.BooleanField()


class EvaluationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rule = DutyRuleSerializer()
    rows = ScoreSerializer(many=True)


class TrainingAttendanceSerializer(serializers.ModelSerializer):
    deputy = DeputyRefSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = TrainingAttendance
        fields = ["deputy", "status", "status_display", "marked_at"]


class TrainingEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    venue_name = serializers.CharField(source="venue.name", default=None, allow_null=True, read_only=True)
    present = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = TrainingEvent
        fields = ["id", "title", "kind", "kind_display", "held_on", "venue", "venue_name", "place", "organiser",
                  "township", "present"]


class TrainingEventDetailSerializer(TrainingEventSerializer):
    attendances = TrainingAttendanceSerializer(many=True, source="visible_attendances", read_only=True)

    class Meta(TrainingEventSerializer.Meta):
        fields = [*TrainingEventSerializer.Meta.fields, "attendances"]


class TrainingEventWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=TrainingEvent.Kind.choices, default=TrainingEvent.Kind.TRAINING)
    held_on = serializers.DateField()
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.none(), allow_null=True, required=False)
    place = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    organiser = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    township = serializers.PrimaryKeyRelatedField(queryset=Township.objects.current(), allow_null=True,
                                                  required=False)

    def __init__(self, *args, venues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if venues is not None:
            self.fields["venue"].queryset = venues


class AttendanceWriteSerializer(serializers.Serializer):
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.none())
    status = serializers.ChoiceField(choices=TrainingAttendance.Status.choices)

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deputies is not None:
            self.fields["deputy"].queryset = deputies
