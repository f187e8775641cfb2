"""The public-schema rows that belong to one county: the county, its domains, its escalations and their
progress notes, its rollup rows; and the accounts its schema refers to (accounts are shared by every
county: a restore finds them by mobile and never overwrites one that exists)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from tenants.models import (
    Account,
    County,
    CountyHeadline,
    Domain,
    Escalation,
    EscalationUpdate,
    Prefecture,
    Province,
    RollupFact,
    RollupRun,
)

# (model, the lookup that finds a county's rows), parents before children
OWNED: list[tuple[type[models.Model], str]] = [
    (Domain, "tenant"),
    (Escalation, "county"),
    (EscalationUpdate, "escalation__county"),
    (RollupFact, "county"),
    (CountyHeadline, "county"),
    (RollupRun, "county"),
]
ACCOUNT_FIELDS_SKIPPED = {"id", "last_login"}


def _rows(queryset) -> list[dict[str, Any]]:
    return json.loads(json.dumps(list(queryset.order_by("pk").values()), cls=DjangoJSONEncoder))


def public_dump(county: County, account_ids: set[int]) -> dict[str, Any]:
    authors = set(EscalationUpdate.objects.filter(escalation__county=county, author__isnull=False)
                  .values_list("author_id", flat=True))
    regions = {"province": {p.pk: p.division_code for p in Province.objects.all()},
               "prefecture": {p.pk: p.division_code for p in Prefecture.objects.all()}}
    return {
        "county": _rows(County.objects.filter(pk=county.pk))[0],
        "province": {"division_code": county.province.division_code, "name": county.province.name},
        "prefecture": ({"division_code": county.prefecture.division_code, "name": county.prefecture.name}
                       if county.prefecture else None),
        "regions": regions,
        "owned": {model._meta.label: _rows(model.objects.filter(**{lookup: county})) for model, lookup in OWNED},
        "accounts": [{k: v for k, v in row.items() if k not in ACCOUNT_FIELDS_SKIPPED} | {"old_id": row["id"]}
                     for row in _rows(Account.objects.filter(pk__in=account_ids | authors))],
    }


# Shared tables a county's rows point at besides the accounts: their rows are found again by natural key.
NATURAL_KEYS: dict[str, tuple[type[models.Model], Any, Any]] = {
    ContentType._meta.db_table: (
        ContentType, lambda ct: [ct.app_label, ct.model],
        lambda key: ContentType.objects.get_or_create(app_label=key[0], model=key[1])[0].pk),
    Permission._meta.db_table: (
        Permission, lambda p: [p.content_type.app_label, p.content_type.model, p.codename],
        lambda key: Permission.objects.get(content_type__app_label=key[0], content_type__model=key[1],
                                           codename=key[2]).pk),
    Group._meta.db_table: (Group, lambda g: [g.name], lambda key: Group.objects.get_or_create(name=key[0])[0].pk),
}


def natural_keys_dump(table: str, ids: set[int]) -> dict[int, list[str]]:
    model, key, _find = NATURAL_KEYS[table]
    return {obj.pk: key(obj) for obj in model.objects.filter(pk__in=ids)}


def natural_keys_match(table: str, keys: dict[str, list[str]]) -> dict[int, int]:
    """old id -> this deployment's id of the same content type, permission or group."""
    _model, _key, find = NATURAL_KEYS[table]
    return {int(old): find(key) for old, key in keys.items()}


def accounts_match_or_create(rows: list[dict[str, Any]]) -> tuple[dict[int, int], int]:
    """old id -> this deployment's id, by mobile; an account not here is made as it was (password hash and
    all). Returns the mapping and how many were made."""
    mapping: dict[int, int] = {}
    made = 0
    existing = dict(Account.objects.filter(mobile__in=[r["mobile"] for r in rows]).values_list("mobile", "pk"))
    for row in rows:
        old = row["old_id"]
        if row["mobile"] in existing:
            mapping[old] = existing[row["mobile"]]
            continue
        fields = {k: _value(Account, k, v) for k, v in row.items() if k != "old_id"}
        account = Account(**fields)
        account.save()
        mapping[old] = account.pk
        made += 1
    return mapping, made


def _value(model: type[models.Model], attname: str, value: Any) -> Any:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return None if value is None else field.to_python(value)


def owned_load(rows_by_model: dict[str, list[dict[str, Any]]], *, county: County, accounts: dict[int, int],
               regions: dict[str, dict[str, str]], keep_domains: bool) -> dict[str, int]:
    """Insert the county's public rows with their references pointed at this deployment's rows; the
    timestamps are kept (an update after the insert: auto_now_add would stamp them now)."""
    province_ids = dict(Province.objects.values_list("division_code", "pk"))
    prefecture_ids = dict(Prefecture.objects.values_list("division_code", "pk"))
    new_ids: dict[str, dict[int, int]] = {}
    counts: dict[str, int] = {}
    for model, _lookup in OWNED:
        label = model._meta.label
        counts[label] = 0
        for row in rows_by_model.get(label, []):
            old_pk = row["id"]
            values: dict[str, Any] = {}
            for field in model._meta.concrete_fields:
                if field.primary_key or field.attname not in row:
                    continue
                value = row[field.attname]
                target = field.related_model if field.is_relation else None
                if value is not None and target is County:
                    value = county.pk
                elif value is not None and target is Account:
                    value = accounts[value]
                elif value is not None and target is Province:
                    value = province_ids[regions["province"][str(value)]]
                elif value is not None and target is Prefecture:
                    value = prefecture_ids[regions["prefecture"][str(value)]]
                elif value is not None and target is not None:
                    value = new_ids[target._meta.label][value]
                values[field.attname] = _value(model, field.attname, value)
            if model is Domain and (values.get("is_primary") or not keep_domains
                                    or Domain.objects.filter(domain=values["domain"]).exists()):
                continue  # the primary domain is made by the caller; a custom one only where it is free
            obj = model.objects.create(**values)
            stamps = {f.attname: values[f.attname] for f in model._meta.concrete_fields
                      if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)}
            if stamps:
                model.objects.filter(pk=obj.pk).update(**stamps)
            new_ids.setdefault(label, {})[old_pk] = obj.pk
            counts[label] += 1
    return counts
