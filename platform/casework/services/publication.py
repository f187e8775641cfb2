"""The county's choice to publish a case's answer on its online station (casework.publication shows it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record

from ..actions import may_publish, publishable_now
from ..models import Case


@transaction.atomic
def case_publish(*, actor: Actor, case: Case, published: bool | None) -> Case:
    """The county office decides: publish (True), keep private (False), or follow the category (None).
    Only an answered case can be published: there is nothing to show before."""
    require(may_publish(actor))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if published and not publishable_now(case):
        raise ValidationError({"published": _("该问题尚未答复，不能公开。")})
    case.published = published
    case.save(update_fields=["published", "updated_at"])
    audit_record(actor=actor, action="case.publish", target=case, data={"published": published})
    return case
