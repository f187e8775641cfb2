"""The county's organisation as one .xlsx workbook (组织架构): townships, villages and communities, homes and
stations, handling units. A template to fill in, an import that checks every row of every sheet before it
writes anything and then writes in bulk, and an export in the same sheets and columns.

Import semantics, as the roster's: a unit already here is updated, never duplicated (townships and villages
by division code, venues and handling units by name); a blank optional cell keeps what is stored; nothing is
ended or deleted (ending a unit is a re-division, with its date).

Modules: columns (sheets, words, codes), reading (every row's checks), importing, exporting, template.
"""

from .columns import SHEETS
from .exporting import organisation_export
from .importing import OrganisationResult, organisation_import
from .template import organisation_template

__all__ = ["SHEETS", "OrganisationResult", "organisation_export", "organisation_import", "organisation_template"]
