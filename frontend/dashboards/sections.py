"""The page's sections from tenants.figures.dashboard(): tiles, charts and tables for every level."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from frontend.dashboards.parts import (
    Pager,
    Section,
    SortLink,
    Table,
    Tile,
    bar_chart,
    label,
    labelled,
    labels,
    line_chart,
    percent,
    pie_chart,
)

COMPARISON_HEADERS = {
    "cases_received": "收到社情民意", "cases_open": "未办结", "cases_answered": "已反馈", "cases_on_time": "按期反馈",
    "suggestions": "代表建议", "duty_records": "履职记录", "sessions_planned": "计划接待日",
    "sessions_held": "实际接待日", "attendance_expected": "应到代表人次", "attendance_present": "实到代表人次",
    "stations": "站点", "deputies": "在任代表",
}
CHILD_NAMES = {"prefecture": "州（市）", "county": "县（市、区）", "township": "乡镇（街道）"}


# The sort of each column of a counties' table (None: not sortable), after the name and the prefecture.
COLUMN_SORTS = [*COMPARISON_HEADERS, "attendance_rate"]
# A page's address from its paging parameters (sort, order, page): (the whole page, the table alone).
PageUrl = Callable[..., tuple[str, str]]


def _pager(page: dict, page_url: PageUrl, *, with_prefecture: bool) -> Pager:
    sort, order = page["sort"], page["order"]

    def at(number: int, **changed) -> tuple[str, str]:
        wanted = {"sort": sort, "order": order, **changed}
        return page_url(sort=wanted["sort"] if wanted["sort"] != "code" else None, order=wanted["order"],
                        page=number if number > 1 else None)

    def sort_link(column: str) -> SortLink:
        active = column == sort
        # A count sorts from the largest first, the name (division code) from the first; again: reversed.
        default = "asc" if column == "code" else "desc"
        wanted = ("asc" if order == "desc" else "desc") if active else default
        url, partial = at(1, sort=column, order=wanted if wanted != default else None)
        return SortLink(url, partial, active, wanted)

    number = page["number"]
    sorts: list[SortLink | None] = [sort_link("code")] + ([None] if with_prefecture else [])
    sorts += [sort_link(column) for column in COLUMN_SORTS]
    return Pager(number, page["pages"], page["total"], at(number - 1) if number > 1 else None,
                 at(number + 1) if number < page["pages"] else None, sorts)


def counties_table(data: dict, *, link: Callable[[dict], str | None], page_url: PageUrl | None) -> Table:
    """A province's or prefecture's counties, the page of them in `data` (dashboard()), with its pager."""
    province = data["scope"]["level"] == "province"
    title = _("各县（市、区）主要指标")
    table = _comparison_table("counties", title, data.get("comparison") or [], link, with_prefecture=province,
                              child=CHILD_NAMES["county"])
    page = data.get("comparison_page")
    if page and page_url is not None:
        table.pager = _pager(page, page_url, with_prefecture=province)
    return table


def _comparison_table(table_id: str, title: str, rows: list[dict], link: Callable[[dict], str | None], *,
                      with_prefecture: bool = False, child: str = "") -> Table:
    child = child or (CHILD_NAMES.get(rows[0]["level"], "") if rows else "")
    headers = [child or _("名称")] + ([_("所属州（市）")] if with_prefecture else [])
    headers += [_(h) for h in COMPARISON_HEADERS.values()] + [_("出勤率")]
    body, links = [], []
    for row in rows:
        attendance = (f"{round(100 * row['attendance_present'] / row['attendance_expected'], 1)}%"
                      if row["attendance_expected"] else "—")
        body.append([row["name"] or "—"] + ([row.get("prefecture_name") or "—"] if with_prefecture else [])
                    + [row[key] for key in COMPARISON_HEADERS] + [attendance])
        links.append(link(row))
    return Table(table_id, title, headers, body, links)


def _comparison_chart(chart_id: str, title: str, rows: list[dict], link: Callable[[dict], str | None]) -> dict:
    names = [row["name"] or "—" for row in rows]
    return bar_chart(chart_id, title, names, [
        (_("收到社情民意"), [r["cases_received"] for r in rows]),
        (_("已反馈"), [r["cases_answered"] for r in rows]),
        (_("履职记录"), [r["duty_records"] for r in rows]),
        (_("实际接待日"), [r["sessions_held"] for r in rows]),
    ], links=[link(r) for r in rows])


def sections(data: dict, *, link: Callable[[dict], str | None], page_url: PageUrl | None = None) -> list[Section]:
    """The page's sections from dashboard() output. `link(row)` is the drill-down URL of a comparison row
    (None: no drill-down); `page_url(sort=, order=, page=)` the addresses of another page of the counties
    (None: no pager, as in the monthly report)."""
    names = labels()
    months = [p["month"] for p in data["cases"]["received"]["trend"]]
    one_year = len({m[:4] for m in months}) == 1
    month_labels = [f"{m[:4]}年{int(m[5:])}月" for m in months]
    chart_months = [f"{int(m[5:])}月" if one_year else f"{m[2:4]}年{int(m[5:])}月" for m in months]
    level = data["scope"]["level"]
    out: list[Section] = []

    # Side by side
    rows = data.get("comparison") or []
    if level in ("province", "prefecture"):
        # The prefectures whole (a province's); the counties a page at a time (the chart: the page's).
        compare = Section("compare", _("横向比较"))
        if level == "province":
            prefectures = data.get("comparison_prefectures") or []
            compare.charts.append(_comparison_chart("chart-compare-prefectures", _("各州（市）比较"), prefectures,
                                                    link))
            compare.tables.append(_comparison_table("prefectures", _("各州（市）主要指标"), prefectures, link,
                                                    child=CHILD_NAMES["prefecture"]))
        elif rows:
            compare.charts.append(_comparison_chart("chart-compare", _("各县（市、区）比较"), rows, link))
        compare.tables.append(counties_table(data, link=link, page_url=page_url))
        out.append(compare)
    elif rows:  # a county's townships, whole
        compare = Section("compare", _("横向比较"))
        compare.charts.append(_comparison_chart("chart-compare", _("各乡镇（街道）比较"), rows, link))
        compare.tables.append(_comparison_table("townships", _("各乡镇（街道）主要指标"), rows, link))
        out.append(compare)

    # Cases (社情民意)
    cases = data["cases"]
    received, open_, overdue, on_time = cases["received"], cases["open"], cases["overdue"], cases["answered_on_time"]
    section = Section("cases", _("社情民意办理"), tiles=[
        Tile(_("收到"), received["number"], _("件")), Tile(_("未办结"), open_["number"], _("件")),
        Tile(_("逾期未反馈"), overdue["number"], _("件")),
        Tile(_("按期反馈率"), percent(on_time), _("%(a)s / %(b)s 件") % {"a": on_time["numerator"],
                                                                    "b": on_time["denominator"]}),
        Tile(_("群众满意率"), percent(cases["satisfaction"]), _("%(n)s 件评价") % {
            "n": cases["satisfaction"]["denominator"]}),
    ])
    section.charts.append(line_chart("chart-cases-trend", _("每月收到与逾期"), chart_months, [
        (_("收到"), [p["value"] for p in received["trend"]]),
        (_("逾期未反馈"), [p["value"] for p in overdue["trend"]]),
        (_("按期反馈率（%）"), [p["number"] for p in on_time["trend"]]),
    ], rates=(_("按期反馈率（%）"),)))
    section.charts.append(pie_chart("chart-cases-tier", _("按办理层级"), labelled(received["by_tier"], "tier", names)))
    section.charts.append(pie_chart("chart-cases-channel", _("按反映渠道"),
                               labelled(received["by_channel"], "channel", names)))
    by_category = labelled(received["by_category"], "category", names)
    section.charts.append(bar_chart("chart-cases-category", _("按类别"), list(by_category),
                               [(_("收到"), list(by_category.values()))], horizontal=True))
    for dim, title, kind in (("tier", _("按办理层级"), "tier"), ("category", _("按类别"), "category"),
                             ("channel", _("按反映渠道"), "channel")):
        keys = sorted(set(received[f"by_{dim}"]) | set(open_[f"by_{dim}"]) | set(overdue[f"by_{dim}"]))
        body = []
        for key in keys:
            rate = on_time[f"by_{dim}"].get(key)
            body.append([label(kind, key, names), received[f"by_{dim}"].get(key, 0), open_[f"by_{dim}"].get(key, 0),
                         overdue[f"by_{dim}"].get(key, 0), (rate or {}).get("denominator", 0),
                         (rate or {}).get("numerator", 0), percent(rate)])
        section.tables.append(Table(f"cases_{dim}", _("社情民意%(t)s") % {"t": title},
                                    [_("分类"), _("收到"), _("未办结"), _("逾期未反馈"), _("已反馈"), _("按期反馈"),
                                     _("按期反馈率")], body))
    out.append(section)

    # Suggestions (代表建议)
    sug = data["suggestions"]
    process, result = sug["satisfaction_process"], sug["satisfaction_result"]
    section = Section("suggestions", _("代表建议办理"), tiles=[
        Tile(_("代表建议"), sug["by_status"]["number"], _("件")),
        Tile(_("按期答复率"), percent(sug["answered_on_time"]), _("%(a)s / %(b)s 次答复") % {
            "a": sug["answered_on_time"]["numerator"], "b": sug["answered_on_time"]["denominator"]}),
        Tile(_("办理过程满意率"), percent(process)), Tile(_("办理结果满意率"), percent(result)),
    ])
    statuses = labelled(sug["by_status"]["breakdown"], "suggestion_status", names)
    section.charts.append(pie_chart("chart-suggestions-status", _("按办理状态"), statuses))
    section.tables.append(Table("suggestions_status", _("代表建议按办理状态"), [_("状态"), _("件数")],
                                [[k, v] for k, v in statuses.items()]))
    section.tables.append(Table("suggestions_units", _("代表建议按承办单位"),
                                [_("承办单位"), _("主办建议"), _("答复次数"), _("按期答复"), _("按期答复率")],
                                [[u["unit"], u["suggestions"], u["answers"], u["on_time"]["numerator"],
                                  percent(u["on_time"])] for u in sug["per_unit"]]))
    ratings = sorted(set(cases["satisfaction"]["breakdown"]) | set(process["breakdown"]) | set(result["breakdown"]))
    section.tables.append(Table("satisfaction", _("满意度评价"),
                                [_("评价"), _("社情民意（群众）"), _("建议办理过程（代表）"),
                                 _("建议办理结果（代表）")],
                                [[label("rating", k, names), cases["satisfaction"]["breakdown"].get(k, 0),
                                  process["breakdown"].get(k, 0), result["breakdown"].get(k, 0)] for k in ratings]))
    out.append(section)

    # Duties (履职)
    duties = data["duties"]
    section = Section("duties", _("代表履职"), tiles=[
        Tile(_("履职记录"), duties["records"]["number"], _("条")),
        Tile(_("人均履职记录"), duties["records_per_deputy"]["number"] if duties["records_per_deputy"]["number"]
             is not None else "—", _("%(n)s 名代表") % {"n": duties["records_per_deputy"]["deputies"]}),
        Tile(_("“三个一”达标率"), percent(duties["three_ones"]), _("%(a)s / %(b)s 人次") % {
            "a": duties["three_ones"]["numerator"], "b": duties["three_ones"]["denominator"]}),
        Tile(_("结对联系"), duties["pair_contacts"]["number"], _("次")),
    ])
    kinds = labelled(duties["records"]["breakdown"], "duty_kind", names)
    section.charts.append(bar_chart("chart-duties-kind", _("履职记录按类型"), list(kinds),
                               [(_("记录"), list(kinds.values()))], horizontal=True))
    section.charts.append(line_chart("chart-duties-trend", _("每月履职记录"), chart_months, [
        (_("履职记录"), [p["value"] for p in duties["records"]["trend"]]),
        (_("结对联系"), [p["value"] for p in duties["pair_contacts"]["trend"]]),
    ]))
    section.tables.append(Table("duties_kind", _("履职记录按类型"), [_("类型"), _("记录数")],
                                [[k, v] for k, v in kinds.items()]))
    out.append(section)

    # Reception days (接待日)
    rec = data["reception"]
    section = Section("reception", _("接待选民"), tiles=[
        Tile(_("计划接待日"), rec["planned"]["number"], _("次")),
        Tile(_("实际接待日"), rec["held"]["number"], _("次")),
        Tile(_("接待日举行率"), percent(rec["held_vs_planned"])),
        Tile(_("代表出勤率"), percent(rec["attendance"]), _("%(a)s / %(b)s 人次") % {
            "a": rec["attendance"]["numerator"], "b": rec["attendance"]["denominator"]}),
    ])
    section.charts.append(bar_chart("chart-reception-trend", _("每月接待日：计划与举行"), chart_months, [
        (_("计划"), [p["value"] for p in rec["planned"]["trend"]]),
        (_("举行"), [p["value"] for p in rec["held"]["trend"]]),
        (_("取消"), [p["value"] for p in rec["cancelled"]["trend"]]),
    ]))
    trend_rows = []
    for i, month in enumerate(month_labels):
        trend_rows.append([month, received["trend"][i]["value"], overdue["trend"][i]["value"],
                           percent(on_time["trend"][i]), duties["records"]["trend"][i]["value"],
                           rec["planned"]["trend"][i]["value"], rec["held"]["trend"][i]["value"],
                           percent(rec["attendance"]["trend"][i])])
    section.tables.append(Table("monthly", _("逐月情况"), [
        _("月份"), _("收到社情民意"), _("逾期未反馈"), _("按期反馈率"), _("履职记录"), _("计划接待日"),
        _("实际接待日"), _("代表出勤率")], trend_rows))
    out.append(section)

    # Stations, deputies, pairing (present state)
    st = data["stations"]
    funds = st["funds"]
    section = Section("stations", _("站点建设"), tiles=[
        Tile(_("站点"), st["by_kind"]["number"], _("个")),
        Tile(_("规范化达标率"), percent(st["standard_met"]), _("%(a)s / %(b)s 个") % {
            "a": st["standard_met"]["numerator"], "b": st["standard_met"]["denominator"]}),
        Tile(_("建设资金（预算）"), f"{funds['budget']:g}", _("万元")),
        Tile(_("已拨付 / 已使用"), f"{funds['disbursed']:g} / {funds['spent']:g}", _("万元")),
    ])
    kinds = labelled(st["by_kind"]["breakdown"], "station_kind", names)
    status = labelled(st["build_progress"]["breakdown"], "station_status", names)
    stars = labelled(st["stars"]["breakdown"], "stars", names)
    standard = labelled(st["standard_met"]["breakdown"], "standard", names)
    section.charts.append(pie_chart("chart-stations-kind", _("站点按类型"), kinds))
    section.charts.append(bar_chart("chart-stations-status", _("建设进度与星级"), list(status) + list(stars),
                               [(_("站点"), list(status.values()) + list(stars.values()))]))
    section.tables.append(Table("stations", _("站点情况"), [_("指标"), _("分类"), _("数量")],
                                [[_("类型"), k, v] for k, v in kinds.items()]
                                + [[_("建设进度"), k, v] for k, v in status.items()]
                                + [[_("星级"), k, v] for k, v in stars.items()]
                                + [[_("规范化"), k, v] for k, v in standard.items()]
                                + [[_("建设资金（万元）"), _("预算"), f"{funds['budget']:g}"],
                                   [_("建设资金（万元）"), _("已拨付"), f"{funds['disbursed']:g}"],
                                   [_("建设资金（万元）"), _("已使用"), f"{funds['spent']:g}"]]))
    out.append(section)

    deputies, pairing = data["deputies"]["by_level"], data["pairing"]
    section = Section("deputies", _("代表与结对联系"), tiles=[
        Tile(_("在任代表"), deputies["number"], _("人")),
        Tile(_("乡镇代表结对率"), percent(pairing["township_deputies_paired"]), _("%(a)s / %(b)s 人") % {
            "a": pairing["township_deputies_paired"]["numerator"],
            "b": pairing["township_deputies_paired"]["denominator"]}),
        Tile(_("结对超限的县级代表"), pairing["county_deputies_over_limit"]["numerator"], _("人")),
    ])
    levels = labelled(deputies["breakdown"], "level", names)
    section.charts.append(pie_chart("chart-deputies-level", _("代表按层级"), levels))
    section.tables.append(Table("deputies", _("代表按层级"), [_("层级"), _("人数")],
                                [[k, v] for k, v in levels.items()]))
    out.append(section)
    return out

