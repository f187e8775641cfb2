"""上级人大收件箱（平台域名）: the upper tiers' escalated items, each step a tenants.orchestration.escalations
service; what each account may do now is tenants.actions (listed per item as `actions`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.permissions import PlatformHostOnly
from api.serializers import escalations as s
from tenants.actions import escalations_actions
from tenants.models import Escalation
from tenants.orchestration import escalations as steps
from tenants.selectors import escalations_visible_to


class EscalationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """上级人大收件箱（平台域名）：县里逐级上报的事项；受理、转送、退回、交办、起草与审核答复；进展与答复回到县里的案件和选民。
    列表按上报时间倒序分页（page、page_size 不超过 50），可按 status 筛选。"""

    permission_classes = [IsAuthenticated, PlatformHostOnly]
    serializer_class = s.EscalationSerializer
    queryset = Escalation.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        qs = escalations_visible_to(self.request.user).order_by("-created_at", "-pk")
        status = self.request.query_params.get("status")
        if self.action == "list" and status in Escalation.Status.values:
            qs = qs.filter(status=status)
        return qs.prefetch_related("updates") if self.action != "list" else qs

    def get_serializer_class(self):
        return s.EscalationDetailSerializer if self.action != "list" else s.EscalationSerializer

    def list(self, request, *args, **kwargs):
        page = list(self.paginate_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "page_actions": escalations_actions(request.user, page)}
        return self.get_paginated_response(s.EscalationSerializer(page, many=True, context=context).data)

    def _step(self, service, body_class, **extra):
        escalation = self.get_object()
        body = body_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        service(account=self.request.user, escalation=escalation, **body.validated_data, **extra)
        fresh = Escalation.objects.select_related("county", "province", "prefecture").prefetch_related(
            "updates").get(pk=escalation.pk)
        return Response(s.EscalationDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=s.TextSerializer, responses={201: s.EscalationDetailSerializer})
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        response = self._step(steps.escalation_update, s.TextSerializer)
        response.status_code = 201
        return response

    @extend_schema(request=s.AnswerSerializer, responses=s.EscalationDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(steps.escalation_answer, s.AnswerSerializer)

    @extend_schema(request=None, responses=s.EscalationDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(steps.escalation_accept, s.EmptySerializer)

    @extend_schema(request=s.EscalationReasonSerializer, responses=s.EscalationDetailSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        return self._step(steps.escalation_forward, s.EscalationReasonSerializer)

    @extend_schema(request=s.EscalationReasonSerializer, responses=s.EscalationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_county(self, request, pk=None):
        return self._step(steps.escalation_return, s.EscalationReasonSerializer)

    @extend_schema(request=s.UnitsSerializer, responses=s.EscalationDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(steps.escalation_assign, s.UnitsSerializer)

    @extend_schema(request=s.TextSerializer, responses=s.EscalationDetailSerializer)
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        return self._step(steps.escalation_draft, s.TextSerializer)

    @extend_schema(request=None, responses=s.EscalationDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(steps.escalation_approve, s.EmptySerializer)

    @extend_schema(request=s.EscalationReasonSerializer, responses=s.EscalationDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(steps.escalation_reject, s.EscalationReasonSerializer)
