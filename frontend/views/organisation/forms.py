"""Forms of the organisation pages. They check the shape of the input; the services decide the rest
and their Chinese errors are put back on these forms (frontend.forms.errors_onto)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from access.scope import Actor
from organisation.models import HandlingUnit, StandardItem, StandardTemplate, Township, Venue, Village
from organisation.models.places import township_code_validator, village_code_validator
from organisation.services.places import township_clashes, village_clashes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def managed_townships(actor: Actor):
    qs = Township.objects.current().order_by("division_code", "name")
    return qs if actor.is_admin else qs.filter(pk__in=actor.township_ids)


class TownshipForm(forms.Form):
    """A plain form; name and code clashes are the service's rule (township_clashes), shown on their fields
    beside the form's own errors."""

    name = forms.CharField(label=_("名称"), max_length=50)
    kind = forms.ChoiceField(label=_("类型"), choices=Township.Kind.choices, initial=Township.Kind.TOWN)
    division_code = forms.CharField(label=_("区划代码"), max_length=9, required=False, help_text=_("9位数字"),
                                    validators=[township_code_validator],
                                    widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    started_on = forms.DateField(label=_("设立日期"), required=False, widget=DATE)

    def __init__(self, *args, instance: Township | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {"name": instance.name, "kind": instance.kind,
                                          "division_code": instance.division_code, "started_on": instance.started_on})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        clashes = township_clashes(name=data.get("name") or "", division_code=data.get("division_code") or "",
                                   township=self.instance)
        for field, message in clashes.items():
            self.add_error(field, message)
        return data


class VillageForm(forms.Form):
    township = forms.ModelChoiceField(label=_("所属乡镇"), queryset=Township.objects.none())
    name = forms.CharField(label=_("名称"), max_length=50)
    kind = forms.ChoiceField(label=_("类型"), choices=Village.Kind.choices, initial=Village.Kind.VILLAGE)
    division_code = forms.CharField(label=_("区划代码"), max_length=12, required=False, help_text=_("12位数字"),
                                    validators=[village_code_validator],
                                    widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, actor: Actor, instance: Village | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {"township": instance.township_id, "name": instance.name,
                                          "kind": instance.kind, "division_code": instance.division_code})
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = managed_townships(actor)

    def clean(self):
        data = super().clean()
        if data.get("township") and data.get("name"):
            for field, message in village_clashes(township_id=data["township"].pk, name=data["name"],
                                                  village=self.instance).items():
                self.add_error(field, message)
        return data


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village: Village) -> str:
        return f"{village.township.name} · {village.name}"


class VenueForm(forms.ModelForm):
    village = VillageChoiceField(queryset=Village.objects.none(), required=False, label=_("所在村（社区）"))

    class Meta:
        model = Venue
        fields = ["name", "kind", "status", "township", "village", "address", "contact_name", "contact_phone",
                  "opening_hours", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "contact_phone": forms.TextInput(attrs={"type": "tel"})}

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        townships = managed_townships(actor)
        villages = Village.objects.current().select_related("township").order_by("township__division_code",
                                                                                "division_code", "name")
        if not actor.is_admin:
            villages = villages.filter(township_id__in=actor.township_ids)
        venue = self.instance
        if venue.pk and not actor.can_manage_township(venue.township_id):
            # Station staff edit their station's details but do not move it.
            for name in ("township", "village", "kind"):
                self.fields[name].disabled = True
            townships = Township.objects.filter(pk=venue.township_id)
            villages = Village.objects.filter(pk=venue.village_id).select_related("township")
        self.fields["township"].queryset = townships
        self.fields["village"].queryset = villages
        self.fields["township"].required = False  # venue_save takes a village station's from its village
        if not actor.is_admin and not self.fields["kind"].disabled:  # county stations are the county's own
            self.fields["kind"].choices = [c for c in self.fields["kind"].choices
                                           if c[0] != Venue.Kind.COUNTY_STATION]


class PhotoForm(forms.Form):
    # A plain file field: the service tells a non-image or a file over 5 MB apart, in Chinese.
    image = forms.FileField(label=_("照片"), widget=forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp"}))
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)


class HandlingUnitForm(forms.ModelForm):
    class Meta:
        model = HandlingUnit
        fields = ["name", "kind", "contact_name", "contact_phone", "is_active"]
        widgets = {"contact_phone": forms.TextInput(attrs={"type": "tel"})}


class StandardTemplateForm(forms.ModelForm):
    class Meta:
        model = StandardTemplate
        fields = ["name", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class StandardItemForm(forms.ModelForm):
    """A blank new row is left out; a new row with only its text gets the next number and 10 points."""

    class Meta:
        model = StandardItem
        fields = ["order", "text", "points"]
        widgets = {"order": forms.NumberInput(attrs={"min": 0, "class": "short"}),
                   "points": forms.NumberInput(attrs={"min": 0, "class": "short"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = self.fields["points"].required = False
        if self.instance.pk is None:  # no defaults shown, so that an untouched row counts as unchanged
            for name in ("order", "points"):
                self.initial.pop(name, None)
                self.fields[name].initial = None

    def clean_order(self):
        order = self.cleaned_data.get("order")
        return order if order is not None else 99

    def clean_points(self):
        points = self.cleaned_data.get("points")
        return points if points is not None else 10


StandardItemFormSet = forms.inlineformset_factory(
    StandardTemplate, StandardItem, form=StandardItemForm, extra=2, can_delete=True)


class AssessmentForm(forms.Form):
    """One checkbox and one evidence field per item of the chosen standard."""

    assessed_on = forms.DateField(label=_("评定日期"), widget=DATE)
    note = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, template: StandardTemplate, **kwargs):
        kwargs.setdefault("initial", {"assessed_on": dt.date.today()})
        super().__init__(*args, **kwargs)
        self.template = template
        self.items = list(template.items.all())
        for item in self.items:
            self.fields[f"met_{item.pk}"] = forms.BooleanField(label=item.text, required=False)
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label=_("佐证"), required=False, max_length=500,
                widget=forms.TextInput(attrs={"placeholder": _("如：照片、制度文件、台账名称")}))

    def rows(self):
        return [(item, self[f"met_{item.pk}"], self[f"evidence_{item.pk}"]) for item in self.items]

    def results(self) -> dict[int, tuple[bool, str]]:
        return {item.pk: (self.cleaned_data[f"met_{item.pk}"], self.cleaned_data[f"evidence_{item.pk}"])
                for item in self.items}


class FundingForm(forms.Form):
    budget = forms.DecimalField(label=_("预算（万元）"), max_digits=10, decimal_places=2)
    disbursed = forms.DecimalField(label=_("财政已拨付（万元）"), max_digits=10, decimal_places=2)
    spent = forms.DecimalField(label=_("已使用（万元）"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
