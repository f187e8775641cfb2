"""网上联络站 for a WeChat mini-program or the provincial portal: the SMS code, tracking, the reception
calendar, the stations, the directory and the published answers. No login, county hosts only; the same
services and throttles as the form (casework.services.public, core.throttle), errors in Chinese."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from api.pagination import Pages
from api.schema import ValidationErrorSerializer
from api.serializers.filters import PublicAnswersQuery, PublicCalendarQuery
from api.serializers.people import DeputyCardSerializer
from api.views.base import query
from api.views.online import OnlinePublic
from casework import services
from casework.models import CaseStatus
from casework.publication import published_answers
from casework.selectors import opinion_by_code
from casework.services.public import throttle
from core.http import client_address
from core.throttle import Throttled, Unavailable
from organisation.models import Venue
from organisation.selectors import venues_public
from people.selectors import deputies_public, with_region_levels
from reception.selectors import public_calendar

TRACKS_PER_HOUR = 60
# What a throttled endpoint may answer besides its result (refused() below).
REFUSALS = {429: OpenApiResponse(ValidationErrorSerializer, description="请求太频繁。"),
            503: OpenApiResponse(ValidationErrorSerializer, description="服务暂时不可用。")}


def refused(error: Throttled | Unavailable) -> Response:
    """A throttle answers 429, a cache that is down 503: both with the service's Chinese message."""
    code = status.HTTP_429_TOO_MANY_REQUESTS if isinstance(error, Throttled) else status.HTTP_503_SERVICE_UNAVAILABLE
    return Response({"non_field_errors": error.messages}, status=code)


class CodeRequestSerializer(serializers.Serializer):
    constituent_mobile = serializers.CharField(max_length=11)


class CodeView(OnlinePublic):
    """Sends the SMS code that confirms the mobile of an opinion (3 an hour per address and per mobile)."""

    @extend_schema(request=CodeRequestSerializer, responses={202: None, **REFUSALS})
    def post(self, request):
        body = CodeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.verification_send(mobile=body.validated_data["constituent_mobile"],
                                       address=client_address(request))
        except (Throttled, Unavailable) as error:
            return refused(error)
        return Response({"detail": _("验证码已发送，请查收短信。")}, status=status.HTTP_202_ACCEPTED)


class TrackStepSerializer(serializers.Serializer):
    date = serializers.DateTimeField(source="created_at")
    status = serializers.CharField(source="to_status")
    status_display = serializers.CharField(source="get_to_status_display")


class TrackSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    status = serializers.CharField(source="case.status")
    status_display = serializers.CharField(source="case.get_status_display")
    received_on = serializers.DateField()
    answer = serializers.SerializerMethodField()
    may_rate = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    def get_answer(self, opinion) -> str:
        return opinion.case.answer if opinion.case.status in (CaseStatus.ANSWERED, CaseStatus.CLOSED) else ""

    def get_may_rate(self, opinion) -> bool:
        return opinion.case.status == CaseStatus.ANSWERED

    @extend_schema(responses=TrackStepSerializer(many=True))
    def get_timeline(self, opinion) -> list:
        steps = [t for t in opinion.case.transitions.all() if t.to_status != t.from_status]
        return TrackStepSerializer(steps, many=True).data


class TrackView(OnlinePublic):
    """The progress of an opinion by its tracking code (60 look-ups an hour per address)."""

    @extend_schema(parameters=[OpenApiParameter("code", str, required=True, description="查询码")],
                   responses={200: TrackSerializer, **REFUSALS})
    def get(self, request):
        try:
            throttle(kind="track", address=client_address(request), limit=TRACKS_PER_HOUR)
        except Throttled as error:
            return refused(error)
        code = (request.query_params.get("code") or "").strip()
        opinion = opinion_by_code(code) if code else None
        if opinion is None:
            return Response({"detail": _("查询码不正确，请核对后再试。")}, status=status.HTTP_404_NOT_FOUND)
        return Response(TrackSerializer(opinion).data)


class PublicSessionSerializer(serializers.Serializer):
    date = serializers.DateField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    venue = serializers.IntegerField(source="venue_id")
    venue_name = serializers.CharField(source="venue.name")
    address = serializers.CharField(source="venue.address")
    cancelled = serializers.BooleanField(source="is_cancelled")
    provisional = serializers.BooleanField()


class CalendarView(OnlinePublic):
    """The coming reception days (two months) of every open station; `venue` narrows it to one."""

    @extend_schema(parameters=[PublicCalendarQuery], responses=PublicSessionSerializer(many=True))
    def get(self, request):
        sessions = public_calendar()
        venue = query(PublicCalendarQuery, request).get("venue")
        if venue is not None:
            sessions = sessions.filter(venue_id=venue)
        return Response(PublicSessionSerializer(sessions[:500], many=True).data)


class PublicStationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    township_name = serializers.CharField(source="township.name", default=None)

    class Meta:
        model = Venue
        fields = ["id", "name", "kind", "kind_display", "township_name", "address", "contact_phone",
                  "opening_hours", "description"]


class PublicDeputySerializer(DeputyCardSerializer):
    """The public card: no mobile, however masked."""

    class Meta(DeputyCardSerializer.Meta):
        fields = ["id", "name", "employer", "levels", "stations", "public_phone", "photo"]


class PublicStationDetailSerializer(PublicStationSerializer):
    deputies = serializers.SerializerMethodField()

    class Meta(PublicStationSerializer.Meta):
        fields = [*PublicStationSerializer.Meta.fields, "deputies"]

    @extend_schema(responses=PublicDeputySerializer(many=True))
    def get_deputies(self, venue) -> list:
        deputies = with_region_levels(deputies_public().filter(
            stationings__venue=venue, stationings__ended_on__isnull=True).distinct())
        return PublicDeputySerializer(deputies, many=True).data


class StationsView(OnlinePublic):
    @extend_schema(responses=PublicStationSerializer(many=True))
    def get(self, request):
        return Response(PublicStationSerializer(venues_public(), many=True).data)


class StationView(OnlinePublic):
    @extend_schema(responses=PublicStationDetailSerializer)
    def get(self, request, pk: int):
        return Response(PublicStationDetailSerializer(get_object_or_404(venues_public(), pk=pk)).data)


class DirectoryView(ListAPIView, OnlinePublic):
    """The public directory, 50 a page (`page`): a list view, so the schema documents the page."""

    pagination_class = Pages
    serializer_class = PublicDeputySerializer
    filter_backends: list = []

    def get_queryset(self):
        return with_region_levels(deputies_public())


class PublishedAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    summary = serializers.CharField()
    answer = serializers.CharField()
    category = serializers.CharField()
    township = serializers.CharField()
    received_on = serializers.DateField()
    answered_on = serializers.DateField(allow_null=True)


class PublishedAnswersSerializer(serializers.Serializer):
    results = PublishedAnswerSerializer(many=True)


class AnswersView(OnlinePublic):
    """The county's published answers, anonymised (casework.publication); by township, category, keyword."""

    @extend_schema(parameters=[PublicAnswersQuery], responses=PublishedAnswersSerializer)
    def get(self, request):
        wanted = query(PublicAnswersQuery, request)
        answers = published_answers(township_id=wanted.get("township"), category_id=wanted.get("category"),
                                    q=wanted.get("q", ""))
        return Response({"results": PublishedAnswerSerializer(answers, many=True).data})
