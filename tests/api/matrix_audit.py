"""Rows of the audit viewer and API tokens. The county's audit and its tokens are the county administrator's;
on the platform host the platform's audit is the operators' (no matrix actor is an operator: see
tests/audit/test_viewer.py), and tokens do not exist there."""

from tests.api.matrix import ALPHA, PLATFORM, Row, everyone, members

NOT_HERE = {**everyone(403), "province_staff": 404}
PAGE = members(403, admin_a=200, admin_b=302, province_staff=302, outsider=302, anonymous=302)
PLATFORM_PAGE = {**everyone(302), "province_staff": 403}
TOKEN = {"name": "矩阵令牌", "role": "county_admin"}

ROWS = [
    Row("GET", ALPHA, "/api/v1/audit/", members(403, admin_a=200)),
    Row("GET", ALPHA, "/api/v1/audit/?action=membership.grant&since=2020-01-01", members(403, admin_a=200)),
    Row("GET", PLATFORM, "/api/v1/audit/", everyone(403)),
    Row("GET", ALPHA, "/api/v1/tokens/", members(403, admin_a=200)),
    Row("POST", ALPHA, "/api/v1/tokens/", members(403, admin_a=201), data=TOKEN),
    Row("GET", ALPHA, "/api/v1/tokens/999999/", members(403, admin_a=404)),
    Row("POST", ALPHA, "/api/v1/tokens/999999/revoke/", members(403, admin_a=404)),
    Row("GET", PLATFORM, "/api/v1/tokens/", NOT_HERE),
    Row("POST", PLATFORM, "/api/v1/tokens/", NOT_HERE, data=TOKEN),
    Row("POST", PLATFORM, "/api/v1/tokens/999999/revoke/", NOT_HERE),
    # The pages.
    Row("GET", ALPHA, "/audit/", PAGE),
    Row("GET", ALPHA, "/audit/?export=xlsx", PAGE),
    Row("GET", PLATFORM, "/audit/", PLATFORM_PAGE),
    Row("GET", ALPHA, "/tokens/", PAGE),
    Row("POST", ALPHA, "/tokens/", PAGE, data={"name": "矩阵令牌", "role": "county_admin", "mobile": ""},
        content_type="application/x-www-form-urlencoded"),
    Row("POST", ALPHA, "/tokens/999999/revoke/", members(403, admin_a=404, admin_b=302, province_staff=302,
                                                          outsider=302, anonymous=302)),
]

# Sign-in through the provincial identity provider: off unless OIDC_* is configured (the test settings have
# none), so not there at all; tests/access/test_oidc.py runs it against a local provider.
ROWS += [
    Row("GET", ALPHA, "/oidc/authenticate/", everyone(404)),
    Row("GET", ALPHA, "/oidc/callback/?code=x&state=y", everyone(404)),
    Row("GET", PLATFORM, "/oidc/authenticate/", everyone(404)),
]
