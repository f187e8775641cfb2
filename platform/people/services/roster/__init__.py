"""The county's deputy roster (代表名册) as an .xlsx file: a template to fill in, an import that checks
every row before it writes anything and then writes in bulk (a county's whole roster in one request),
and an export in the same columns, so a file can be exported, edited and imported again.

Import semantics, chosen so that a partial or repeated file never destroys anything:
- a row is matched to a deputy of this county by ID number, else by mobile; a match is updated;
- a blank optional cell leaves the stored value unchanged (a blank 状态 means 在任 for a new mandate);
- mandates, stationings and group places are added or updated, never ended or removed (ending a
  stationing or a mandate is a deliberate act with a date, done on the deputy's record).

Modules: columns (headers, the words cells accept, reading a cell), template (roster_template), reading
(the file and every row's checks), importing (roster_import and its bulk writes), exporting (roster_export).
"""

from .columns import COLUMNS
from .exporting import roster_export
from .importing import RosterResult, roster_import
from .reading import RowError
from .template import roster_template

__all__ = ["COLUMNS", "RosterResult", "RowError", "roster_export", "roster_import", "roster_template"]
