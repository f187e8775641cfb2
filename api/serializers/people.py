"""The people context's API shapes: a deputy's public card and full record, mandates, stationing,
groups and pairing.

Which shape a caller gets is decided by the views from the selectors (deputies_managed_by); the
serializers never look at the caller themselves.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.files import mask_mobile
from core.levels import Level, MandateStatus
from organisation.models import Township, Venue
from people.models import Deputy, GroupMember, Mandate, Pairing, Stationing
from tenants.models.validators import mobile_validator

LEVEL_ORDER = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP]
LEVEL_LABELS = dict(Level.choices)




def serving_levels(deputy: Deputy) -> list[str]:
    """Serving levels, highest first: county and township mandates from the prefetched rows, province
    and prefecture ones from the `region_levels` annotation (see the views) when present."""
    found = {m.level for m in deputy.mandates.all() if m.status == MandateStatus.SERVING}
    found |= set(getattr(deputy, "region_levels", None) or [])
    return [level.value for level in LEVEL_ORDER if level in found]


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DeputyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="account.name")


class LevelSerializer(serializers.Serializer):
    def to_representation(self, level):
        return {"level": level, "label": str(LEVEL_LABELS[level])}


class CurrentStationSerializer(serializers.ModelSerializer):
    venue = serializers.IntegerField(source="venue_id")
    venue_name = serializers.CharField(source="venue.name")

    class Meta:
        model = Stationing
        fields = ["id", "venue", "venue_name", "started_on"]


class StationingSerializer(serializers.ModelSerializer):
    venue = serializers.IntegerField(source="venue_id", read_only=True)
    venue_name = serializers.CharField(source="venue.name", read_only=True)

    class Meta:
        model = Stationing
        fields = ["id", "venue", "venue_name", "started_on", "ended_on"]


class MandateSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    township = serializers.IntegerField(source="township_id", allow_null=True, read_only=True)
    township_name = serializers.CharField(source="township.name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Mandate
        fields = ["id", "level", "level_display", "term", "township", "township_name", "electoral_district",
                  "status", "status_display", "started_on", "ended_on"]


class GroupMembershipSerializer(serializers.ModelSerializer):
    venue = serializers.IntegerField(source="group.venue_id")
    group = serializers.CharField(source="group.name")
    role_display = serializers.CharField(source="get_role_display")

    class Meta:
        model = GroupMember
        fields = ["venue", "group", "role", "role_display"]


class DeputyCardSerializer(serializers.ModelSerializer):
    """What every member of the county (and, through the directory, the public) may know of a deputy."""

    name = serializers.CharField(source="account.name")
    mobile = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField()
    stations = CurrentStationSerializer(source="current_stationings", many=True)
    photo = serializers.SerializerMethodField()
    gender_display = serializers.CharField(source="get_gender_display")
    full_record = serializers.SerializerMethodField()

    class Meta:
        model = Deputy
        fields = ["id", "name", "gender", "gender_display", "employer", "levels", "stations", "public_phone",
                  "mobile", "photo", "bio", "full_record"]

    def get_mobile(self, deputy: Deputy) -> str:
        return mask_mobile(deputy.account.mobile)

    def get_levels(self, deputy: Deputy) -> list[dict]:
        return [LevelSerializer().to_representation(level) for level in serving_levels(deputy)]

    def get_photo(self, deputy: Deputy) -> str | None:
        return reverse("frontend:deputy_photo", args=[deputy.pk]) if deputy.photo else None

    def get_full_record(self, deputy: Deputy) -> bool:
        return False


class DeputyRecordSerializer(DeputyCardSerializer):
    """The full record, for those who manage the deputy (and the deputy themself)."""

    mandates = MandateSerializer(many=True)
    birth_date = serializers.DateField(allow_null=True)

    class Meta(DeputyCardSerializer.Meta):
        fields = [*DeputyCardSerializer.Meta.fields, "id_number", "ethnicity", "birth_date", "mandates"]

    def get_mobile(self, deputy: Deputy) -> str:
        return deputy.account.mobile

    def get_full_record(self, deputy: Deputy) -> bool:
        return True


class DeputyRecordDetailSerializer(DeputyRecordSerializer):
    """The full record with the history: every stationing (ended ones too) and group roles."""

    stationings = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()

    class Meta(DeputyRecordSerializer.Meta):
        fields = [*DeputyRecordSerializer.Meta.fields, "stationings", "groups"]

    def get_stationings(self, deputy: Deputy) -> list[dict]:
        rows = deputy.stationings.select_related("venue").order_by("-started_on", "-pk")
        return StationingSerializer(rows, many=True).data

    def get_groups(self, deputy: Deputy) -> list[dict]:
        rows = deputy.group_memberships.select_related("group").order_by("group__name")
        return GroupMembershipSerializer(rows, many=True).data


class DeputyCardDetailSerializer(DeputyCardSerializer):
    groups = serializers.SerializerMethodField()

    class Meta(DeputyCardSerializer.Meta):
        fields = [*DeputyCardSerializer.Meta.fields, "groups"]

    def get_groups(self, deputy: Deputy) -> list[dict]:
        rows = deputy.group_memberships.select_related("group").order_by("group__name")
        return GroupMembershipSerializer(rows, many=True).data


class DeputyWriteSerializer(serializers.Serializer):
    """Fields a write may carry; the service decides who may change which of them."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18, allow_blank=True, required=False)
    gender = serializers.ChoiceField(choices=Deputy.Gender.choices, allow_blank=True, required=False)
    ethnicity = serializers.CharField(max_length=20, allow_blank=True, required=False)
    birth_date = serializers.DateField(allow_null=True, required=False)
    employer = serializers.CharField(max_length=200, allow_blank=True, required=False)
    public_phone = serializers.CharField(max_length=30, allow_blank=True, required=False)
    bio = serializers.CharField(allow_blank=True, required=False)
    # Pillow reads it here; the service checks its type and size (JPEG, PNG or WEBP, at most 5 MB).
    photo = serializers.ImageField(allow_null=True, required=False)

    def validate_id_number(self, value: str) -> str:
        return value.strip().upper()


