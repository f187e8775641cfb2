from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from access.models import Membership, SigninRule
from access.scope import require
from access.selectors import memberships_visible_to
from access.services import membership_grant_by_admin, membership_revoke_by_admin, signin_rule_update
from access.signin import account_unlock
from api.permissions import PlatformHostOnly
from api.serializers import CountySerializer, MembershipSerializer, MeSerializer
from api.serializers.accounts import MembershipGrantSerializer, SigninRuleSerializer
from api.serializers.filters import MembershipQuery
from api.views.base import CountyAPI, query
from people.actors import actor_of
from tenants.models import County
from tenants.selectors import counties_visible_to


class MeView(APIView):
    """Who the caller is here: their account, and their roles on this host."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        public = request.tenant.is_public
        data = {
            "account": user,
            "county": None if public else request.tenant.name,
            "roles": [] if public else sorted(actor_of(request).roles),
            "region_roles": user.region_roles.select_related("province", "prefecture") if public else [],
        }
        return Response(MeSerializer(data).data)


class SigninRuleView(CountyAPI, APIView):
    """The county's sign-in rule: how long a staff session may sit idle. The county administrator's."""

    @extend_schema(responses=SigninRuleSerializer)
    def get(self, request):
        require(self.actor.is_admin)
        return Response(SigninRuleSerializer(SigninRule.current()).data)

    @extend_schema(request=SigninRuleSerializer, responses=SigninRuleSerializer)
    def put(self, request):
        require(self.actor.is_admin)
        serializer = SigninRuleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = signin_rule_update(actor=self.actor, idle_minutes=serializer.validated_data["idle_minutes"])
        return Response(SigninRuleSerializer(rule).data)


class CurrentCountyView(CountyAPI, generics.RetrieveAPIView):
    """The county this host serves."""

    serializer_class = CountySerializer

    def get_object(self):
        return self.request.tenant


class MembershipViewSet(CountyAPI, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Who holds which role in this county. Everyone sees their own; the county administrator sees
    every membership, grants roles (POST), takes them away (POST .../revoke/) and unlocks a member's
    account after failed sign-ins (POST .../unlock/)."""

    serializer_class = MembershipSerializer

    queryset = Membership.objects.none()  # for the OpenAPI schema only

    def get_queryset(self):
        if self.swagger():
            return self.queryset
        qs = memberships_visible_to(self.actor).select_related(
            "township", "venue", "handling_unit")
        if self.action == "list" and (role := query(MembershipQuery, self.request).get("role")):
            qs = qs.filter(role=role)
        return qs

    @extend_schema(parameters=[MembershipQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MembershipGrantSerializer, responses={201: MembershipSerializer})
    def create(self, request, *args, **kwargs):
        actor = self.actor
        if not actor.is_admin:  # refuse before reading the body: nobody else learns what it should hold
            raise exceptions.PermissionDenied()
        grant = MembershipGrantSerializer(data=request.data)
        grant.is_valid(raise_exception=True)
        membership = membership_grant_by_admin(actor=actor, **grant.validated_data)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        membership = self.get_object()  # 404 outside what the caller sees
        membership_revoke_by_admin(actor=self.actor, membership=membership)
        membership.refresh_from_db()
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        """The county administrator lifts the sign-in lock of this member's account (5 failures lock it)."""
        membership = self.get_object()
        account_unlock(actor=self.actor, account=membership.account)
        return Response(MembershipSerializer(membership).data)


class CountyViewSet(viewsets.ReadOnlyModelViewSet):
    """Counties within the caller's region (platform host)."""

    serializer_class = CountySerializer
    permission_classes = [IsAuthenticated, PlatformHostOnly]

    queryset = County.objects.none()  # for the OpenAPI schema only

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return counties_visible_to(account=self.request.user)
