from drf_spectacular.utils import extend_schema
from rest_framework import generics, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from access.models import Membership
from access.selectors import memberships_visible_to, roles_of
from api.permissions import CountyHostOnly, PlatformHostOnly
from api.serializers import CountySerializer, MembershipSerializer, MeSerializer
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
            "roles": [] if public else sorted(roles_of(account_id=user.pk)),
            "region_roles": user.region_roles.select_related("province", "prefecture") if public else [],
        }
        return Response(MeSerializer(data).data)


class CurrentCountyView(generics.RetrieveAPIView):
    """The county this host serves."""

    serializer_class = CountySerializer
    permission_classes = [IsAuthenticated, CountyHostOnly]

    def get_object(self):
        return self.request.tenant


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MembershipSerializer
    permission_classes = [IsAuthenticated, CountyHostOnly]

    queryset = Membership.objects.none()  # for the OpenAPI schema only

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return memberships_visible_to(account_id=self.request.user.pk)


class CountyViewSet(viewsets.ReadOnlyModelViewSet):
    """Counties within the caller's region (platform host)."""

    serializer_class = CountySerializer
    permission_classes = [IsAuthenticated, PlatformHostOnly]

    queryset = County.objects.none()  # for the OpenAPI schema only

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return counties_visible_to(account=self.request.user)
