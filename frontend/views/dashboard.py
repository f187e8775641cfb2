"""数据驾驶舱: the dashboards of every tier, read from the public rollups (tenants.figures), never from a
county's schema in a request.

- A county host: the county administrator's home is the county's dashboard (its townships side by side,
  a click on one opens that township's); a township's presidium staff read their township's.
- The platform host, /dashboard/?level=province|prefecture|county|township&id=…: operators (any province:
  they choose one) and the upper tiers within their regions (tenants.figures.may_read; elsewhere 404).
  A province compares its prefectures and counties, a prefecture its counties, a county its townships; a
  click on a bar or a row drills down. The counties come 50 a page, sorted by any column (?sort=&order=&page=;
  htmx swaps the table alone, &part=counties); the Excel export of that table holds every county. Upper
  tiers cannot log in to a county host: a county and its townships are shown here from the rollups.
- Every page takes the period picker (?period=month|quarter|year|range&from=YYYY-MM&to=YYYY-MM; htmx
  swaps only the figures) and ?export=<table id> for any of its tables as .xlsx.
- /dashboard/report/?level=province|prefecture&id=…&month=YYYY-MM: the monthly report, printable, and
  as a Chinese PDF with &format=pdf.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from core.pdf import pdf_document
from frontend import dashboards as board
from frontend.pages import member_required, xlsx_download
from organisation.selectors import townships_current
from tenants.figures import COUNTY_PAGE_SIZE, Scope, county_comparison, dashboard, home_scope, may_read, scope_for
from tenants.selectors import counties_visible_to

LEVEL_NAMES = {"province": "省", "prefecture": "州（市）", "county": "县（市、区）", "township": "乡镇（街道）"}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _export_query(request) -> str:
    params = request.GET.copy()
    for name in ("page", "export", "part"):
        params.pop(name, None)
    return params.urlencode()


def _export(request, context: dict) -> HttpResponse:
    period: board.Period = context["period"]
    scope: Scope = context["scope"]
    table = board.find_table(context["sections"], request.GET["export"])
    if table is None:
        raise Http404
    return xlsx_download(table.headers, table.rows, title=table.title,
                         filename=f"{scope.name}-{table.title}-{period.slug}.xlsx")


def _render(request, context: dict, *, path: str) -> HttpResponse:
    """The whole page, or only its figures for htmx (a period changed); ?export=<table> for a table."""
    all_sections = context["sections"]
    if request.GET.get("export"):
        return _export(request, context)
    context.update(charts=board.charts_of(all_sections), path=path, export_query=_export_query(request),
                   period_kinds=[("month", _("月")), ("quarter", _("季度")), ("year", _("年")),
                                 ("range", _("自定义"))])
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")
    template = "frontend/dashboard/_figures.html" if partial else "frontend/dashboard/page.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# ---------------------------------------------------------------------------------------------------------------
# County host


@login_required
def dashboard_page(request):
    if request.tenant.is_public:
        return platform_dashboard(request)
    return county_dashboard(request)


def county_may_read(actor) -> bool:
    return actor.is_admin or actor.is_township_staff


@member_required
def county_dashboard(request, actor, extra: dict | None = None):
    """The county's dashboard (its administrator) or a township's (its presidium staff)."""
    if not county_may_read(actor):
        raise PermissionDenied
    county = request.tenant
    township = _int(request.GET.get("township"))
    if township is None and not actor.is_admin:
        township = min(actor.township_ids, default=None)
        if township is None:
            raise Http404
    if township is None:
        scope = Scope("county", county.pk, county.name)
    else:
        name = townships_current().filter(pk=township).values_list("name", flat=True).first()
        if name is None or not actor.can_manage_township(township):
            raise Http404
        scope = Scope("township", township, name, county.pk)
    period = board.period_from(request.GET)
    data = dashboard(scope=scope, first=period.first, last=period.last)
    path = request.path

    def link(row: dict) -> str | None:
        if row["level"] == "township" and row["id"] and actor.can_manage_township(row["id"]):
            return board.url(path, township=row["id"], **period.params)
        return None

    crumbs = []
    if scope.level == "township":
        crumbs.append((county.name, board.url(path, **period.params) if actor.is_admin else None))
    crumbs.append((scope.name, None))
    hidden = {"township": township} if township is not None else {}
    context = {"scope": scope, "period": period, "data": data, "sections": board.sections(data, link=link),
               "crumbs": crumbs, "hidden": hidden, "level_name": LEVEL_NAMES[scope.level], **(extra or {})}
    return _render(request, context, path=path)


# ---------------------------------------------------------------------------------------------------------------
# Platform host


def _platform_scope(request) -> Scope | None:
    user = request.user
    level, pk = request.GET.get("level"), _int(request.GET.get("id"))
    if level is None:
        return home_scope(user)
    if pk is None or level not in LEVEL_NAMES:
        raise Http404
    county = None
    if level == "township":
        county = counties_visible_to(account=user).filter(pk=_int(request.GET.get("county"))).first()
        if county is None:
            raise Http404
    scope = scope_for(level=level, pk=pk, county=county)
    if scope is None or not may_read(user, scope):
        raise Http404
    return scope


def _platform_link(scope: Scope, period: board.Period):
    def link(row: dict) -> str | None:
        if row["level"] == "township":
            if not row["id"]:
                return None  # the county's own matters (no township): nothing below
            return board.url("/dashboard/", level="township", id=row["id"], county=scope.pk, **period.params)
        if row["id"] is None:
            return None
        return board.url("/dashboard/", level=row["level"], id=row["id"], **period.params)
    return link


def _crumbs(user, scope: Scope, period: board.Period) -> list[tuple[str, str | None]]:
    """Province › prefecture › county › township, each a link where the reader may read it."""
    chain: list[tuple[str, int, str]] = []
    county_id = scope.pk if scope.level == "county" else scope.county_id
    if county_id is not None:
        county = counties_visible_to(account=user).filter(pk=county_id).first()
        if county is not None:
            chain.append(("province", county.province_id, county.province.name))
            if county.prefecture_id:
                chain.append(("prefecture", county.prefecture_id, county.prefecture.name))
            chain.append(("county", county.pk, county.name))
    elif scope.level == "prefecture":
        county = counties_visible_to(account=user).filter(prefecture_id=scope.pk).first()
        if county is not None:
            chain.append(("province", county.province_id, county.province.name))
    crumbs: list[tuple[str, str | None]] = []
    for level, pk, name in chain:
        if (level, pk) == (scope.level, scope.pk):
            continue
        readable = may_read(user, Scope(level, pk, name))
        crumbs.append((name, board.url("/dashboard/", level=level, id=pk, **period.params) if readable else None))
    crumbs.append((scope.name, None))
    return crumbs


def _provinces(user) -> list[tuple[int, str]]:
    return sorted(set(counties_visible_to(account=user).values_list("province_id", "province__name")))


def platform_dashboard(request):
    user = request.user
    if not (user.is_staff or user.region_roles.exists()):
        raise Http404
    scope = _platform_scope(request)
    period = board.period_from(request.GET)
    if scope is None:  # an operator without a region: choose a province
        return render(request, "frontend/dashboard/choose.html", {"provinces": _provinces(user), "period": period})
    paging = board.paging_from(request.GET)
    hidden: dict = {"level": scope.level, "id": scope.pk}
    if scope.county_id is not None:
        hidden["county"] = scope.county_id
    link = _platform_link(scope, period)

    where = dict(hidden)

    def page_url(**changed) -> tuple[str, str]:
        url = board.url("/dashboard/", **where, **period.params, **changed)
        return url, f"{url}&part=counties"

    if request.GET.get("part") == "counties" and scope.level in ("province", "prefecture"):
        return _counties_part(request, scope, period, paging, link=link, page_url=page_url)
    export_all = request.GET.get("export") == "counties"  # every county, not a page of them
    data = dashboard(scope=scope, first=period.first, last=period.last, sort=paging.sort, order=paging.order,
                     page=paging.page, page_size=None if export_all else COUNTY_PAGE_SIZE)
    hidden.update({k: v for k, v in paging.params.items() if k != "page" and v is not None})
    context = {"scope": scope, "period": period, "data": data, "hidden": hidden,
               "sections": board.sections(data, link=link, page_url=page_url),
               "crumbs": _crumbs(user, scope, period), "level_name": LEVEL_NAMES[scope.level],
               "report": scope.level in ("province", "prefecture"),
               "provinces": _provinces(user) if user.is_staff else []}
    return _render(request, context, path="/dashboard/")


def _counties_part(request, scope: Scope, period: board.Period, paging: board.Paging, *, link, page_url):
    """Another page (or order) of the counties' table alone, for htmx: its two queries, not the dashboard's."""
    counties = county_comparison(scope=scope, first=period.first, last=period.last, sort=paging.sort,
                                 order=paging.order, page=paging.page, size=COUNTY_PAGE_SIZE)
    data = {"scope": scope.as_dict(), "comparison": counties["rows"], "comparison_page": counties["page"]}
    table = board.counties_table(data, link=link, page_url=page_url)
    response = render(request, "frontend/dashboard/_table.html", {
        "table": table, "path": "/dashboard/", "export_query": _export_query(request)})
    patch_vary_headers(response, ("HX-Request",))
    return response


# ---------------------------------------------------------------------------------------------------------------
# The monthly report


REPORT_TABLES = ("prefectures", "counties", "cases_tier", "cases_channel", "suggestions_status", "duties_kind",
                 "stations")


def _summary(data: dict) -> list[str]:
    cases, sug, duties, rec = data["cases"], data["suggestions"], data["duties"], data["reception"]
    pct = board.percent
    return [
        _("收到社情民意%(n)s件，其中未办结%(open)s件、逾期未反馈%(late)s件；"
          "按期反馈率%(rate)s，群众满意率%(sat)s。") % {
            "n": cases["received"]["number"], "open": cases["open"]["number"], "late": cases["overdue"]["number"],
            "rate": pct(cases["answered_on_time"]), "sat": pct(cases["satisfaction"])},
        _("代表建议%(n)s件，按期答复率%(rate)s，办理过程满意率%(p)s，办理结果满意率%(r)s。") % {
            "n": sug["by_status"]["number"], "rate": pct(sug["answered_on_time"]),
            "p": pct(sug["satisfaction_process"]), "r": pct(sug["satisfaction_result"])},
        _("代表履职记录%(n)s条，其中结对联系%(pair)s次；“三个一”达标率%(three)s。") % {
            "n": duties["records"]["number"], "pair": duties["pair_contacts"]["number"],
            "three": pct(duties["three_ones"])},
        _("计划接待日%(p)s次，实际举行%(h)s次（%(rate)s），代表出勤率%(att)s。") % {
            "p": rec["planned"]["number"], "h": rec["held"]["number"], "rate": pct(rec["held_vs_planned"]),
            "att": pct(rec["attendance"])},
        _("现有站点%(n)s个，规范化达标率%(std)s；在任代表%(d)s人。") % {
            "n": data["stations"]["by_kind"]["number"], "std": pct(data["stations"]["standard_met"]),
            "d": data["deputies"]["by_level"]["number"]},
    ]


@login_required
def monthly_report(request):
    """A province's or prefecture's month on one printable page, or as a PDF (&format=pdf)."""
    if not request.tenant.is_public:
        raise Http404
    user = request.user
    if not (user.is_staff or user.region_roles.exists()):
        raise Http404
    scope = _platform_scope(request)
    if scope is None or scope.level not in ("province", "prefecture"):
        raise Http404
    month = board.parse_month(request.GET.get("month")) or board.previous_month()
    period = board.Period("month", month, month)
    data = dashboard(scope=scope, first=month, last=month, page_size=None)  # a report lists every county
    all_sections = board.sections(data, link=lambda row: None)
    tables = [t for t in (board.find_table(all_sections, name) for name in REPORT_TABLES) if t is not None]
    title = _("%(scope)s代表之家·联络站工作月报（%(month)s）") % {"scope": scope.name, "month": period.label}
    summary = _summary(data)
    if request.GET.get("format") == "pdf":
        note = _("统计范围：%(scope)s；统计期间：%(month)s（数据来自各县每日汇总，仅含数量，不含个人信息）。")
        blocks: list = [("p", note % {"scope": scope.name, "month": period.label}), ("h", _("一、总体情况"))]
        blocks += [("p", line) for line in summary]
        for number, table in enumerate(tables, 2):
            blocks += [("h", f"{_chinese_number(number)}、{table.title}"), ("table", [table.headers, *table.rows])]
        response = HttpResponse(pdf_document(title=title, blocks=blocks, author=scope.name),
                                content_type="application/pdf")
        response["Content-Disposition"] = (f"inline; filename=\"report-{month:%Y%m}.pdf\"; "
                                           f"filename*=UTF-8''{quote(title)}.pdf")
        return response
    return render(request, "frontend/dashboard/report.html", {
        "scope": scope, "period": period, "title": title, "summary": summary, "tables": tables,
        "pdf_url": board.url("/dashboard/report/", level=scope.level, id=scope.pk, month=f"{month:%Y-%m}",
                             format="pdf"),
        "back_url": board.url("/dashboard/", level=scope.level, id=scope.pk, **period.params),
        "month_value": f"{month:%Y-%m}"})


def _chinese_number(n: int) -> str:
    return "零一二三四五六七八九十"[n] if n <= 10 else str(n)
