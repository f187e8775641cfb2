"""Rows of the county's public face: the public API (tracking, codes, calendar, stations, directory, published
answers) and the public pages (stations, answers, kiosk). Open to everyone on a county host, absent (404) on
the platform host. What they show is checked for personal data in tests/public and
tests/casework/test_publication.py; the per-address throttles in tests/public/test_api.py."""

from tests.api.matrix import ALPHA, PLATFORM, Row, everyone

ROWS = [
    Row("GET", ALPHA, "/api/v1/online/calendar/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/stations/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/stations/{ids[v1]}/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/stations/999999/", everyone(404)),
    Row("GET", ALPHA, "/api/v1/online/deputies/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/answers/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/online/track/?code=NOSUCHCODE", everyone(404)),
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
    Row("GET", PLATFORM, "/api/v1/online/track/?code=NOSUCHCODE", everyone(404)),
    Row("POST", PLATFORM, "/api/v1/online/codes/", everyone(404), data={"constituent_mobile": ""}),
    Row("GET", PLATFORM, "/stations/", everyone(404)),
    Row("GET", PLATFORM, "/answers/", everyone(404)),
    Row("GET", PLATFORM, "/kiosk/1/", everyone(404)),
]
