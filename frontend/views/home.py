"""The home page after login: what it shows depends on where (county or platform) and on the role.

A visitor (not signed in) to a county's address gets the county's online station (frontend.views.public).
County staff who read figures (the administrator: the county; presidium staff: their township) get their
dashboard (frontend.views.dashboard); a deputy gets what to do next; the platform host leads to the
upper tiers' dashboards."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from access.selectors import memberships_active
from audit.selectors import AuditFilters, audit_entries, audit_labelled
from duties.selectors.records import duty_records_awaiting
from frontend.pages import paginate, query_without_page
from frontend.views.dashboard import county_dashboard, county_may_read
from frontend.views.public.station import online_station
from notifications.selectors import unread_count
from people.actors import actor_of
from reception.selectors import my_sessions
from tenants.orchestration.deputy_counties import region_mandates_of
from tenants.selectors import counties_visible_to, rollup_drift


def home(request):
    """A visitor to a county's address gets its online station; the platform host asks them to sign in."""
    if not request.user.is_authenticated:
        if request.tenant.is_public:
            return redirect_to_login(request.get_full_path())
        return online_station(request)
    if request.tenant.is_public:
        return _platform_home(request)
    memberships = list(memberships_active(account_id=request.user.pk))
    roles = {m.role for m in memberships}
    context = {"memberships": memberships, "roles": roles}
    actor = actor_of(request)
    if actor.deputy_id is not None:  # the phone home of a deputy: what to do next
        context.update(next_sessions=list(my_sessions(actor)[:3]),
                       awaiting=duty_records_awaiting(actor).count(), unread=unread_count(actor.account_id))
    if actor.is_admin:  # what was done lately, by label (the audit viewer has the rest)
        context["recent_audit"] = audit_labelled(audit_entries(AuditFilters())[:5])
    if county_may_read(actor):
        return county_dashboard(request, extra=context)
    return render(request, "frontend/home_county.html", context)


def _platform_home(request):
    region_roles = list(request.user.region_roles.select_related("province", "prefecture"))
    # A province's 100-200 counties (an operator's 2,800) a page at a time, by division code.
    counties = paginate(counties_visible_to(account=request.user).order_by("division_code"), request)
    drift = rollup_drift() if request.user.is_staff else None  # operators only: figures found wrong last night
    return render(request, "frontend/home_platform.html", {
        "region_roles": region_roles, "page": counties, "query": query_without_page(request), "rollup_drift": drift,
        "dashboard": bool(region_roles) or request.user.is_staff,
        "region_deputy": region_mandates_of(request.user).exists()})
