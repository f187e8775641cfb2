"""Making a county: schema (cloned from the template), domain and first administrator, all or nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from access.models import Role
from access.services import membership_grant
from audit.services import audit_record
from tenants.models import Account, County, Domain, Prefecture, Province
from tenants.services.schemas import clone_schema, schema_exists
from tenants.services.spares import spare_claim
from tenants.tasks import refill_spares

# Labels that would make confusing or dangerous host names.
RESERVED_SLUGS = frozenset({"www", "api", "admin", "static", "media", "mail", "public", "template", "platform"})


def schema_name_for(division_code: str) -> str:
    return f"county_{division_code}"


def _validate(county: County, *, admin_mobile: str, admin_name: str) -> None:
    errors: dict[str, list[str]] = {}
    try:
        county.full_clean(exclude=["schema_name"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if county.slug in RESERVED_SLUGS:
        errors.setdefault("slug", []).append(_("“%(slug)s”是保留字，不能用作域名标识。") % {"slug": county.slug})
    if county.prefecture is not None and county.prefecture.province_id != county.province_id:
        errors.setdefault("prefecture", []).append(_("该州（市）不属于所选的省。"))
    if Domain.objects.filter(domain=f"{county.slug}.{settings.PLATFORM_HOST}").exists():
        errors.setdefault("slug", []).append(_("该域名已被使用。"))
    try:
        Account(mobile=admin_mobile, name=admin_name or "-").clean_fields(exclude=["password"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault("admin_mobile" if key == "mobile" else "admin_name", []).extend(messages)
    if not admin_name:
        errors.setdefault("admin_name", []).append(_("请填写管理员姓名。"))
    if errors:
        raise ValidationError(errors)


def county_provision(
    *,
    name: str,
    division_code: str,
    slug: str,
    province: Province,
    prefecture: Prefecture | None = None,
    admin_mobile: str,
    admin_name: str,
    actor=None,
) -> County:
    """Create a county ready to serve at <slug>.<PLATFORM_HOST>, with its first administrator.

    Everything happens in one transaction (PostgreSQL DDL is transactional): a failure at any step
    leaves no schema, county, domain, account or membership behind.
    """
    county = County(
        name=name.strip(), division_code=division_code.strip(), slug=slug.strip(), province=province,
        prefecture=prefecture, schema_name=schema_name_for(division_code.strip()),
    )
    _validate(county, admin_mobile=admin_mobile, admin_name=admin_name)
    template = settings.TENANT_TEMPLATE_SCHEMA
    try:
        with transaction.atomic():
            if schema_exists(county.schema_name):
                raise ValidationError({"division_code": [_("该行政区划代码已有数据库模式，请联系运维人员。")]})
            if not spare_claim(county.schema_name):
                if not schema_exists(template):
                    raise RuntimeError(f"template schema {template!r} is missing: run `manage.py migrate_fleet`")
                clone_schema(template, county.schema_name)
            county.save()
            Domain.objects.create(domain=f"{county.slug}.{settings.PLATFORM_HOST}", tenant=county, is_primary=True)
            account = Account.objects.filter(mobile=admin_mobile).first()
            if account is None:
                account = Account.objects.create_user(admin_mobile, admin_name)
            with schema_context(county.schema_name):
                membership_grant(account=account, role=Role.COUNTY_ADMIN, actor=actor)
                audit_record(actor=actor, action="county.provision", target=county,
                             data={"slug": county.slug, "division_code": county.division_code})
    except IntegrityError as exc:
        # Lost a race with another provisioning of the same code or slug.
        raise ValidationError(_("行政区划代码或域名标识已被使用。")) from exc
    if settings.TENANT_SPARE_SCHEMAS:
        transaction.on_commit(lambda: refill_spares.delay(), robust=True)
    return county
