"""我服务的县（市、区）: on the platform host, a province or prefecture deputy's reception days, duty records and
cases in every county that stations them, each linking to that county's own pages. Logging a duty starts from a
county's block (its "登记履职" link opens that county's form): the deputy picks the county the duty belongs to."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from tenants.orchestration.deputy_counties import ServedCounty, counties_served_by, region_mandates_of


@login_required
def my_counties(request):
    """Only on the platform host, only for an account with a serving region mandate: anyone else finds nothing
    here (404), as on every page that is not theirs."""
    if not request.tenant.is_public or not region_mandates_of(request.user).exists():
        raise Http404
    served = [_linked(item) for item in counties_served_by(request.user)]
    return render(request, "frontend/me/counties.html", {"served": served})


def _linked(item: ServedCounty) -> ServedCounty:
    """The county's pages as absolute links to its host (the platform host serves none of them)."""
    def url(name: str, *args) -> str:
        return item.url(reverse(f"frontend:{name}", args=args))

    item.links = {"home": url("home"), "duty_log": url("duty_log"), "duty_mine": url("duty_mine"),
                  "sessions": url("my_reception"), "cases": url("case_list")}
    for session in item.sessions.rows:
        session.link = url("reception_session", session.pk)
    for record in item.duties.rows:
        record.link = url("duty_detail", record.pk)
    for case in item.cases.rows:
        case.link = url("case_detail", case.pk)
    return item
