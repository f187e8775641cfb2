"""Rows of the membership writes: only the county administrator grants and revokes roles. The GET rows
of /api/v1/memberships/ live in matrix_core; tests/access/test_members.py revokes real memberships for
every actor (their ids are not in World.ids)."""

from tests.api.matrix import ALPHA, PLATFORM, Row, everyone, members

# An opinion observer needs no scope, so the row's body holds no ids.
GRANT = {"mobile": "13912377001", "name": "矩阵观察员", "role": "opinion_observer"}
NOT_HERE = {**everyone(403), "province_staff": 404}

ROWS = [
    Row("POST", ALPHA, "/api/v1/memberships/", members(403, admin_a=201), data=GRANT),
    Row("POST", ALPHA, "/api/v1/memberships/999999/revoke/", members(404)),
    Row("POST", PLATFORM, "/api/v1/memberships/", NOT_HERE, data=GRANT),
    Row("POST", PLATFORM, "/api/v1/memberships/999999/revoke/", NOT_HERE),
    # The pages (not the API): the administrator's; other members get 403, anyone not logged in here
    # goes to the login page.
    Row("GET", ALPHA, "/members/", members(403, admin_a=200, admin_b=302, province_staff=302, outsider=302,
                                          anonymous=302)),
    Row("GET", ALPHA, "/members/grant/", members(403, admin_a=200, admin_b=302, province_staff=302,
                                                outsider=302, anonymous=302)),
    # The sign-in rule (idle minutes of staff sessions): the county administrator's.
    Row("GET", ALPHA, "/api/v1/signin-rule/", members(403, admin_a=200)),
    Row("PUT", ALPHA, "/api/v1/signin-rule/", members(403, admin_a=200), data={"idle_minutes": 30}),
    Row("GET", PLATFORM, "/api/v1/signin-rule/", NOT_HERE),
    Row("POST", ALPHA, "/members/signin-rule/", members(403, admin_a=302, admin_b=302, province_staff=302,
                                                     outsider=302, anonymous=302),
        data={"idle_minutes": "30"}, content_type="application/x-www-form-urlencoded"),
]