class DeputyCreateSerializer(DeputyWriteSerializer):
    mobile = serializers.CharField(max_length=11, validators=[mobile_validator])


class MandateWriteSerializer(serializers.Serializer):
    # All four levels are accepted here, so that the service explains why province and prefecture
    # mandates are not recorded by a county.
    level = serializers.ChoiceField(choices=Level.choices)
    term = serializers.IntegerField(min_value=1, max_value=99)
    township = serializers.PrimaryKeyRelatedField(queryset=Township.objects.all(), allow_null=True, required=False)
    electoral_district = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    status = serializers.ChoiceField(choices=MandateStatus.choices, required=False, default=MandateStatus.SERVING)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True, required=False, default=None)

    def validate(self, attrs):
        # The service checks this too, but only after deciding who may add the mandate, which for a
        # township's staff depends on the township: a missing one would read as "no permission".
        if attrs["level"] == Level.TOWNSHIP and not attrs.get("township"):
            raise serializers.ValidationError({"township": [_("乡镇级代表须选择所属乡镇。")]})
        return attrs


class StationingWriteSerializer(serializers.Serializer):
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.none())
    started_on = serializers.DateField()

    def __init__(self, *args, venues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if venues is not None:
            self.fields["venue"].queryset = venues


class EndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class GroupMemberWriteSerializer(serializers.Serializer):
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.none())
    role = serializers.ChoiceField(choices=GroupMember.Role.choices)

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deputies is not None:
            self.fields["deputy"].queryset = deputies


