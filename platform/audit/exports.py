"""The audit as a spreadsheet: exporting the audit is itself an audited action."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import AuditFilters, audit_entries, audit_labelled
from .services import audit_record

HEADERS = [_("时间"), _("操作人"), _("操作人手机"), _("操作"), _("对象类型"), _("对象编号"), _("来源地址"), _("详情")]
MAX_ROWS = 100_000


@transaction.atomic
def audit_export_rows(*, actor, filters: AuditFilters) -> Iterator[list]:
    """The filtered rows (at most MAX_ROWS), labelled, after writing the export's own audit row."""
    qs = audit_entries(filters)
    total = qs.count()
    audit_record(actor=actor, action="audit.export", data={
        "rows": min(total, MAX_ROWS), "who": filters.who, "action": filters.action,
        "target_type": filters.target_type, "target_id": filters.target_id,
        "since": filters.since.isoformat() if filters.since else "",
        "until": filters.until.isoformat() if filters.until else ""})
    rows = []
    for start in range(0, min(total, MAX_ROWS), 2000):
        for r in audit_labelled(qs[start:start + 2000]):
            rows.append([timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M:%S"), r.actor_name, r.actor_mobile,
                         r.action_label, r.target_label, r.target_id, r.client_address,
                         _describe(r.data)])
    return iter(rows)


def _describe(data: dict) -> str:
    return "；".join(f"{k}：{v}" for k, v in sorted((data or {}).items()))
