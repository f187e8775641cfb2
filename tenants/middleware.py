"""Host -> county routing, with the domain lookup cached per process.

Stock TenantMainMiddleware runs a domain query (after a `SET search_path` to public) on every request.
Here a process keeps host -> county for TENANT_CACHE_SECONDS; a change to a county or domain clears
this process's memory at once and every other process's within that many seconds. The memory is an LRU of
HOSTS_KEPT entries: a scan of made-up host names (each a miss, remembered as None) cannot grow it without bound.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from .models import County, Domain

HOSTS_KEPT = 1024
_hosts: OrderedDict[str, tuple[float, County | None]] = OrderedDict()
_hosts_lock = threading.Lock()


def forget_hosts() -> None:
    with _hosts_lock:
        _hosts.clear()


def county_for_host(hostname: str) -> County | None:
    now = time.monotonic()
    with _hosts_lock:
        hit = _hosts.get(hostname)
        if hit is not None and hit[0] > now:
            _hosts.move_to_end(hostname)
            return hit[1]
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    county = domain.tenant if domain is not None else None
    with _hosts_lock:
        _hosts[hostname] = (now + settings.TENANT_CACHE_SECONDS, county)
        _hosts.move_to_end(hostname)
        while len(_hosts) > HOSTS_KEPT:
            _hosts.popitem(last=False)
    return county


def _unknown_host(request, hostname: str):
    return render(request, "frontend/unknown_host.html", {"hostname": hostname}, status=404)


class CountyMiddleware(TenantMainMiddleware):
    def process_request(self, request):
        connection.set_schema_to_public()
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return _unknown_host(request, request.META.get("HTTP_HOST", "")[:100])
        if hostname == settings.PLATFORM_HOST or hostname in ("127.0.0.1", "localhost"):
            request.tenant = PublicSite()
            self.setup_url_routing(request)
            return None
        county = county_for_host(hostname)
        if county is None or not county.is_active:
            return _unknown_host(request, hostname)
        county.domain_url = hostname
        request.tenant = county
        connection.set_tenant(county)
        self.setup_url_routing(request)
        return None


class PublicSite:
    """The platform host: the public schema, with no county."""

    schema_name = "public"
    name = "家站平台"
    slug = ""
    domain_url = ""
    is_public = True

    def get_tenant_type(self):
        return None
