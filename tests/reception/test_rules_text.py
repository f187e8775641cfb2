"""The reception rule picked in Chinese words writes the RRULE the schedule reads, and reads it back."""

import pytest
from dateutil.rrule import rrulestr

from reception.rules_text import PickedRule, describe, rule_from_words, words_from_rule


@pytest.mark.parametrize(("picked", "rrule", "days", "words"), [
    (PickedRule("monthly", "1", "MO"), "FREQ=MONTHLY;BYDAY=1MO", 2, "每月第一个星期一及次日"),
    (PickedRule("monthly", "-1", "FR"), "FREQ=MONTHLY;BYDAY=-1FR", 1, "每月最后一个星期五"),
    (PickedRule("quarterly", "2", "WE"), "FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE", 3, "每季度第二个星期三起连续3天"),
    (PickedRule("weekly", "1", "TU"), "FREQ=WEEKLY;BYDAY=TU", 1, "每周星期二"),
    (PickedRule("fortnightly", "1", "TH"), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", 1, "每两周星期四"),
])
def test_words_and_rules_agree(picked, rrule, days, words):
    assert rule_from_words(picked) == rrule
    assert words_from_rule(rrule) == picked
    assert describe(rrule, days) == words
    rrulestr(rrule)  # a rule dateutil reads


def test_a_rule_the_words_cannot_say_is_kept_as_written():
    assert words_from_rule("FREQ=MONTHLY;BYMONTHDAY=15").frequency == "custom"
    assert describe("FREQ=MONTHLY;BYMONTHDAY=15") == "按规则 FREQ=MONTHLY;BYMONTHDAY=15"


@pytest.mark.django_db
def test_the_station_page_picks_the_rule_in_words(world, alpha):
    from reception.models import ReceptionSchedule
    from tests.conftest import ALPHA_HOST, login

    admin = login(ALPHA_HOST, world.admin_a)
    url = f"/reception/stations/{world.ids['v1']}/"
    page = admin.get(url).content.decode()
    assert "每月第一个星期一及次日" in page and 'name="frequency"' in page
    form = {"frequency": "monthly", "ordinal": "-1", "weekday": "FR", "days_per_reception": 1, "rrule": "",
            "starts_at": "09:00", "ends_at": "12:00", "move_off_holidays": "on", "prefecture_deputies_min": 2,
            "prefecture_deputies_max": 3, "county_deputies_min": 5}
    assert admin.post(url, form).status_code == 302
    with alpha():
        assert ReceptionSchedule.objects.get(venue_id=world.ids["v1"]).rrule == "FREQ=MONTHLY;BYDAY=-1FR"
    assert "每月最后一个星期五" in admin.get(url).content.decode()
    custom = admin.post(url, {**form, "frequency": "custom", "rrule": ""})
    assert "请填写重复规则，或选择接待周期。" in custom.content.decode()
    admin.post(url, {**form, "frequency": "monthly", "ordinal": "1", "weekday": "MO", "days_per_reception": 2,
                     "ends_at": "17:00"})  # back to the default the other tests expect
