"""A registered touch screen counts against its station's allowance, not the lobby's one address: the form's
5 opinions an hour per address would lock out a busy station; registering is for who manages the station, and
signs them out again (the screen keeps no session)."""

import pytest
from django.core.cache import cache
from django.test import Client

from casework.models import Opinion
from casework.services.public import SUBMISSIONS_PER_HOUR
from tests.conftest import ALPHA_HOST, login

pytestmark = pytest.mark.django_db


def _submit(client: Client, venue: int, n: int) -> list[int]:
    return [client.post(f"/kiosk/{venue}/opinion/", {"content": f"大厅触摸屏意见{venue}-{i}", "privacy_consent": "on"},
                        REMOTE_ADDR="10.1.2.3").status_code for i in range(n)]


@pytest.fixture
def clean(world, alpha):
    with alpha():
        cache.clear()
    yield
    with alpha():
        cache.clear()
        for opinion in Opinion.objects.filter(content__startswith="大厅触摸屏意见").select_related("case"):
            case = opinion.case
            opinion.delete()
            case.transitions.all().delete()
            case.delete()


def test_a_registered_screen_has_its_station_allowance_and_keeps_no_session(world, clean):
    v1 = world.ids["v1"]
    staff = login(ALPHA_HOST, world.township_staff_a)  # east town's presidium: v1 is theirs
    assert staff.get(f"/kiosk/{v1}/register/").status_code == 200
    response = staff.post(f"/kiosk/{v1}/register/")
    assert response.status_code == 302 and response["Location"] == f"/kiosk/{v1}/"
    assert response.cookies["jz_kiosk"]["httponly"] and response.cookies["sessionid"].value == ""  # signed out
    screen = Client(HTTP_HOST=ALPHA_HOST)
    screen.cookies["jz_kiosk"] = response.cookies["jz_kiosk"].value
    assert "本设备已登记为本站自助终端" in screen.get(f"/kiosk/{v1}/").content.decode()
    assert _submit(screen, v1, SUBMISSIONS_PER_HOUR + 3) == [200] * (SUBMISSIONS_PER_HOUR + 3)
    # The same address without the token (a phone in the lobby's Wi-Fi) keeps the address's limit.
    assert _submit(Client(HTTP_HOST=ALPHA_HOST), v1, SUBMISSIONS_PER_HOUR + 1)[-1] == 429


def test_a_token_counts_only_at_its_own_station_and_a_forged_one_not_at_all(world, clean):
    v1, v2 = world.ids["v1"], world.ids["v2"]
    token = login(ALPHA_HOST, world.admin_a).post(f"/kiosk/{v1}/register/").cookies["jz_kiosk"].value
    elsewhere = Client(HTTP_HOST=ALPHA_HOST)
    elsewhere.cookies["jz_kiosk"] = token
    assert "尚未登记" in elsewhere.get(f"/kiosk/{v2}/").content.decode()
    assert _submit(elsewhere, v2, SUBMISSIONS_PER_HOUR + 1)[-1] == 429
    cache.clear()
    forged = Client(HTTP_HOST=ALPHA_HOST)
    forged.cookies["jz_kiosk"] = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert _submit(forged, v1, SUBMISSIONS_PER_HOUR + 1)[-1] == 429


def test_only_who_manages_the_station_registers_its_screen(world, clean):
    v1 = world.ids["v1"]
    assert login(ALPHA_HOST, world.station_staff_a).post(f"/kiosk/{v1}/register/").status_code == 403  # v2's staff
    assert login(ALPHA_HOST, world.deputy_a).get(f"/kiosk/{v1}/register/").status_code == 403
    assert Client(HTTP_HOST=ALPHA_HOST).post(f"/kiosk/{v1}/register/").status_code == 302  # to the login page
