"""Rows of the county's public face: the public API (tracking, codes, calendar, stations, directory, published
answers) and the public pages (stations, answers, kiosk). Open to everyone on a county host, absent (404) on
the platform host. What they show is checked for personal data in tests/public and
tests/casework/test_publication.py; the per-address throttles in tests/public/test_api.py."""

from django.test.client import MULTIPART_CONTENT

from tests.api.matrix import ALPHA, PLATFORM, Row, everyone, members
from tests.api.matrix_casework import a_case
from tests.api.matrix_people import Prepared

ROWS = [
    Row("GET", ALPHA, "/api/v1/online/calendar/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/stations/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/stations/{ids[v1]}/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/stations/999999/", everyone(404)),
    Row("GET", ALPHA, "/api/v1/online/deputies/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/answers/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/track/", everyone(404)),  # no such code (none given)
    Row("POST", ALPHA, "/api/v1/online/codes/", everyone(400), data={"constituent_mobile": ""}),
    Row("GET", ALPHA, "/stations/", everyone(200)),
    Row("GET", ALPHA, "/stations/{ids[v1]}/", everyone(200)),
    Row("GET", ALPHA, "/stations/{ids[v1]}/photos/999999/", everyone(404)),
    Row("GET", ALPHA, "/answers/", everyone(200)),
    Row("GET", ALPHA, "/kiosk/{ids[v1]}/", everyone(200)),
    Row("GET", ALPHA, "/kiosk/{ids[v1]}/opinion/", everyone(200)),
    Row("GET", ALPHA, "/kiosk/{ids[v1]}/track/", everyone(200)),
    Row("GET", PLATFORM, "/api/v1/online/calendar/", everyone(404)),
    Row("GET", PLATFORM, "/api/v1/online/stations/", everyone(404)),
    Row("GET", PLATFORM, "/api/v1/online/stations/1/", everyone(404)),
    Row("GET", PLATFORM, "/api/v1/online/deputies/", everyone(404)),
    Row("GET", PLATFORM, "/api/v1/online/answers/", everyone(404)),
    Row("GET", PLATFORM, "/api/v1/online/track/", everyone(404)),
    Row("POST", PLATFORM, "/api/v1/online/codes/", everyone(404), data={"constituent_mobile": ""}),
    Row("GET", PLATFORM, "/stations/", everyone(404)),
    Row("GET", PLATFORM, "/answers/", everyone(404)),
    Row("GET", PLATFORM, "/kiosk/1/", everyone(404)),
]

# The staff's side of it: the county office publishes a case's answer (the case of matrix_casework: east
# town's, received by deputy_a at v1); a station's staff or the office show an activity on the station page.
SIGNED_OUT = {"admin_b": 302, "province_staff": 302, "outsider": 302, "anonymous": 302}
ROWS += [
    Row("POST", ALPHA, Prepared("/cases/{ids[case]}/publish/", a_case),
        {**members(404, admin_a=302, township_staff_a=403, deputy_a=403), **SIGNED_OUT},
        data={"published": "no"}, content_type=MULTIPART_CONTENT),
    Row("POST", ALPHA, "/duty/records/999999/publish/", {**members(404), **SIGNED_OUT},
        data={"published": "1"}, content_type=MULTIPART_CONTENT),
]

# A station's touch screen registered by who manages the station (east town's v1: the office and east's
# presidium); registering signs them out and answers with the kiosk's start (302).
ROWS += [
    Row("GET", ALPHA, "/kiosk/{ids[v1]}/register/", {**members(403, admin_a=200, township_staff_a=200), **SIGNED_OUT}),
    Row("POST", ALPHA, "/kiosk/{ids[v1]}/register/", {**members(403, admin_a=302, township_staff_a=302), **SIGNED_OUT},
        data={}, content_type=MULTIPART_CONTENT),
    Row("GET", ALPHA, "/kiosk/999999/register/", {**members(404), **SIGNED_OUT}),
]
