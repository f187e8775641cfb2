"""网上联络站 over the API (a county's public app or WeChat mini-program): no login, the same rules as the
form: the privacy notice must be accepted, a mobile needs its SMS code, floods are throttled."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import CountyHostOnly
from api.schema import ValidationErrorSerializer
from audit.context import client_address
from casework import privacy, services
from casework.models import OpinionCategory
from organisation.models import Village
from people.models import Deputy


class PrivacyNoticeSerializer(serializers.Serializer):
    version = serializers.CharField()
    title = serializers.CharField()
    paragraphs = serializers.ListField(child=serializers.CharField())


class OnlineOpinionSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=5000)
    category = serializers.PrimaryKeyRelatedField(queryset=OpinionCategory.objects.filter(is_active=True),
                                                  required=False, allow_null=True, default=None)
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all(), required=False, allow_null=True,
                                                 default=None)
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), required=False, allow_null=True,
                                                default=None)
    constituent_mobile = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    code = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    privacy_consent = serializers.BooleanField(help_text="已阅读并同意个人信息保护告知（必须为 true）")
    privacy_notice_version = serializers.CharField(required=False, allow_blank=True, default="",
                                                   help_text="所同意的告知版本（见 privacy-notice）")


class OnlinePublic(APIView):
    authentication_classes: list = []  # the public: no session, no CSRF
    permission_classes = [AllowAny, CountyHostOnly]


class PrivacyNoticeView(OnlinePublic):
    @extend_schema(responses=PrivacyNoticeSerializer)
    def get(self, request):
        return Response({"version": privacy.NOTICE_VERSION, "title": str(privacy.NOTICE_TITLE),
                         "paragraphs": [str(p) for p in privacy.NOTICE_PARAGRAPHS]})


class OnlineOpinionView(OnlinePublic):
    @extend_schema(request=OnlineOpinionSerializer,
                   responses={201: None, 429: OpenApiResponse(ValidationErrorSerializer, description="提交太频繁。")})
    def post(self, request):
        body = OnlineOpinionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("privacy_notice_version")
        if version and version != privacy.NOTICE_VERSION:
            raise serializers.ValidationError({"privacy_notice_version": ["告知内容已更新，请重新阅读并同意。"]})
        try:
            opinion = services.opinion_submit_online(address=client_address(request), **data)
        except services.Throttled as error:
            return Response({"non_field_errors": error.messages}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        return Response({"tracking_code": opinion.tracking_code}, status=status.HTTP_201_CREATED)
