"""Rows of the public online form's API: no login, county hosts only. A body without consent to the privacy
notice is refused (400) for everyone; submissions themselves are tested in tests/casework/test_privacy.py
(the matrix would trip the per-address throttle)."""

from tests.api.matrix import ALPHA, PLATFORM, Row, everyone

NO_CONSENT = {"content": "矩阵测试意见", "privacy_consent": False}

ROWS = [
    Row("GET", ALPHA, "/api/v1/online/privacy-notice/", everyone(200)),
    Row("POST", ALPHA, "/api/v1/online/opinions/", everyone(400), data=NO_CONSENT),
    Row("GET", PLATFORM, "/api/v1/online/privacy-notice/", everyone(404)),
    Row("POST", PLATFORM, "/api/v1/online/opinions/", everyone(404), data=NO_CONSENT),
]
