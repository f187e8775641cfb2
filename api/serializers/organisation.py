"""Serializers of the organisation context: townships, villages, venues, handling units, standards,
assessments, construction funds, the build-progress report, the county tree and re-divisions.

Writes are validated here for shape only; the services decide what is allowed and raise the Chinese
errors of the domain (see api/errors.py, which maps them to 400 and 403)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organisation.models import (
    Assessment,
    AssessmentItem,
    ConstructionFunding,
    HandlingUnit,
    Redivision,
    RedivisionLink,
    RedivisionVillageLink,
    ScheduledRedivision,
    StandardItem,
    StandardTemplate,
    Township,
    Venue,
    VenuePhoto,
    Village,
)
from organisation.services.places import township_clashes, village_clashes


class TownshipRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["id", "name", "ended_on"]


class TownshipSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Township
        fields = ["id", "name", "division_code", "kind", "kind_display", "started_on", "ended_on"]
        read_only_fields = ["ended_on"]
        validators: list = []  # clashes are the service's rule (township_clashes), asked field by field

    def validate_name(self, value: str) -> str:
        clash = township_clashes(name=value, township=self.instance).get("name")
        if clash:
            raise serializers.ValidationError(clash)
        return value

    def validate_division_code(self, value: str) -> str:
        clash = township_clashes(name="", division_code=value, township=self.instance).get("division_code")
        if clash:
            raise serializers.ValidationError(clash)
        return value


class VillageSerializer(serializers.ModelSerializer):
    township = serializers.PrimaryKeyRelatedField(queryset=Township.objects.current(), label=_("所属乡镇"))
    township_name = serializers.CharField(source="township.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Village
        fields = ["id", "township", "township_name", "name", "division_code", "kind", "kind_display", "started_on",
                  "ended_on"]
        read_only_fields = ["started_on", "ended_on"]
        validators: list = []

    def validate(self, attrs):
        township = attrs.get("township", self.instance.township if self.instance else None)
        name = attrs.get("name", self.instance.name if self.instance else "")
        clashes = village_clashes(township_id=township.pk if township else None, name=name, village=self.instance)
        if clashes:
            raise serializers.ValidationError({field: [message] for field, message in clashes.items()})
        return attrs


def photo_url(photo: VenuePhoto) -> str:
    """Photos are served by the application (per county, members only), never from a public folder."""
    return reverse("frontend:org_venue_photo", args=[photo.venue_id, photo.pk])


class VenuePhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = VenuePhoto
        fields = ["id", "url", "caption", "uploaded_at"]

    def get_url(self, photo: VenuePhoto) -> str:
        return photo_url(photo)


class VenuePhotoUploadSerializer(serializers.Serializer):
    image = serializers.FileField(label=_("照片"))  # the service checks that it is an image of ≤ 5 MB
    caption = serializers.CharField(label=_("说明"), max_length=100, required=False, allow_blank=True, default="")


class VenueSerializer(serializers.ModelSerializer):
    township = serializers.PrimaryKeyRelatedField(queryset=Township.objects.current(), required=False,
                                                  allow_null=True, label=_("所属乡镇"))
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.current(), required=False,
                                                 allow_null=True, label=_("所在村（社区）"))
    township_name = serializers.CharField(source="township.name", read_only=True, default=None, allow_null=True)
    village_name = serializers.CharField(source="village.name", read_only=True, default=None, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    stationed_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Venue
        fields = ["id", "name", "kind", "kind_display", "township", "township_name", "village", "village_name",
                  "address", "contact_name", "contact_phone", "opening_hours", "status", "status_display",
                  "description", "stationed_count"]
        validators: list = []  # venue_save validates (and gives a village station its village's township)


class StationedDeputySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="deputy.pk")
    name = serializers.CharField(source="deputy.account.name")
    started_on = serializers.DateField()


class GroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    members = serializers.SerializerMethodField()

    def get_members(self, group) -> list[dict]:
        return [{"deputy": m.deputy_id, "name": m.deputy.account.name, "role": m.role,
                 "role_display": m.get_role_display()} for m in group.members.all()]


class VenueDetailSerializer(VenueSerializer):
    photos = VenuePhotoSerializer(many=True, read_only=True)
    stationed = StationedDeputySerializer(source="current_stationings", many=True, read_only=True)
    group = serializers.SerializerMethodField()
    stars = serializers.SerializerMethodField()

    class Meta(VenueSerializer.Meta):
        fields = [*VenueSerializer.Meta.fields, "photos", "stationed", "group", "stars"]

    def get_group(self, venue: Venue) -> dict | None:
        group = getattr(venue, "group", None)  # a venue without a group raises, which getattr absorbs
        return GroupSerializer(group).data if group is not None else None

    def get_stars(self, venue: Venue) -> int | None:
        """The star rating of the latest assessment (public: it is on the plaque at the door)."""
        latest = next(iter(venue.assessments.all()), None)
        return latest.stars if latest else None


class HandlingUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "kind", "kind_display", "contact_name", "contact_phone", "is_active"]
        validators: list = []


class StandardItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = StandardItem
        fields = ["id", "order", "text", "points"]


class StandardTemplateSerializer(serializers.ModelSerializer):
    items = StandardItemSerializer(many=True, read_only=True)
    max_score = serializers.IntegerField(read_only=True)

    class Meta:
        model = StandardTemplate
        fields = ["id", "name", "description", "is_active", "max_score", "items"]


class AssessmentItemSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="item.text", read_only=True)
    points = serializers.IntegerField(source="item.points", read_only=True)

    class Meta:
        model = AssessmentItem
        fields = ["item", "text", "points", "met", "evidence"]


class AssessmentSerializer(serializers.ModelSerializer):
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    template_name = serializers.CharField(source="template.name", read_only=True)
    items = AssessmentItemSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "venue", "venue_name", "template", "template_name", "assessed_on", "assessor_id", "score",
                  "max_score", "stars", "note", "items"]


class AssessmentResultSerializer(serializers.Serializer):
    item = serializers.IntegerField(label=_("评定项目"))
    met = serializers.BooleanField(label=_("达标"))
    evidence = serializers.CharField(label=_("佐证"), max_length=500, required=False, allow_blank=True, default="")


class AssessmentCreateSerializer(serializers.Serializer):
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), label=_("站点"))
    template = serializers.PrimaryKeyRelatedField(queryset=StandardTemplate.objects.filter(is_active=True),
                                                  label=_("标准"))
    assessed_on = serializers.DateField(label=_("评定日期"))
    note = serializers.CharField(label=_("意见"), required=False, allow_blank=True, default="")
    results = AssessmentResultSerializer(many=True, label=_("评定结果"))

    def validate_results(self, results):
        items = [r["item"] for r in results]
        if len(items) != len(set(items)):
            raise serializers.ValidationError(_("同一项目不能重复评定。"))
        return results


class FundingSerializer(serializers.ModelSerializer):
    township = serializers.PrimaryKeyRelatedField(queryset=Township.objects.current(), label=_("乡镇"))
    township_name = serializers.CharField(source="township.name", read_only=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    undisbursed = serializers.SerializerMethodField()

    class Meta:
        model = ConstructionFunding
        fields = ["id", "township", "township_name", "year", "budget", "disbursed", "undisbursed", "spent", "note"]
        validators: list = []  # (township, year) is an upsert through funding_set

    def get_undisbursed(self, funding: ConstructionFunding) -> str:
        return str(funding.budget - funding.disbursed)


class ProgressRowSerializer(serializers.Serializer):
    township = TownshipRefSerializer(allow_null=True)  # null on the totals row
    central_status = serializers.CharField()
    village_planned = serializers.IntegerField()
    village_open = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=12, decimal_places=2)
    disbursed = serializers.DecimalField(max_digits=12, decimal_places=2)
    undisbursed = serializers.DecimalField(max_digits=12, decimal_places=2)
    spent = serializers.DecimalField(max_digits=12, decimal_places=2)
    spent_percent = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


class BuildProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rows = ProgressRowSerializer(many=True)
    totals = ProgressRowSerializer()


class RedivisionLinkSerializer(serializers.ModelSerializer):
    predecessor = TownshipRefSerializer()
    successor = TownshipRefSerializer()

    class Meta:
        model = RedivisionLink
        fields = ["predecessor", "successor"]


class VillageRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["id", "name", "township", "ended_on"]


class RedivisionVillageLinkSerializer(serializers.ModelSerializer):
    predecessor = VillageRefSerializer()
    successor = VillageRefSerializer()

    class Meta:
        model = RedivisionVillageLink
        fields = ["predecessor", "successor"]


class RedivisionSerializer(serializers.ModelSerializer):
    """A re-division of townships (`links`) or of villages of one township (`village_links`), by `level`."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    links = RedivisionLinkSerializer(many=True, read_only=True)
    village_links = RedivisionVillageLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Redivision
        fields = ["id", "kind", "kind_display", "level", "effective_on", "note", "created_at", "links",
                  "village_links"]


