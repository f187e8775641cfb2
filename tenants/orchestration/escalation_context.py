"""What the upper tiers read of an item's county case, from the county's schema: the full context of the item
page (casework.selectors.escalated_case: dates, receiving deputy and station, each opinion with the
constituent masked) and its attachments, served only to those who reach the item (tenants.selectors)."""

from __future__ import annotations

from django.http import Http404
from django_tenants.utils import schema_context

from casework.selectors import escalated_attachment, escalated_case
from tenants.models import Escalation


def escalation_case_context(escalation: Escalation) -> dict | None:
    with schema_context(escalation.county.schema_name):
        return escalated_case(escalation.case_id)


def escalation_attachment_open(escalation: Escalation, attachment_id: int) -> tuple[object, str]:
    """(an open file, its content type) of an attachment of the item's case; the caller has checked that the
    account reaches the item. The county's storage resolves the path in the county's schema."""
    with schema_context(escalation.county.schema_name):
        attachment = escalated_attachment(escalation.case_id, attachment_id)
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
    return handle, "application/pdf" if attachment.kind == "pdf" else f"image/{attachment.kind}"
