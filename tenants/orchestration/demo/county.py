"""Each demo county's organisation and deputies, at the scale the reports give (reduced where noted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from access.models import Role
from access.services import membership_grant
from core.levels import Level
from organisation.models import HandlingUnit, StandardTemplate, Township, Venue, Village
from organisation.services.standards import assessment_record, funding_set, standards_seed_defaults
from people.actors import actor_for
from people.models import Deputy
from people.services.deputies import deputy_create, group_member_set, mandate_add, stationing_add
from people.services.pairing import pairing_apply_proposal
from tenants.orchestration.demo.accounts import demo_account
from tenants.orchestration.demo.casework import seed_casework
from tenants.orchestration.demo.duties import seed_duties
from tenants.orchestration.demo.names import names as _names
from tenants.orchestration.demo.reception import seed_reception

# Enshi (003): 19 townships, one home each, 78 stations in all, 78 deputy groups. The three
# management offices are named here for the demo only.
ENSHI_TOWNSHIPS = [
    ("舞阳坝街道", "street"), ("六角亭街道", "street"), ("小渡船街道", "street"), ("龙凤镇", "town"),
    ("崔家坝镇", "town"), ("板桥镇", "town"), ("白杨坪镇", "town"), ("三岔镇", "town"), ("新塘乡", "township"),
    ("红土乡", "township"), ("沙地乡", "township"), ("太阳河乡", "township"), ("白果乡", "township"),
    ("芭蕉侗族乡", "township"), ("盛家坝乡", "township"), ("屯堡乡", "township"), ("城东管理处", "office"),
    ("城西管理处", "office"), ("开发区管理处", "office"),
]


# The counties' telephone area codes, for the stations' published numbers.
AREA_CODES = {"dongkou": "0739", "enshi": "0718", "haifeng": "0660"}


def _station_phones(area: str) -> None:
    """Each open home and station publishes a landline (the public pages and the deputies' contact cards
    print it); a station still being built has none yet."""
    venues = list(Venue.objects.filter(status=Venue.Status.OPEN))
    for venue in venues:
        venue.contact_name, venue.contact_phone = "值班人员", f"{area}-82{venue.pk:05d}"
    Venue.objects.bulk_update(venues, ["contact_name", "contact_phone"])


def seed_county(slug: str, admin) -> None:
    """Fill one demo county (runs in its schema). Does nothing when the county already has townships
    (its casework is added once, also to a county seeded before casework existed)."""
    if Township.objects.exists():
        seed_duties(slug, admin)
        seed_casework(slug, admin)
        return
    actor = actor_for(admin)
    standards_seed_defaults()
    HandlingUnit.objects.bulk_create([HandlingUnit(name=name, kind=kind) for name, kind in [
        ("住房和城乡建设局", "government"), ("交通运输局", "government"), ("教育局", "government"),
        ("卫生健康局", "government"), ("农业农村局", "government"), ("人民法院", "court"),
        ("人民检察院", "procuratorate")]])
    if slug == "dongkou":
        _dongkou(actor)
    elif slug == "enshi":
        _enshi(actor)
    elif slug == "haifeng":
        _haifeng(actor)
    _station_phones(AREA_CODES.get(slug, "0000"))
    seed_duties(slug, admin)
    seed_casework(slug, admin)  # before the reception days, whose recorded issues open cases of their own
    seed_reception(actor)


def _township(name: str, kind: str, code: str) -> Township:
    return Township.objects.create(name=name, kind=kind, division_code=code)


def _station(township: Township, name: str, n: int, code: str, *, status: str = Venue.Status.OPEN) -> Venue:
    village = Village.objects.create(township=township, name=name, division_code=code,
                                     kind=Village.Kind.VILLAGE if n % 3 else Village.Kind.COMMUNITY)
    return Venue.objects.create(name=f"{name}代表联络站", kind=Venue.Kind.VILLAGE_STATION, township=township,
                                village=village, status=status, address=f"{township.name}{name}村委会",
                                opening_hours="每月第一个星期一及次日 8:30-17:30")


def _deputies(actor, venues: list[Venue], per_venue: int, mobile_prefix: str, names, *, county_share: int = 3):
    """Deputies stationed at each venue, every `county_share`-th a county deputy, the rest township deputies."""
    start = dt.date(2021, 10, 1)
    n = 0
    for venue in venues:
        for i in range(per_venue):
            n += 1
            name = next(names)
            employer = (venue.township.name if venue.township else "") + ("村委会主任" if i else "党委书记")
            deputy = deputy_create(actor=actor, mobile=f"{mobile_prefix}{n:05d}", name=name, employer=employer)
            if n % county_share == 0:
                mandate_add(actor=actor, deputy=deputy, level=Level.COUNTY, term=17, started_on=start,
                            electoral_district=f"第{n // county_share}选区")
            if n % county_share != 0 or n % (county_share * 2) == 0:  # some hold both levels
                mandate_add(actor=actor, deputy=deputy, level=Level.TOWNSHIP, term=19, started_on=start,
                            township=venue.township, electoral_district=f"{venue.township.name}第{n}选区")
            stationing_add(actor=actor, deputy=deputy, venue=venue, started_on=start)
            role = ["leader", "vice_leader", "liaison_officer"][i] if i < 3 else "member"
            group_member_set(actor=actor, venue=venue, deputy=deputy, role=role)


def _dongkou(actor) -> None:
    """Dongkou (000): Shuidong town's workroom and its village stations; county deputies paired 1:10."""
    shuidong = _township("水东镇", "town", "430525102")
    home = Venue.objects.create(name="水东镇人大代表之家", kind=Venue.Kind.HOME, township=shuidong,
                                address="水东镇政府院内", opening_hours="每月第一个星期一及次日")
    venues = [home] + [_station(shuidong, name, i, f"430525102{i:03d}") for i, name in
                       enumerate(["水东", "江潭", "联合", "桐山", "新屋"], 1)]
    for name, code in [("高沙镇", "430525101"), ("竹市镇", "430525103")]:
        township = _township(name, "town", code)
        venues.append(Venue.objects.create(name=f"{name}人大代表之家", kind=Venue.Kind.HOME, township=township))
    _deputies(actor, venues, 6, "139010", _names(seed=430525), county_share=4)
    pairing_apply_proposal(actor=actor, started_on=dt.date(2022, 1, 1))
    _staff(actor, "13800000011", "水东镇人大主席团", shuidong)


