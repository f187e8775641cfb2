"""Rows of the roster endpoints: the county administrator and township staff (within their township)
keep the roster; every other role is refused (403), and the endpoints do not exist on the platform host."""

from django.test.client import encode_multipart

from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx
from people.services.roster import COLUMNS
from tests.api.matrix import ALPHA, PLATFORM, Row, everyone, members

BOUNDARY = "RoStErMaTrIx"
# One township deputy of the east town (the township staff's own), stationed at its village station.
_ROW = {"姓名": "矩阵测试代表", "手机号码": "13912300001", "代表层级": "乡", "乡级届次": 19, "所属乡镇": "东镇",
        "驻站站点": "东村联络站"}
_FILE = rows_to_xlsx([str(h) for _k, h in COLUMNS], [[_ROW.get(str(h), "") for _k, h in COLUMNS]])


class _Upload:
    """What encode_multipart takes for a file: a name and a read()."""

    name = "roster.xlsx"
    content_type = XLSX_CONTENT_TYPE

    def read(self) -> bytes:
        return _FILE


UPLOAD = encode_multipart(BOUNDARY, {"file": _Upload()})
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"

KEEPERS = members(200, station_staff_a=403, deputy_a=403, unit_a=403)
NOT_HERE = {**everyone(403), "province_staff": 404}

ROWS = [
    Row("GET", ALPHA, "/api/v1/roster/template/", KEEPERS),
    Row("POST", ALPHA, "/api/v1/roster/import/", KEEPERS, data=UPLOAD, content_type=MULTIPART),
    Row("GET", ALPHA, "/api/v1/roster/export/", KEEPERS),
    Row("GET", PLATFORM, "/api/v1/roster/template/", NOT_HERE),
    Row("POST", PLATFORM, "/api/v1/roster/import/", NOT_HERE, data=UPLOAD, content_type=MULTIPART),
    Row("GET", PLATFORM, "/api/v1/roster/export/", NOT_HERE),
    # The page (not the API): for the same two roles; anyone not logged in here goes to the login page.
    Row("GET", ALPHA, "/roster/", members(200, station_staff_a=403, deputy_a=403, unit_a=403, admin_b=302,
                                          province_staff=302, outsider=302, anonymous=302)),
]

# A background import of the roster, followed by its starter or the administrator: a missing one is 404.
ROWS += [
    Row("GET", ALPHA, "/api/v1/roster/import/999999/", members(404, station_staff_a=403, deputy_a=403, unit_a=403)),
    Row("GET", ALPHA, "/roster/import/999999/", members(404, station_staff_a=403, deputy_a=403, unit_a=403,
                                                        admin_b=302, province_staff=302, outsider=302,
                                                        anonymous=302)),
]
