"""The home page after login: what it shows depends on where (county or platform) and on the role."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from access.models import Membership, Role
from access.selectors import memberships_active
from audit.selectors import AuditFilters, audit_entries, audit_labelled
from duties.selectors.records import duty_records_awaiting
from notifications.selectors import unread_count
from people.actors import actor_of
from reception.selectors import my_sessions
from tenants.selectors import counties_visible_to


@login_required
def home(request):
    if request.tenant.is_public:
        return _platform_home(request)
    memberships = list(memberships_active(account_id=request.user.pk))
    roles = {m.role for m in memberships}
    context = {"memberships": memberships, "roles": roles}
    actor = actor_of(request)
    if actor.deputy_id is not None:  # the phone home of a deputy: what to do next
        context.update(next_sessions=list(my_sessions(actor)[:3]),
                       awaiting=duty_records_awaiting(actor).count(), unread=unread_count(actor.account_id))
    if Role.COUNTY_ADMIN in roles:
        counts = Membership.objects.filter(is_active=True).values("role").annotate(n=Count("id")).order_by("role")
        context["role_counts"] = [(Role(row["role"]).label, row["n"]) for row in counts]
        context["recent_audit"] = audit_labelled(audit_entries(AuditFilters())[:10])
    return render(request, "frontend/home_county.html", context)


def _platform_home(request):
    region_roles = list(request.user.region_roles.select_related("province", "prefecture"))
    counties = counties_visible_to(account=request.user)
    return render(request, "frontend/home_platform.html", {"region_roles": region_roles, "counties": counties})