class ScheduledRedivisionSerializer(serializers.ModelSerializer):
    """A re-division registered to take effect on a later date (待生效 / 已生效 / 未能生效 / 已撤销); `summary` says
    what it does in Chinese words, `redivision` is the re-division it became once applied."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    registered_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ScheduledRedivision
        fields = ["id", "kind", "kind_display", "level", "level_display", "effective_on", "note", "summary",
                  "arguments", "status", "status_display", "registered_by", "registered_by_name", "registered_at",
                  "redivision", "failure", "decided_at"]
        read_only_fields = fields

    def get_registered_by_name(self, row) -> str | None:
        return row.registered_by.name if row.registered_by_id else None


class MergeSerializer(serializers.Serializer):
    sources = serializers.PrimaryKeyRelatedField(queryset=Township.objects.current(), many=True,
                                                 allow_empty=False, label=_("并入的乡镇"))
    into = serializers.PrimaryKeyRelatedField(queryset=Township.objects.current(), label=_("并入到"))
    effective_on = serializers.DateField(label=_("生效日期"))
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class SplitPartSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, label=_("名称"))
    kind = serializers.ChoiceField(choices=Township.Kind.choices, default=Township.Kind.STREET, label=_("类型"))
    division_code = serializers.CharField(max_length=9, required=False, allow_blank=True, default="",
                                          label=_("区划代码"))
    villages = serializers.PrimaryKeyRelatedField(queryset=Village.objects.current(), many=True,
                                                  label=_("划入的村（社区）"))
    venues = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), many=True, required=False,
                                                label=_("划入的站点"))


class SplitSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=Township.objects.current(), label=_("拆分的乡镇"))
    parts = SplitPartSerializer(many=True, label=_("新单位"))
    effective_on = serializers.DateField(label=_("生效日期"))
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class RenameSerializer(serializers.Serializer):
    township = serializers.PrimaryKeyRelatedField(queryset=Township.objects.current(), label=_("乡镇"))
    name = serializers.CharField(max_length=50, label=_("新名称"))
    division_code = serializers.CharField(max_length=9, required=False, allow_blank=True, allow_null=True,
                                          default=None, label=_("新区划代码"))
    kind = serializers.ChoiceField(choices=Township.Kind.choices, required=False, allow_null=True, default=None,
                                   label=_("新类型"))
    effective_on = serializers.DateField(label=_("生效日期"))
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class VillageMergeSerializer(serializers.Serializer):
    sources = serializers.PrimaryKeyRelatedField(queryset=Village.objects.current(), many=True,
                                                 allow_empty=False, label=_("并入的村（社区）"))
    into = serializers.PrimaryKeyRelatedField(queryset=Village.objects.current(), label=_("并入到"))
    effective_on = serializers.DateField(label=_("生效日期"))
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class VillageSplitPartSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, label=_("名称"))
    kind = serializers.ChoiceField(choices=Village.Kind.choices, required=False, allow_null=True, default=None,
                                   label=_("类型（默认同原村）"))
    division_code = serializers.CharField(max_length=12, required=False, allow_blank=True, default="",
                                          label=_("区划代码"))
    venues = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), many=True, required=False,
                                                label=_("划入的站点"))


class VillageSplitSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=Village.objects.current(), label=_("拆分的村（社区）"))
    parts = VillageSplitPartSerializer(many=True, label=_("新单位"))
    effective_on = serializers.DateField(label=_("生效日期"))
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class VillageRenameSerializer(serializers.Serializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.current(), label=_("村（社区）"))
    name = serializers.CharField(max_length=50, label=_("新名称"))
    division_code = serializers.CharField(max_length=12, required=False, allow_blank=True, allow_null=True,
                                          default=None, label=_("新区划代码"))
    kind = serializers.ChoiceField(choices=Village.Kind.choices, required=False, allow_null=True, default=None,
                                   label=_("新类型"))
    effective_on = serializers.DateField(label=_("生效日期"))
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class TreeGroupSerializer(serializers.Serializer):
    """A deputy group's officers: the leader, vice leaders and liaison officers by name."""

    name = serializers.CharField()
    leader = serializers.SerializerMethodField()
    vice_leaders = serializers.SerializerMethodField()
    liaison_officers = serializers.SerializerMethodField()

    def _names(self, group, role: str) -> list[str]:
        return [m.deputy.account.name for m in group.members.all() if m.role == role]

    def get_leader(self, group) -> str | None:
        names = self._names(group, "leader")
        return names[0] if names else None

    def get_vice_leaders(self, group) -> list[str]:
        return self._names(group, "vice_leader")

    def get_liaison_officers(self, group) -> list[str]:
        return self._names(group, "liaison_officer")


class TreeVenueSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="venue.pk")
    name = serializers.CharField(source="venue.name")
    kind = serializers.CharField(source="venue.kind")
    kind_display = serializers.CharField(source="venue.get_kind_display")
    status = serializers.CharField(source="venue.status")
    deputies = serializers.SerializerMethodField()
    group = TreeGroupSerializer(allow_null=True)

    def get_deputies(self, node) -> list[dict]:
        return [{"id": d.pk, "name": d.account.name} for d in node.deputies]


class TreeVillageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="village.pk")
    name = serializers.CharField(source="village.name")
    kind = serializers.CharField(source="village.kind")
    venues = TreeVenueSerializer(many=True)


class TreeTownshipSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="township.pk")
    name = serializers.CharField(source="township.name")
    kind = serializers.CharField(source="township.kind")
    kind_display = serializers.CharField(source="township.get_kind_display")
    venues = TreeVenueSerializer(many=True, help_text=_("乡镇一级的站点（代表之家、中心联络站等）"))
    villages = TreeVillageSerializer(many=True)


class TreeSerializer(serializers.Serializer):
    county = serializers.CharField()
    venues = TreeVenueSerializer(many=True, help_text=_("县级站点"))
    townships = TreeTownshipSerializer(many=True)
