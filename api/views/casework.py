"""Casework: opinions, cases (routing, answers, merges), suggestions and their workflow actions, routing
rules, categories, units' scorecards (the upper tiers' escalation inbox: api.views.escalations).

Rows come from casework.selectors (role + scope, guardian grants for handling units); the services decide
who may do what: visible but not allowed answers 403, out of reach 404.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a non-number id is a 404, not a 500
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from access.scope import require
from api.serializers import casework as s
from api.serializers.filters import CaseQuery, SuggestionQuery, YearQuery
from api.views.base import CountyAPI, query
from casework import services
from casework.models import Case, CaseworkRule, ExtensionRequest, Opinion, OpinionCategory, RoutingRule, Suggestion
from casework.selectors import (
    case_detail,
    cases_filtered,
    cases_visible_to,
    constituents_disclosed,
    escalation_of,
    reads_scorecards,
    scorecard_units,
    scorecards_xlsx,
    suggestion_detail,
    suggestions_visible_to,
    unit_scorecards,
)
from core.xlsx import XLSX_CONTENT_TYPE, xlsx_attachment
from organisation.models import HandlingUnit, Village
from people.models import Deputy


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _deputy(pk: int | None) -> Deputy | None:
    return get_object_or_404(Deputy, pk=pk) if pk else None


class CategoryViewSet(CountyAPI, mixins.ListModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """意见类别（默认为001号材料的九类），县人大常委会可修改。"""

    serializer_class = s.CategorySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = OpinionCategory.objects.none()

    def get_queryset(self):
        return OpinionCategory.objects.all() if self.actor.is_member else OpinionCategory.objects.none()

    def perform_create(self, serializer):
        serializer.instance = services.category_save(actor=self.actor, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.category_save(actor=self.actor, category=serializer.instance,
                                                     **serializer.validated_data)


class RoutingRuleViewSet(CountyAPI, mixins.ListModelMixin, viewsets.GenericViewSet):
    """按管辖权分办的规则（004 篇三），以及办理期限。"""

    serializer_class = s.RoutingRuleSerializer
    queryset = RoutingRule.objects.none()

    def get_queryset(self):
        return RoutingRule.objects.all() if self.actor.is_member else RoutingRule.objects.none()

    @extend_schema(responses={200: s.RoutingRuleSerializer})  # one rule per jurisdiction: saved over, so a 200
    def create(self, request):
        serializer = s.RoutingRuleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = services.routing_rule_save(actor=self.actor, **serializer.validated_data)
        return Response(s.RoutingRuleSerializer(rule).data)

    @extend_schema(methods=["GET"], responses=s.DeadlineRuleSerializer)
    # PUT sets the figures it names: every field optional (partial).
    @extend_schema(methods=["PUT"], request=s.DeadlineRuleSerializer(partial=True), responses=s.DeadlineRuleSerializer)
    @action(detail=False, methods=["get", "put"])
    def deadlines(self, request):
        require(self.actor.is_member)
        if request.method == "PUT":
            serializer = s.DeadlineRuleSerializer(data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            return Response(s.DeadlineRuleSerializer(
                services.casework_rule_update(actor=self.actor, **serializer.validated_data)).data)
        return Response(s.DeadlineRuleSerializer(CaseworkRule.current()).data)


class OpinionViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """社情民意：各渠道收集的选民意见；每条意见形成（或并入）一个案件。"""

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = s.OpinionSerializer
    queryset = Opinion.objects.none()

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        qs = (Opinion.objects.filter(case__in=cases_visible_to(self.actor).values("pk"))
              .select_related("case", "category").order_by("-received_on", "-pk"))
        if self.action == "retrieve":
            qs = qs.prefetch_related("attachments")
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "actor": self.actor}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "disclosed": constituents_disclosed(self.actor, page)}
        return self.get_paginated_response(s.OpinionSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        opinion = self.get_object()
        context = {**self.get_serializer_context(), "disclosed": constituents_disclosed(self.actor, [opinion])}
        return Response(s.OpinionSerializer(opinion, context=context).data)

    @extend_schema(request=s.OpinionCreateSerializer, responses={201: s.OpinionSerializer})
    def create(self, request):
        serializer = s.OpinionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        village = get_object_or_404(Village, pk=data.pop("village")) if data.get("village") else None
        data.pop("village", None)
        deputy = _deputy(data.pop("deputy"))
        opinion = services.opinion_receive(actor=self.actor, village=village, deputy=deputy, **data)
        return Response(s.OpinionSerializer(opinion, context={"actor": self.actor}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": s.AttachmentSerializer}, responses={201: None})
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        opinion = self.get_object()
        serializer = s.AttachmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.opinion_attach(actor=self.actor, opinion=opinion,
                                             upload=serializer.validated_data["file"])
        return Response({"id": attachment.pk, "kind": attachment.kind, "size": attachment.size},
                        status=status.HTTP_201_CREATED)


class CaseViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """案件：分办、答复、并案、办结；详情含意见、流转记录和上报进展。"""

    serializer_class = s.CaseSerializer
    queryset = Case.objects.none()

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        qs = cases_visible_to(self.actor)
        if self.action == "list":
            f = query(CaseQuery, self.request)
            qs = cases_filtered(qs, status=f.get("status", ""), category=f.get("category"),
                                township=f.get("township"), village=f.get("village"), q=f.get("q", ""),
                                overdue_on=timezone.localdate() if f.get("overdue") else None)
        return qs

    @extend_schema(parameters=[CaseQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=s.CaseDetailSerializer)
    def retrieve(self, request, pk=None):
        try:
            case = case_detail(self.actor, _int(pk) or 0)
        except Case.DoesNotExist:
            raise Http404 from None
        return Response(self._detail(case))

    def _detail(self, case: Case) -> dict:
        case = case_detail(self.actor, case.pk)
        disclosed = constituents_disclosed(self.actor, list(case.opinions.all()))
        context = {"actor": self.actor, "escalation": escalation_of(case), "disclosed": disclosed}
        return s.CaseDetailSerializer(case, context=context).data

    @extend_schema(request=s.RouteSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        case = self.get_object()
        serializer = s.RouteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = services.case_route(actor=self.actor, case=case, lead_deputy=_deputy(data.pop("lead_deputy")), **data)
        return Response(self._detail(case))

    @extend_schema(request=s.AnswerTextSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        case = self.get_object()
        serializer = s.AnswerTextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(self._detail(services.case_answer(actor=self.actor, case=case, **serializer.validated_data)))

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        serializer = s.RequiredReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(self._detail(services.case_close(actor=self.actor, case=case, **serializer.validated_data)))

    @extend_schema(request=s.CaseMergeSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        case = self.get_object()
        serializer = s.CaseMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        others = list(cases_visible_to(self.actor).filter(pk__in=serializer.validated_data["others"]))
        require(len(others) == len(set(serializer.validated_data["others"])))
        case = services.case_merge(actor=self.actor, case=case, others=others,
                                   reason=serializer.validated_data["reason"])
        return Response(self._detail(case))


class SuggestionViewSet(CountyAPI, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """代表建议、批评和意见：立案、交办、退回、督办、答复、评价、重新办理、延期、办结。"""

    serializer_class = s.SuggestionSerializer
    queryset = Suggestion.objects.none()

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        qs = suggestions_visible_to(self.actor).order_by("-submitted_on", "-pk")
        if self.action == "list":
            f = query(SuggestionQuery, self.request)
            if "status" in f:
                qs = qs.filter(status=f["status"])
            if "unit" in f:
                qs = qs.filter(lead_unit_id=f["unit"])
        return qs

    @extend_schema(parameters=[SuggestionQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _detail(self, pk: int) -> dict:
        try:
            return s.SuggestionDetailSerializer(suggestion_detail(self.actor, pk), context={"actor": self.actor}).data
        except Suggestion.DoesNotExist:  # a unit that returned the item no longer reads it
            return {"id": pk, "status": Suggestion.objects.values_list("status", flat=True).get(pk=pk)}

    @extend_schema(responses=s.SuggestionDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(self._detail(self.get_object().pk))

    @extend_schema(request=s.SuggestionCreateSerializer, responses={201: s.SuggestionDetailSerializer})
    def create(self, request):
        serializer = s.SuggestionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lead = get_object_or_404(Deputy, pk=data.pop("lead_deputy"))
        cosigners = list(Deputy.objects.filter(pk__in=data.pop("cosigners")))
        suggestion = services.suggestion_submit(actor=self.actor, lead_deputy=lead, cosigners=cosigners, **data)
        return Response(self._detail(suggestion.pk), status=status.HTTP_201_CREATED)

    def _act(self, request, serializer_class, service, **extra):
        suggestion = self.get_object()
        data = {}
        if serializer_class is not None:
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
        service(actor=self.actor, suggestion=suggestion, **data, **extra)
        return Response(self._detail(suggestion.pk))

    @extend_schema(request=s.ReasonSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        return self._act(request, s.ReasonSerializer, services.suggestion_register)

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._act(request, s.RequiredReasonSerializer, services.suggestion_refuse)

    @extend_schema(request=s.AssignSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lead = get_object_or_404(HandlingUnit, pk=data["lead_unit"])
        co = list(HandlingUnit.objects.filter(pk__in=data["co_units"]))
        services.suggestion_assign(actor=self.actor, suggestion=suggestion, lead_unit=lead, co_units=co,
                                   assigned_on=data["assigned_on"])
        return Response(self._detail(suggestion.pk))

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._act(request, s.RequiredReasonSerializer, services.suggestion_return)

    @extend_schema(request=s.SuggestionAnswerSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._act(request, s.SuggestionAnswerSerializer, services.suggestion_answer)

    @extend_schema(request=s.RateSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._act(request, s.RateSerializer, services.suggestion_rate)

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(request, s.RequiredReasonSerializer, services.suggestion_close)

    @extend_schema(request=s.SupervisionSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def supervision(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.SupervisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = get_object_or_404(HandlingUnit, pk=data.pop("responsible_unit"))
        services.supervision_card_set(actor=self.actor, suggestion=suggestion, responsible_unit=unit, **data)
        return Response(self._detail(suggestion.pk))

    @extend_schema(request=s.ExtensionSerializer, responses={201: s.SuggestionDetailSerializer})
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.ExtensionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.extension_request(actor=self.actor, suggestion=suggestion, **serializer.validated_data)
        return Response(self._detail(suggestion.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DecisionSerializer, responses=s.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="extension-decision")
    def extension_decision(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        require(self.actor.is_admin)
        extension = get_object_or_404(ExtensionRequest, suggestion=suggestion, status=ExtensionRequest.Status.PENDING)
        services.extension_decide(actor=self.actor, extension=extension, **serializer.validated_data)
        return Response(self._detail(suggestion.pk))


class UnitScoreViewSet(CountyAPI, viewsets.GenericViewSet):
    """承办单位年度办理质量得分（按时答复率与代表满意度各占一半，003）。"""

    serializer_class = s.ScorecardSerializer
    queryset = HandlingUnit.objects.none()
    pagination_class = None  # one scorecard per unit, all of them

    def _cards(self, request) -> tuple[int, list]:
        require(reads_scorecards(self.actor))
        year = query(YearQuery, request).get("year") or timezone.localdate().year
        return year, unit_scorecards(units=scorecard_units(self.actor), year=year)

    @extend_schema(parameters=[YearQuery], responses=s.ScorecardSerializer(many=True))
    def list(self, request):
        _year, cards = self._cards(request)
        return Response(s.ScorecardSerializer(cards, many=True).data)

    @extend_schema(summary="导出承办单位办理质量得分（.xlsx）", parameters=[YearQuery],
                   responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def export(self, request):
        """与列表相同的得分表（办理规则页面的表格），中文表头，一个单位一行。"""
        year, cards = self._cards(request)
        return xlsx_attachment(scorecards_xlsx(cards, year=year), filename=f"unit-scores-{year}.xlsx")
