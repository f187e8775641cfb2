"""代表名录: the public directory of the deputies serving or stationed here, open without a login."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from frontend.pages import paginate, query_without_page, xlsx_download
from people.models import Deputy
from people.selectors import deputies_public, with_region_levels

from .common import DeputyFilterForm, decorate


def public_directory() -> QuerySet[Deputy]:
    """What the public may see (people.selectors.deputies_public)."""
    return deputies_public()


def directory(request):
    """代表名录: photo, name, levels, stations and the public contact card; no login needed."""
    if request.tenant.is_public:
        raise Http404
    form = DeputyFilterForm(request.GET or None, actor=None, with_status=False)
    qs = form.filter(with_region_levels(public_directory()), None)
    if request.GET.get("export") == "xlsx":
        headers = [_("姓名"), _("层级"), _("驻站站点"), _("公开联系电话")]

        def rows():
            for deputy in qs.iterator(chunk_size=500):
                decorate(deputy)
                yield [deputy.account.name, "、".join(label for _v, label in deputy.levels),
                       "、".join(v.name for v in deputy.stations), deputy.public_phone]

        return xlsx_download(headers, rows(), filename="directory.xlsx", title=_("代表名录"))
    page = paginate(qs, request)
    for deputy in page.rows:
        decorate(deputy)
    return render(request, "frontend/people/directory.html", {
        "form": form, "page": page, "query": query_without_page(request)})