class GroupMemberSerializer(serializers.ModelSerializer):
    deputy = serializers.IntegerField(source="deputy_id")
    name = serializers.CharField(source="deputy.account.name")
    role_display = serializers.CharField(source="get_role_display")

    class Meta:
        model = GroupMember
        fields = ["deputy", "name", "role", "role_display"]


class VenueGroupSerializer(serializers.ModelSerializer):
    """A venue's deputy group (代表小组); a venue with no group yet shows no name and no members."""

    venue = serializers.IntegerField(source="pk")
    venue_name = serializers.CharField(source="name")
    kind_display = serializers.CharField(source="get_kind_display")
    township = serializers.IntegerField(source="township_id", allow_null=True)
    group = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = Venue
        fields = ["venue", "venue_name", "kind", "kind_display", "township", "group", "members"]

    def _group(self, venue: Venue):
        try:
            return venue.group
        except Venue.group.RelatedObjectDoesNotExist:
            return None

    def get_group(self, venue: Venue) -> str | None:
        group = self._group(venue)
        return group.name if group else None

    def get_members(self, venue: Venue) -> list[dict]:
        group = self._group(venue)
        if group is None:
            return []
        members = sorted(group.members.all(), key=lambda m: (_ROLE_ORDER[m.role], m.deputy.account.name))
        return GroupMemberSerializer(members, many=True).data


_ROLE_ORDER = {role: index for index, role in enumerate(GroupMember.Role.values)}


class PairingSerializer(serializers.ModelSerializer):
    county_deputy = DeputyRefSerializer()
    township_deputy = DeputyRefSerializer()

    class Meta:
        model = Pairing
        fields = ["id", "county_deputy", "township_deputy", "started_on", "ended_on"]


class PairingCreateSerializer(serializers.Serializer):
    county_deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.none())
    township_deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.none())
    started_on = serializers.DateField()

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deputies is not None:
            self.fields["county_deputy"].queryset = deputies
            self.fields["township_deputy"].queryset = deputies

    def validate(self, attrs):
        if attrs["county_deputy"] == attrs["township_deputy"]:
            raise serializers.ValidationError({"township_deputy": _("不能与本人结对。")})
        return attrs


class StartedOnSerializer(serializers.Serializer):
    started_on = serializers.DateField()


class ProposalPairSerializer(serializers.Serializer):
    county_deputy = DeputyRefSerializer()
    township_deputy = DeputyRefSerializer()


class LoadSerializer(serializers.Serializer):
    deputy = DeputyRefSerializer()
    pairings = serializers.IntegerField()


class PairingRuleSerializer(serializers.Serializer):
    township_deputies_per_county_deputy = serializers.IntegerField()
    pair_contacts_per_year = serializers.IntegerField()
    presidium_visits_per_year = serializers.IntegerField()
    voter_contacts_per_deputy = serializers.IntegerField()


class PairContactsSerializer(serializers.Serializer):
    """A current pairing's pair contacts and presidium visits this year (from duties), each against its own
    yearly figure in the pairing rule."""

    pairing = serializers.IntegerField(source="pk")
    county_deputy = DeputyRefSerializer()
    township_deputy = DeputyRefSerializer()
    contacts = serializers.IntegerField()
    required = serializers.IntegerField()
    met = serializers.BooleanField()
    presidium_visits = serializers.IntegerField()
    presidium_visits_required = serializers.IntegerField()
    presidium_visits_met = serializers.BooleanField()


class ComplianceSerializer(serializers.Serializer):
    rule = PairingRuleSerializer()
    limit = serializers.IntegerField()
    county_deputies = serializers.IntegerField()
    township_deputies = serializers.IntegerField()
    unpaired = DeputyRefSerializer(many=True)
    over_limit = LoadSerializer(many=True)
    load = LoadSerializer(many=True)
    contacts = PairContactsSerializer(many=True)
    contacts_year = serializers.IntegerField()


SELF_EDIT_REFUSED = gettext_lazy("您只能修改本人的简介、公开联系电话和照片。")
