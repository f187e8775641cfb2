"""Rows of the sign-in pages and the unlock endpoint (issue 11). The code pages are the county host's (its
outbox sends the codes); on the platform host they are missing. Pages answer a person not signed in here
with the login page (302)."""

from tests.api.matrix import ALPHA, PLATFORM, Row, everyone, members

NOT_HERE = {**everyone(403), "province_staff": 404}
ANONYMOUS_HERE = {"admin_b": 302, "province_staff": 302, "outsider": 302, "anonymous": 302}

ROWS = [
    Row("POST", ALPHA, "/api/v1/memberships/999999/unlock/", members(404)),
    Row("POST", PLATFORM, "/api/v1/memberships/999999/unlock/", NOT_HERE),
    # Open to anyone on a county host, missing on the platform host.
    Row("GET", ALPHA, "/login/code/", everyone(200)),
    Row("GET", ALPHA, "/password/forgot/", everyone(200)),
    Row("GET", PLATFORM, "/login/code/", everyone(404)),
    Row("GET", PLATFORM, "/password/forgot/", everyone(404)),
    # Signed in: a password already set sends the person to 修改密码; no second factor owed, to the home page.
    Row("GET", ALPHA, "/password/set/", everyone(302)),
    Row("GET", ALPHA, "/login/verify/", everyone(302)),
    Row("GET", ALPHA, "/password/change/", members(200, **ANONYMOUS_HERE)),
    Row("GET", ALPHA, "/account/totp/", members(200, **ANONYMOUS_HERE)),
    Row("GET", PLATFORM, "/password/change/", {**everyone(302), "province_staff": 200}),
    Row("GET", PLATFORM, "/account/totp/", {**everyone(302), "province_staff": 200}),
    # 解锁 on 成员与权限: the administrator's (a missing member is a 404); other members 403.
    Row("POST", ALPHA, "/members/999999/unlock/", members(403, admin_a=404, **ANONYMOUS_HERE)),
    Row("GET", ALPHA, "/members/999999/unlock/", everyone(405)),
]
