"""Demo data drawn from ../shared/domain/BRIEF.md: the counties of the field reports and their people.

Idempotent: running it again changes nothing. Later capabilities extend `seed()` with their records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_tenants.utils import schema_context

from access.models import Role
from core.tasks import coalesced
from tenants.models import Account, County, Prefecture, Province, RegionRole, RollupRun
from tenants.orchestration.demo.accounts import DEMO_PASSWORD, demo_account, demo_authenticator
from tenants.orchestration.demo.county import demo_deputy_mobile, seed_county
from tenants.orchestration.provisioning import county_provision
from tenants.orchestration.rollups import follow as rollups_follow
from tenants.orchestration.rollups import regions as rollups_regions
from tenants.orchestration.rollups import store as rollups_store

PROVINCES = [("湖南省", "430000"), ("湖北省", "420000"), ("广东省", "440000")]
PREFECTURES = [
    ("430000", "邵阳市", "430500"),
    ("420000", "恩施土家族苗族自治州", "422800"),
    ("440000", "汕尾市", "441500"),
]
# (name, code, slug, province, prefecture, admin mobile, admin name)
COUNTIES = [
    ("洞口县", "430525", "dongkou", "430000", "430500", "13800000001", "洞口县人大常委会联工委"),
    ("恩施市", "422801", "enshi", "420000", "422800", "13800000002", "恩施市人大常委会代工委"),
    ("海丰县", "441521", "haifeng", "440000", "441500", "13800000003", "海丰县人大常委会联工委"),
]


@dataclass(frozen=True)
class DemoLogin:
    slug: str  # the county's host label; empty for the platform host
    mobile: str
    name: str
    role: str


# Staff with a role in one county, made by tenants.orchestration.demo.county: (county slug, mobile, name, role)
COUNTY_PEOPLE = [
    ("dongkou", "13800000011", "水东镇人大主席团", Role.TOWNSHIP_STAFF),
    ("enshi", "13800000021", "舞阳坝街道人大工委", Role.TOWNSHIP_STAFF),
    ("enshi", "13800000023", "市住建局", Role.HANDLING_UNIT),
    ("haifeng", "13800000031", "海城镇人大主席团", Role.TOWNSHIP_STAFF),
]
OPERATOR = ("13900000000", "平台运维")
REGION_PEOPLE = [
    ("13900000001", "湖北省人大常委会选联工委", RegionRole.Role.PROVINCE_STAFF, "420000", None),
    ("13900000002", "恩施州人大常委会选联工委", RegionRole.Role.PREFECTURE_STAFF, "420000", "422800"),
]


def seed() -> list[DemoLogin]:
    """One transaction; the tasks its writes publish after the commit are sent once each (one outbox delivery
    per county, not one per message), and no rollup refresh: the figures are rebuilt here at the end."""
    with coalesced(drop=frozenset({rollups_follow.REFRESH_TASK})):
        return _seed()


@transaction.atomic
def _seed() -> list[DemoLogin]:
    provinces = {code: Province.objects.get_or_create(division_code=code, defaults={"name": name})[0]
                 for name, code in PROVINCES}
    prefectures = {
        code: Prefecture.objects.get_or_create(division_code=code, defaults={"name": name,
                                                                             "province": provinces[prov]})[0]
        for prov, name, code in PREFECTURES
    }
    logins: list[DemoLogin] = []
    built: list[int] = []
    operator = demo_account(*OPERATOR, is_staff=True, is_superuser=True)
    demo_authenticator(operator)
    logins.append(DemoLogin("", operator.mobile, operator.name, "平台运维"))
    for mobile, name, role, prov, pref in REGION_PEOPLE:
        account = demo_account(mobile, name)
        demo_authenticator(account)
        RegionRole.objects.get_or_create(account=account, role=role, province=provinces[prov],
                                         prefecture=prefectures.get(pref) if pref else None)
        logins.append(DemoLogin("", mobile, name, str(role.label)))
    for name, code, slug, prov, pref, mobile, admin_name in COUNTIES:
        county = County.objects.filter(slug=slug).first()
        if county is None:
            county = county_provision(name=name, division_code=code, slug=slug, province=provinces[prov],
                                      prefecture=prefectures[pref], admin_mobile=mobile, admin_name=admin_name,
                                      actor=operator)
        admin = Account.objects.get(mobile=mobile)
        if not admin.has_usable_password():
            admin.set_password(DEMO_PASSWORD)
            admin.save(update_fields=["password"])
        demo_authenticator(admin)
        logins.append(DemoLogin(slug, mobile, admin_name, str(Role.COUNTY_ADMIN.label)))
        with schema_context(county.schema_name):
            seed_county(slug, admin)
            deputy_mobile = demo_deputy_mobile()
            built.append(rollups_store.rebuild().pk)  # its figures now, not after the first night
        for person_slug, p_mobile, p_name, role in COUNTY_PEOPLE:
            if person_slug == slug:
                logins.append(DemoLogin(slug, p_mobile, p_name, str(role.label)))
        if deputy_mobile:
            deputy = Account.objects.get(mobile=deputy_mobile)
            if not deputy.has_usable_password():
                deputy.set_password(DEMO_PASSWORD)
                deputy.save(update_fields=["password"])
            logins.append(DemoLogin(slug, deputy.mobile, deputy.name, str(Role.DEPUTY.label)))
    built.append(rollups_regions.rebuild().pk)
    # A first build is not drift: operators are shown the drift of the nightly runs only.
    RollupRun.objects.filter(pk__in=built).delete()
    return logins
