from django.http import HttpResponse
from django.urls import path

from access.models import Membership


def county_page(request):
    """A trivial county page: one query on a county table, a few bytes of HTML."""
    return HttpResponse(f"<p>{Membership.objects.filter(is_active=True).count()}</p>")


urlpatterns = [path("bench/page", county_page)]
