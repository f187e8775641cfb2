"""The navigation's task groups (frontend.context.GROUPS) name every page a menu links to: a page left out
would land under 工作台, away from its fellows, without anyone deciding so."""

from frontend.context import GROUPS
from frontend.routes import access, casework, duties, organisation, people, reception, roster


def test_every_menu_page_belongs_to_a_task_group():
    grouped = set().union(*(names for _title, names in GROUPS))
    menu = {name for module in (organisation, people, roster, duties, reception, casework, access)
            for _label, name, _allowed in module.NAV_ITEMS}
    assert menu - grouped == set()


def test_no_page_is_in_two_groups():
    names = [name for _title, group in GROUPS for name in group]
    assert len(names) == len(set(names))
