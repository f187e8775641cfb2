from rest_framework import serializers

from access.models import Membership
from tenants.models import Account, County, RegionRole


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["id", "mobile", "name"]


class RegionRoleSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display")
    province = serializers.CharField(source="province.name")
    prefecture = serializers.CharField(source="prefecture.name", default=None)

    class Meta:
        model = RegionRole
        fields = ["role", "role_display", "province", "prefecture"]


class MembershipSerializer(serializers.ModelSerializer):
    account = AccountSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "account", "role", "role_display", "is_active", "created_at"]


class CountySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.name")
    prefecture = serializers.CharField(source="prefecture.name", default=None)
    domains = serializers.SerializerMethodField()

    class Meta:
        model = County
        fields = ["id", "name", "division_code", "slug", "province", "prefecture", "status", "domains"]

    def get_domains(self, county: County) -> list[str]:
        return [d.domain for d in county.domains.all()]


class MeSerializer(serializers.Serializer):
    account = AccountSerializer()
    county = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    region_roles = RegionRoleSerializer(many=True)
