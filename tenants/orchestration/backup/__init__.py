"""One county in one file, and back: `manage.py backup_county` / `restore_county`.

The file is a gzip tar: `manifest.json` (format, versions, the schema's migrations, per-table row counts and
content hashes, a SHA-256 of every member), `schema/<section>.sql` (pg_dump of the county schema by the
server's own pg_dump), `public.json` (the county's public rows and the accounts it refers to) and `media/`
(the county's media folder: uploads, notices, audit archives). A restore is all or nothing: schema, rows and
accounts in one transaction, checked against the manifest's counts and hashes before it commits; the media
folder is moved into place after the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from tenants.models import Account, County, Domain, Prefecture, Province
from tenants.models.validators import division_code_validator, slug_validator
from tenants.orchestration.backup import public, schema
from tenants.orchestration.provisioning import RESERVED_SLUGS, schema_name_for
from tenants.services.schemas import schema_exists

FORMAT = "jiazhan-county-backup/1"


@dataclass
class RestoreReport:
    county: County
    tables: int
    rows: int
    accounts_made: int
    accounts_matched: int
    public_rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0


def _migrations(schema_name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app || \'.\' || name FROM "{schema_name}".django_migrations ORDER BY 1')
        return [row[0] for row in cursor.fetchall()]


def _media_dir(schema_name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / schema_name


def _add(tar: tarfile.TarFile, name: str, data: bytes, digests: dict[str, str]) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))
    digests[name] = hashlib.sha256(data).hexdigest()


def county_backup(*, slug: str, out: Path, actor: Account | None = None) -> dict[str, Any]:
    """Write county `slug` to `out`; returns the manifest. The schema is dumped in one pg_dump snapshot per
    section: a county being written to while it is backed up should be suspended first."""
    county = County.objects.select_related("province", "prefecture").filter(slug=slug).first()
    if county is None:
        raise ValidationError(_("没有域名标识为“%(slug)s”的县。") % {"slug": slug})
    references = schema.public_references(county.schema_name)
    shared = {r["references"] for r in references} - {Account._meta.db_table}
    if shared - set(public.NATURAL_KEYS):
        raise RuntimeError(f"county tables refer to public tables the backup cannot map: {sorted(shared)}")
    sections = schema.schema_dump(county.schema_name)
    account_ids = schema.referenced_ids(county.schema_name, references, Account._meta.db_table)
    rows = public.public_dump(county, account_ids)
    rows["natural_keys"] = {table: public.natural_keys_dump(
        table, schema.referenced_ids(county.schema_name, references, table)) for table in sorted(shared)}
    manifest: dict[str, Any] = {
        "format": FORMAT, "made_at": timezone.now().isoformat(), "slug": county.slug,
        "schema": county.schema_name, "division_code": county.division_code,
        "server_version": connection.pg_version, "migrations": _migrations(county.schema_name),
        "tables": schema.table_stats(county.schema_name), "public_references": references,
        "public_rows": {label: len(items) for label, items in rows["owned"].items()},
        "accounts": len(rows["accounts"]), "files": {},
    }
    media = _media_dir(county.schema_name)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        for section, sql in sections.items():
            _add(tar, f"schema/{section}.sql", sql, manifest["files"])
        _add(tar, "public.json", json.dumps(rows, ensure_ascii=False).encode(), manifest["files"])
        if media.is_dir():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                _add(tar, f"media/{path.relative_to(media).as_posix()}", path.read_bytes(), manifest["files"])
        info = tarfile.TarInfo("manifest.json")
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    partial.replace(out)
    with transaction.atomic():
        audit_record(actor=actor, action="county.backup", target=county,
                     data={"slug": county.slug, "file": out.name, "tables": len(manifest["tables"])})
    return manifest


def _read(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore
    except (OSError, tarfile.TarError) as exc:
        raise ValidationError(_("无法读取备份文件：%(e)s") % {"e": exc}) from exc
    try:
        manifest = json.loads(members.pop("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise ValidationError(_("备份文件缺少清单（manifest.json），不是本平台的县级备份。")) from exc
    if manifest.get("format") != FORMAT:
        raise ValidationError(_("备份文件格式“%(f)s”不受支持。") % {"f": manifest.get("format")})
    for name, digest in manifest["files"].items():
        if name not in members or hashlib.sha256(members[name]).hexdigest() != digest:
            raise ValidationError(_("备份文件已损坏：“%(n)s”与清单不符。") % {"n": name})
    return manifest, members


def _check_target(manifest: dict[str, Any], slug: str, division_code: str) -> None:
    errors: dict[str, list[str]] = {}
    for key, validator, value in (("slug", slug_validator, slug), ("division_code", division_code_validator,
                                                                     division_code)):
        try:
            validator(value)
        except ValidationError as exc:
            errors.setdefault(key, []).extend(exc.messages)
    if slug in RESERVED_SLUGS:
        errors.setdefault("slug", []).append(_("“%(slug)s”是保留字，不能用作域名标识。") % {"slug": slug})
    if County.objects.filter(slug=slug).exists() or Domain.objects.filter(
            domain=f"{slug}.{settings.PLATFORM_HOST}").exists():
        errors.setdefault("slug", []).append(
            _("域名标识“%(slug)s”已存在，未恢复：请用 --slug 指定新的域名标识。") % {"slug": slug})
    if County.objects.filter(division_code=division_code).exists() or schema_exists(schema_name_for(division_code)):
        errors.setdefault("division_code", []).append(
            _("行政区划代码“%(c)s”已有县使用，未恢复：请用 --division-code 指定另一个代码。") % {"c": division_code})
    template = settings.TENANT_TEMPLATE_SCHEMA
    if not errors and schema_exists(template) and _migrations(template) != manifest["migrations"]:
        errors.setdefault("migrations", []).append(
            _("备份的数据结构版本与本部署不同（迁移记录不一致），未恢复：请在相同版本的部署上恢复。"))
    if errors:
        raise ValidationError(errors)


def county_restore(*, path: Path, slug: str | None = None, division_code: str | None = None,
                   actor: Account | None = None) -> RestoreReport:
    """Restore the backup at `path` as a new county (its own slug, or `slug`; its division code, or
    `division_code` when restoring a copy beside the original). Refuses, changing nothing, if either is taken."""
    manifest, members = _read(path)
    slug = slug or manifest["slug"]
    division_code = division_code or manifest["division_code"]
    _check_target(manifest, slug, division_code)
    rows = json.loads(members["public.json"])
    source, target = manifest["schema"], schema_name_for(division_code)
    staging = _media_dir(target).with_name(f".restoring-{target}")
    shutil.rmtree(staging, ignore_errors=True)
    media = {name[len("media/"):]: data for name, data in members.items() if name.startswith("media/")}
    for relative, data in media.items():
        destination = staging / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    try:
        with transaction.atomic():
            report = _restore_rows(manifest, members, rows, source=source, target=target, slug=slug,
                                   division_code=division_code, actor=actor)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if media:
        staging.replace(_media_dir(target))
    report.media_files = len(media)
    return report


def _restore_rows(manifest, members, rows, *, source: str, target: str, slug: str, division_code: str,
                  actor) -> RestoreReport:
    schema.schema_load(members["schema/pre-data.sql"], source=source, target=target)
    schema.schema_load(members["schema/data.sql"], source=source, target=target)
    restored = schema.table_stats(target)
    if restored != manifest["tables"]:
        differing = sorted(t for t in set(restored) | set(manifest["tables"])
                           if restored.get(t) != manifest["tables"].get(t))
        raise ValidationError(_("恢复后的数据与备份清单不符（%(t)s），已撤销。") % {"t": "、".join(differing[:5])})
    province, _made = Province.objects.get_or_create(division_code=rows["province"]["division_code"],
                                                     defaults={"name": rows["province"]["name"]})
    prefecture = None
    if rows["prefecture"]:
        prefecture, _made = Prefecture.objects.get_or_create(
            division_code=rows["prefecture"]["division_code"],
            defaults={"name": rows["prefecture"]["name"], "province": province})
    original = rows["county"]
    county = County(name=original["name"], division_code=division_code, slug=slug, province=province,
                    prefecture=prefecture, schema_name=target, status=original["status"])
    county.save()
    County.objects.filter(pk=county.pk).update(created_at=dt.datetime.fromisoformat(original["created_at"]))
    Domain.objects.create(domain=f"{slug}.{settings.PLATFORM_HOST}", tenant=county, is_primary=True)
    accounts, made = public.accounts_match_or_create(rows["accounts"])
    schema.remap(target, manifest["public_references"], Account._meta.db_table, accounts)
    for table, keys in rows["natural_keys"].items():
        schema.remap(target, manifest["public_references"], table, public.natural_keys_match(table, keys))
    counts = public.owned_load(rows["owned"], county=county, accounts=accounts, regions=rows["regions"],
                               keep_domains=slug == manifest["slug"])
    schema.schema_load(members["schema/post-data.sql"], source=source, target=target)
    audit_record(actor=actor, action="county.restore", target=county,
                 data={"slug": slug, "from": manifest["slug"], "made_at": manifest["made_at"],
                       "accounts_made": made})
    return RestoreReport(county=county, tables=len(restored), rows=sum(int(s["rows"]) for s in restored.values()),
                         accounts_made=made, accounts_matched=len(accounts) - made, public_rows=counts)
