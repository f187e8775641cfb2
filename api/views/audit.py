"""The audit (操作记录) and API tokens (接口令牌).

/api/v1/audit/: on a county host the county administrator reads that county's rows; on the platform host
operators read the platform's. /api/v1/tokens/: the county administrator makes (the key is in the answer
once, never again), lists and revokes tokens."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from access.models import ApiToken, Role
from access.tokens import token_create, token_revoke, tokens_visible_to
from api.views.base import CountyAPI
from audit.labels import action_label, target_label
from audit.models import AuditEntry
from audit.selectors import AuditFilters, audit_entries, audit_labelled
from people.actors import actor_of
from tenants.models import Account


class AuditEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()
    target_label = serializers.SerializerMethodField()
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor_id", "actor_name", "action", "action_label", "target_type", "target_label",
                  "target_id", "client_address", "data", "hash"]

    def get_action_label(self, entry) -> str:
        return action_label(entry.action)

    def get_target_label(self, entry) -> str:
        return target_label(entry.target_type)

    def get_actor_name(self, entry) -> str:
        return getattr(entry, "actor_name", "")


class FilterSerializer(serializers.Serializer):
    who = serializers.CharField(required=False, allow_blank=True, default="")
    action = serializers.CharField(required=False, allow_blank=True, default="")
    target_type = serializers.CharField(required=False, allow_blank=True, default="")
    target_id = serializers.CharField(required=False, allow_blank=True, default="")
    since = serializers.DateField(required=False, allow_null=True, default=None)
    until = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema(parameters=[OpenApiParameter(name, str, required=False)
                           for name in ("who", "action", "target_type", "target_id", "since", "until")])
class AuditListView(generics.ListAPIView):
    serializer_class = AuditEntrySerializer
    permission_classes = [IsAuthenticated]
    queryset = AuditEntry.objects.none()  # for the OpenAPI schema only

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        request = self.request
        if request.tenant.is_public:
            if not request.user.is_staff:
                raise PermissionDenied
        else:
            actor = actor_of(request)
            if not actor.is_member:
                raise Http404
            if not actor.is_admin:
                raise PermissionDenied
        params = FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return audit_entries(AuditFilters(**params.validated_data))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return audit_labelled(page) if page is not None else None


class TokenSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "account", "role", "role_display", "prefix", "created_by", "created_at",
                  "last_used_at", "revoked_at", "is_active"]


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    role = serializers.ChoiceField(choices=Role.choices, error_messages={"invalid_choice": "角色无效。"})
    mobile = serializers.CharField(max_length=11, required=False, allow_blank=True, default="",
                                   help_text="令牌代表的账号（本县成员）；不填为本人")


class TokenCreatedSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="令牌密钥：只在此时显示一次")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]


class TokenViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TokenSerializer
    queryset = ApiToken.objects.none()  # for the OpenAPI schema only

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        if not self.actor.is_admin:
            raise PermissionDenied
        return tokens_visible_to(self.actor)

    @extend_schema(request=TokenCreateSerializer, responses={201: TokenCreatedSerializer})
    def create(self, request):
        if not self.actor.is_admin:
            raise PermissionDenied
        body = TokenCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        account = None
        if body.validated_data["mobile"]:
            account = Account.objects.filter(mobile=body.validated_data["mobile"]).first()
            if account is None:
                raise serializers.ValidationError({"mobile": ["该手机号码没有账号。"]})
        made = token_create(actor=self.actor, name=body.validated_data["name"], role=body.validated_data["role"],
                            account=account)
        data = TokenSerializer(made.token).data | {"key": made.key}
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = token_revoke(actor=self.actor, token=self.get_object())
        return Response(TokenSerializer(token).data)