def _enshi(actor) -> None:
    names = _names(seed=422801)
    venues = []
    for i, (name, kind) in enumerate(ENSHI_TOWNSHIPS, 1):
        township = _township(name, kind, f"422801{100 + i:03d}")
        venues.append(Venue.objects.create(name=f"{name}人大代表之家", kind=Venue.Kind.HOME, township=township,
                                           address=f"{name}办公楼", opening_hours="工作日 8:30-17:30"))
        for j in range(3 if i <= 2 else 3 + (i > 17)):  # 59 village stations: 78 venues with the homes
            venues.append(_station(township, f"{name[:2]}{'一二三四'[j]}", j, f"422801{100 + i:03d}{j + 1:03d}",
                                   status=Venue.Status.OPEN if j < 2 else Venue.Status.BUILDING))
        funding_set(actor=actor, township=township, year=2024, budget=Decimal("30.00"),
                    disbursed=Decimal(20 + i % 10), spent=Decimal(10 + i % 15))
    venues = venues[:78]
    # The reports' 1,338 deputies would make the first start slow; the demo stations 3 at each of 78.
    _deputies(actor, venues, 3, "139020", names)
    template = StandardTemplate.objects.get(name="九有")
    items = list(template.items.all())
    for k, venue in enumerate(venues[:10]):
        assessment_record(actor=actor, venue=venue, template=template, assessed_on=dt.date(2024, 6, 30),
                          results={item.pk: (idx < 9 - k % 4, "现场查看") for idx, item in enumerate(items)})
    _staff(actor, "13800000021", "舞阳坝街道人大工委", Township.objects.get(name="舞阳坝街道"))
    membership_grant(account=demo_account("13800000023", "市住建局"), role=Role.HANDLING_UNIT, actor=None,
                     handling_unit=HandlingUnit.objects.get(name="住房和城乡建设局"))


def _haifeng(actor) -> None:
    """Haicheng town (002): 1 project station, 1 central station, 6 village stations."""
    haicheng = _township("海城镇", "town", "441521100")
    venues = [
        Venue.objects.create(name="海城镇人大代表中心联络站", kind=Venue.Kind.CENTRAL_STATION, township=haicheng),
        Venue.objects.create(name="海城镇民生重点项目联络站", kind=Venue.Kind.PROJECT_STATION, township=haicheng),
    ] + [_station(haicheng, name, i, f"441521100{i:03d}") for i, name in
         enumerate(["城东", "城西", "新园", "北门", "南门", "龙津"], 1)]
    _deputies(actor, venues, 5, "139030", _names(seed=441521))
    _staff(actor, "13800000031", "海城镇人大主席团", haicheng)


def _staff(actor, mobile: str, name: str, township: Township) -> None:
    membership_grant(account=demo_account(mobile, name), role=Role.TOWNSHIP_STAFF, actor=None, township=township)


def demo_deputy_mobile() -> str | None:
    deputy = Deputy.objects.select_related("account").order_by("pk").first()
    return deputy.account.mobile if deputy else None
