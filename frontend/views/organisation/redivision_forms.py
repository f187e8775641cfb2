"""Forms of the re-division page: the county's townships (撤乡并镇) and the villages of one township (撤并村).
They check the shape of the input; the services (organisation.services.redivision, .village_redivision)
decide the rest, and their Chinese errors are put back on these forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisation.models import Township, Venue, Village
from organisation.models.places import township_code_validator, village_code_validator
from organisation.services.places import village_clashes

from .forms import DATE

NUMERIC = {"inputmode": "numeric"}


def _effective_on() -> forms.DateField:
    return forms.DateField(label=_("生效日期"), widget=DATE, help_text=_(
        "填写今天或以前的日期，立即生效；填写今后的日期，登记为待生效的区划调整，到当日自动生效。"))


def _note() -> forms.CharField:
    return forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def current_townships():
    return Township.objects.current().order_by("division_code", "name")


def current_villages(township: Township):
    return township.villages.current().order_by("division_code", "name")


class OfTownship:
    """A village form's choices (`units`): the current villages of the township chosen in step one."""

    def __init__(self, *args, township: Township, **kwargs):
        self.township = township
        super().__init__(*args, **kwargs)

    def units(self):
        return current_villages(self.township)


class MergeForm(forms.Form):
    """Sources folded into one existing unit: here the county's townships."""

    sources = forms.ModelMultipleChoiceField(label=_("撤销并入的乡镇"), queryset=Township.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    into = forms.ModelChoiceField(label=_("并入到"), queryset=Township.objects.none())
    effective_on = _effective_on()
    note = _note()
    form_prefix = "merge"
    into_itself = _("不能把乡镇并入它自己。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=self.form_prefix, **kwargs)
        self.fields["sources"].queryset = self.fields["into"].queryset = self.units()

    def units(self):
        return current_townships()

    def clean(self):
        data = super().clean()
        if data.get("into") and data.get("sources") and data["into"] in data["sources"]:
            self.add_error("sources", self.into_itself)
        return data


class VillageMergeForm(OfTownship, MergeForm):
    """One township's villages folded into one of them."""

    sources = forms.ModelMultipleChoiceField(label=_("撤销并入的村（社区）"), queryset=Village.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    into = forms.ModelChoiceField(label=_("并入到"), queryset=Village.objects.none())
    form_prefix = "vmerge"
    into_itself = _("不能把村（社区）并入它自己。")


class RenameForm(forms.Form):
    township = forms.ModelChoiceField(label=_("乡镇（街道）"), queryset=Township.objects.none())
    name = forms.CharField(label=_("新名称"), max_length=50)
    kind = forms.ChoiceField(label=_("新类型"), choices=[("", _("不变")), *Township.Kind.choices], required=False)
    division_code = forms.CharField(label=_("新区划代码"), max_length=9, required=False,
                                    help_text=_("留空则沿用原代码"), validators=[township_code_validator],
                                    widget=forms.TextInput(attrs=NUMERIC))
    effective_on = _effective_on()
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="rename", **kwargs)
        self.fields["township"].queryset = current_townships()

    def clean(self):
        data = super().clean()
        if data.get("township") and data.get("name"):
            if Township.objects.current().filter(name=data["name"]).exclude(pk=data["township"].pk).exists():
                self.add_error("name", _("已有同名的乡镇（街道）。"))
        return data


class VillageRenameForm(forms.Form):
    village = forms.ModelChoiceField(label=_("村（社区）"), queryset=Village.objects.none())
    name = forms.CharField(label=_("新名称"), max_length=50)
    kind = forms.ChoiceField(label=_("新类型"), choices=[("", _("不变")), *Village.Kind.choices], required=False)
    division_code = forms.CharField(label=_("新区划代码"), max_length=12, required=False,
                                    help_text=_("留空则沿用原代码"), validators=[village_code_validator],
                                    widget=forms.TextInput(attrs=NUMERIC))
    effective_on = _effective_on()
    note = _note()

    def __init__(self, *args, township: Township, **kwargs):
        super().__init__(*args, prefix="vrename", **kwargs)
        self.fields["village"].queryset = current_villages(township)

    def clean(self):
        data = super().clean()
        village = data.get("village")
        if village is not None and data.get("name"):
            for field, message in village_clashes(township_id=village.township_id, name=data["name"],
                                                  village=village).items():
                self.add_error(field, message)
        return data


class VillageTownshipForm(forms.Form):
    """Step one of a village re-division: the township whose villages it re-divides."""

    township = forms.ModelChoiceField(label=_("村（社区）所属乡镇（街道）"), queryset=Township.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="village", **kwargs)
        self.fields["township"].queryset = current_townships()


class SplitSourceForm(forms.Form):
    source = forms.ModelChoiceField(label=_("拆分的乡镇"), queryset=Township.objects.none())
    parts = forms.IntegerField(label=_("拆分为几个新单位"), min_value=2, max_value=6, initial=2)
    form_prefix = "split"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=self.form_prefix, **kwargs)
        self.fields["source"].queryset = self.units()

    def units(self):
        return current_townships()


class VillageSplitSourceForm(OfTownship, SplitSourceForm):
    source = forms.ModelChoiceField(label=_("拆分的村（社区）"), queryset=Village.objects.none())
    form_prefix = "vsplit"


class SplitForm(forms.Form):
    """A split's second step: the new units (name, kind, code) and, for each of the source's items (here its
    villages), the unit it goes to."""

    effective_on = _effective_on()
    note = _note()
    kinds = Township.Kind.choices
    code_length, code_validator = 9, township_code_validator
    item_key = "villages"  # the services' name for what each part takes
    items_required = True  # every village is placed; a venue left out goes to the first part
    name_taken = _("已有同名的乡镇（街道）。")

    def __init__(self, *args, source, parts: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.source, self.part_count = source, parts
        self.items = list(self.source_items())
        for i in range(1, parts + 1):
            self.fields[f"part{i}_name"] = forms.CharField(label=_("第%(n)d个新单位名称") % {"n": i}, max_length=50)
            self.fields[f"part{i}_kind"] = forms.ChoiceField(label=_("类型"), choices=self.kinds,
                                                             initial=self.default_kind())
            self.fields[f"part{i}_code"] = forms.CharField(
                label=_("区划代码"), max_length=self.code_length, required=False, validators=[self.code_validator],
                widget=forms.TextInput(attrs=NUMERIC))
        choices = [(str(i), _("第%(n)d个新单位") % {"n": i}) for i in range(1, parts + 1)]
        for item in self.items:
            self.fields[self._item_field(item)] = forms.ChoiceField(label=item.name, choices=choices, initial="1",
                                                                    required=self.items_required)

    def source_items(self):
        return self.source.villages.current().order_by("division_code", "name")

    def default_kind(self) -> str:
        return Township.Kind.STREET

    def taken(self):
        """The current units a new one may not share a name with."""
        return Township.objects.current().exclude(pk=self.source.pk)

    def _item_field(self, item) -> str:
        return f"{self.item_key[:-1]}_{item.pk}"

    def clean(self):
        data = super().clean()
        names = [data.get(f"part{i}_name") for i in range(1, self.part_count + 1)]
        taken = set(self.taken().filter(name__in=names).values_list("name", flat=True))
        for i, name in enumerate(names, 1):
            if name in taken:
                self.add_error(f"part{i}_name", self.name_taken)
            elif name and names.index(name) != i - 1:
                self.add_error(f"part{i}_name", _("新单位的名称不能重复。"))
        return data

    def part_rows(self):
        return [(self[f"part{i}_name"], self[f"part{i}_kind"], self[f"part{i}_code"])
                for i in range(1, self.part_count + 1)]

    def item_fields(self):
        return [self[self._item_field(item)] for item in self.items]

    def parts(self) -> list[dict]:
        data = self.cleaned_data
        return [{"name": data[f"part{i}_name"], "kind": data[f"part{i}_kind"], "division_code": data[f"part{i}_code"],
                 self.item_key: [item for item in self.items if data[self._item_field(item)] == str(i)]}
                for i in range(1, self.part_count + 1)]


class VillageSplitForm(SplitForm):
    """A village split's second step: the new villages and, for each of the village's venues, the new village
    it goes to."""

    kinds = Village.Kind.choices
    code_length, code_validator = 12, village_code_validator
    item_key = "venues"
    items_required = False
    name_taken = _("该乡镇已有同名的村（社区）。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="vparts", **kwargs)

    def source_items(self):
        return Venue.objects.filter(village=self.source).order_by("name")

    def default_kind(self) -> str:
        return self.source.kind

    def taken(self):
        return Village.objects.current().filter(township_id=self.source.township_id).exclude(pk=self.source.pk)
