from rest_framework import serializers

from access.models import Membership, Role, SigninRule, StaffPosition
from organisation.models import HandlingUnit, Township, Venue
from tenants.models import Account, County, RegionRole


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["id", "mobile", "name"]


class RegionRoleSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display")
    province = serializers.CharField(source="province.name")
    prefecture = serializers.CharField(source="prefecture.name", default=None, allow_null=True)  # province staff

    class Meta:
        model = RegionRole
        fields = ["role", "role_display", "province", "prefecture"]


class MembershipSerializer(serializers.ModelSerializer):
    account = AccountSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    # A role's scope: one of them, or none (an administrator, a deputy).
    township = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    venue = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    handling_unit = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = ["id", "account", "role", "role_display", "township", "venue", "handling_unit", "position",
                  "is_active", "created_at"]


class MembershipGrantSerializer(serializers.Serializer):
    """The county administrator gives a person (by mobile number) a role with its scope; the service
    (access.services.membership_grant_by_admin) checks that the scope fits the role."""

    mobile = serializers.CharField(max_length=11)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Role.choices, error_messages={"invalid_choice": "角色无效。"})
    # Every township, venue and unit of the county: the service refuses ended, closed and inactive ones
    # with a Chinese message of its own.
    township = serializers.PrimaryKeyRelatedField(queryset=Township.objects.all(), required=False,
                                                  allow_null=True, default=None)
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), required=False, allow_null=True,
                                               default=None)
    handling_unit = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), required=False,
                                                       allow_null=True, default=None)
    position = serializers.ChoiceField(choices=StaffPosition.choices, required=False, allow_blank=True,
                                       default="")


class CountySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.name")
    prefecture = serializers.CharField(source="prefecture.name", default=None, allow_null=True)  # province staff
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


class SigninRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = SigninRule
        fields = ["idle_minutes"]
        extra_kwargs = {"idle_minutes": {"required": True}}  # the model's default is not a value to PUT
