"""Rows of the organisation endpoints: every route, its detail with an own-scope and an other-scope id,
and each write method, for every actor (see tests/api/matrix.py).

Scope in the World: township_staff_a manages east town (home, v1, village_east); station_staff_a manages
v2 in the west township. Every member of the county reads the organisation (venues' addresses and hours
are public anyway); writes follow role and scope. Funds, build progress and assessments are read by
staff within their scope. Non-members of Alpha are anonymous on its host: 403 from the API, a redirect
to the login page from the UI.

Request bodies name World rows through `{ids[...]}` placeholders too: test_matrix formats only paths,
so `Body` fills them in when the body is encoded (json.dumps and the multipart encoder both call
`items()`), by which time the World exists.
"""

from __future__ import annotations

import io

from django.test.client import MULTIPART_CONTENT

from tests.api.matrix import ALPHA, Row, members

MISSING = 999999


class Body(dict):
    """A request body whose "{ids[name]}" strings become the World's ids when it is encoded."""

    def items(self):
        from tests.conftest import _WORLD_IDS

        def fill(value):
            if isinstance(value, str) and value.startswith("{ids["):
                return _WORLD_IDS[value[len("{ids["):-len("]}")]]
            if isinstance(value, list):
                return [fill(v) for v in value]
            if isinstance(value, dict):
                return {k: fill(v) for k, v in value.items()}
            return value

        return [(key, fill(value)) for key, value in super().items()]


class Png:
    """An upload that reads the same bytes every time (one Row serves every actor)."""

    name = "matrix.png"
    content_type = "image/png"

    def read(self) -> bytes:
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), (183, 28, 28)).save(buffer, "PNG")
        return buffer.getvalue()


def only(status: int, *actors: str, other: int = 403) -> dict[str, int]:
    """`status` for the named members of Alpha, `other` for its remaining members, 403 for non-members."""
    expected = members(other)
    expected.update(dict.fromkeys(actors, status))
    return expected


ADMIN = ("admin_a",)
EAST = ("admin_a", "township_staff_a")  # who manage east town and its venues
WEST_V2 = ("admin_a", "station_staff_a")  # who manage the west township's station v2
STAFF = ("admin_a", "township_staff_a", "station_staff_a")

API = "/api/v1"

ROWS = [
    # townships: everyone in the county reads; the administrator creates; a township's staff edit it.
    Row("GET", ALPHA, f"{API}/townships/", members(200)),
    Row("GET", ALPHA, f"{API}/townships/{{ids[east]}}/", members(200)),
    Row("GET", ALPHA, f"{API}/townships/{{ids[west]}}/", members(200)),
    Row("GET", ALPHA, f"{API}/townships/{MISSING}/", members(404)),
    Row("POST", ALPHA, f"{API}/townships/", only(201, *ADMIN), data=Body(name="矩阵镇", kind="town")),
    Row("PATCH", ALPHA, f"{API}/townships/{{ids[east]}}/", only(200, *EAST), data=Body(division_code="990101109")),
    Row("PATCH", ALPHA, f"{API}/townships/{{ids[west]}}/", only(200, *ADMIN), data=Body(division_code="990101209")),
    Row("PUT", ALPHA, f"{API}/townships/{{ids[east]}}/", only(200, *EAST),
        data=Body(name="东镇", kind="town", division_code="990101100")),
    Row("PATCH", ALPHA, f"{API}/townships/{MISSING}/", members(404), data=Body(name="无")),

    # villages
    Row("GET", ALPHA, f"{API}/villages/", members(200)),
    Row("GET", ALPHA, f"{API}/villages/?township={{ids[east]}}", members(200)),
    Row("GET", ALPHA, f"{API}/villages/{{ids[village_east]}}/", members(200)),
    Row("GET", ALPHA, f"{API}/villages/{{ids[village_west]}}/", members(200)),
    Row("GET", ALPHA, f"{API}/villages/{MISSING}/", members(404)),
    Row("POST", ALPHA, f"{API}/villages/", only(201, *EAST), data=Body(township="{ids[east]}", name="矩阵村")),
    Row("POST", ALPHA, f"{API}/villages/", only(201, *ADMIN), data=Body(township="{ids[west]}", name="矩阵村")),
    Row("PATCH", ALPHA, f"{API}/villages/{{ids[village_east]}}/", only(200, *EAST), data=Body(kind="community")),
    Row("PATCH", ALPHA, f"{API}/villages/{{ids[village_west]}}/", only(200, *ADMIN), data=Body(kind="community")),
    Row("PUT", ALPHA, f"{API}/villages/{{ids[village_east]}}/", only(200, *EAST),
        data=Body(township="{ids[east]}", name="东村", kind="village")),

    # venues, and their photos (multipart)
    Row("GET", ALPHA, f"{API}/venues/", members(200)),
    Row("GET", ALPHA, f"{API}/venues/?township={{ids[west]}}&kind=village_station&search=西", members(200)),
    Row("GET", ALPHA, f"{API}/venues/{{ids[home]}}/", members(200)),
    Row("GET", ALPHA, f"{API}/venues/{{ids[v1]}}/", members(200)),
    Row("GET", ALPHA, f"{API}/venues/{{ids[v2]}}/", members(200)),
    Row("GET", ALPHA, f"{API}/venues/{MISSING}/", members(404)),
    Row("POST", ALPHA, f"{API}/venues/", only(201, *EAST),
        data=Body(name="矩阵项目站", kind="project_station", township="{ids[east]}")),
    Row("POST", ALPHA, f"{API}/venues/", only(201, *ADMIN),
        data=Body(name="矩阵村站", kind="village_station", village="{ids[village_west]}")),
    Row("PATCH", ALPHA, f"{API}/venues/{{ids[v1]}}/", only(200, *EAST), data=Body(opening_hours="每周一")),
    Row("PATCH", ALPHA, f"{API}/venues/{{ids[v2]}}/", only(200, *WEST_V2), data=Body(opening_hours="每周二")),
    Row("PUT", ALPHA, f"{API}/venues/{{ids[v2]}}/", only(200, *WEST_V2),
        data=Body(name="西村联络站", kind="village_station", township="{ids[west]}", village="{ids[village_west]}",
                  status="open")),
    Row("PATCH", ALPHA, f"{API}/venues/{MISSING}/", members(404), data=Body(opening_hours="x")),
    Row("POST", ALPHA, f"{API}/venues/{{ids[v1]}}/photos/", only(201, *EAST),
        data=Body(image=Png(), caption="矩阵"), content_type=MULTIPART_CONTENT),
    Row("POST", ALPHA, f"{API}/venues/{{ids[v2]}}/photos/", only(201, *WEST_V2),
        data=Body(image=Png()), content_type=MULTIPART_CONTENT),
    Row("POST", ALPHA, f"{API}/venues/{MISSING}/photos/", members(404),
        data=Body(image=Png()), content_type=MULTIPART_CONTENT),

    # handling units: read by members, kept by the administrator
    Row("GET", ALPHA, f"{API}/handling-units/", members(200)),
    Row("GET", ALPHA, f"{API}/handling-units/{{ids[unit]}}/", members(200)),
    Row("GET", ALPHA, f"{API}/handling-units/{MISSING}/", members(404)),
    Row("POST", ALPHA, f"{API}/handling-units/", only(201, *ADMIN), data=Body(name="矩阵局", kind="government")),
    Row("PATCH", ALPHA, f"{API}/handling-units/{{ids[unit]}}/", only(200, *ADMIN), data=Body(contact_name="张三")),
    Row("PUT", ALPHA, f"{API}/handling-units/{{ids[unit]}}/", only(200, *ADMIN),
        data=Body(name="甲县住建局", kind="government")),

    # standards (read-only here; the World has none, so the detail is the missing one)
    Row("GET", ALPHA, f"{API}/standards/", members(200)),
    Row("GET", ALPHA, f"{API}/standards/{MISSING}/", members(404)),

    # assessments: read within the venues one manages (others get an empty list). The World has no
    # standard, so a permitted assessor's POST ends in 400 (unknown standard): the success path is in
    # tests/organisation/test_api.py. Refusals come before validation.
    Row("GET", ALPHA, f"{API}/assessments/", members(200)),
    Row("GET", ALPHA, f"{API}/assessments/{MISSING}/", members(404)),
    Row("POST", ALPHA, f"{API}/assessments/", only(400, *EAST),
        data=Body(venue="{ids[v1]}", template=MISSING, assessed_on="2024-06-01", results=[])),
    Row("POST", ALPHA, f"{API}/assessments/", only(400, *ADMIN),
        data=Body(venue="{ids[v2]}", template=MISSING, assessed_on="2024-06-01", results=[])),

    # construction funds: staff within their townships. The World has no funds: details are missing.
    Row("GET", ALPHA, f"{API}/fundings/", members(200)),
    Row("GET", ALPHA, f"{API}/fundings/?year=2024", members(200)),
    Row("GET", ALPHA, f"{API}/fundings/{MISSING}/", members(404)),
    Row("POST", ALPHA, f"{API}/fundings/", only(201, *EAST),
        data=Body(township="{ids[east]}", year=2024, budget="30", disbursed="20", spent="10")),
    Row("POST", ALPHA, f"{API}/fundings/", only(201, *ADMIN),
        data=Body(township="{ids[west]}", year=2024, budget="30", disbursed="20", spent="10")),
    Row("PUT", ALPHA, f"{API}/fundings/{MISSING}/", members(404), data=Body(budget="1", disbursed="0", spent="0")),
    Row("PATCH", ALPHA, f"{API}/fundings/{MISSING}/", members(404), data=Body(spent="0")),

    # the build-progress report and its export: staff (each sees their own townships' rows)
    Row("GET", ALPHA, f"{API}/build-progress/", only(200, *STAFF)),
    Row("GET", ALPHA, f"{API}/build-progress/?year=2024", only(200, *STAFF)),
    Row("GET", ALPHA, f"{API}/build-progress/export/", only(200, *STAFF)),

    # the county tree
    Row("GET", ALPHA, f"{API}/tree/", members(200)),

    # re-division: the history is read by members; merge, split, rename by the administrator only
    Row("GET", ALPHA, f"{API}/redivisions/", members(200)),
    Row("GET", ALPHA, f"{API}/redivisions/{MISSING}/", members(404)),
    Row("POST", ALPHA, f"{API}/redivisions/merge/", only(201, *ADMIN),
        data=Body(sources=["{ids[west]}"], into="{ids[east]}", effective_on="2024-01-01")),
    Row("POST", ALPHA, f"{API}/redivisions/split/", only(201, *ADMIN),
        data=Body(source="{ids[east]}", effective_on="2024-01-01",
                  parts=[{"name": "东一街道", "villages": ["{ids[village_east]}"]},
                         {"name": "东二街道", "villages": []}])),
    Row("POST", ALPHA, f"{API}/redivisions/rename/", only(201, *ADMIN),
        data=Body(township="{ids[west]}", name="西街道", kind="street", effective_on="2024-01-01")),
    # the villages of one township (撤并村); east has one village: the administrator's merge finds nothing to merge
    Row("POST", ALPHA, f"{API}/redivisions/villages/merge/", only(400, *ADMIN),
        data=Body(sources=["{ids[village_east]}"], into="{ids[village_east]}", effective_on="2024-01-01")),
    Row("POST", ALPHA, f"{API}/redivisions/villages/split/", only(201, *ADMIN),
        data=Body(source="{ids[village_east]}", effective_on="2024-01-01",
                  parts=[{"name": "东一村"}, {"name": "东三社区", "kind": "community"}])),
    Row("POST", ALPHA, f"{API}/redivisions/villages/rename/", only(201, *ADMIN),
        data=Body(village="{ids[village_west]}", name="西新村", effective_on="2024-01-01")),
    # a date after today registers the re-division to take effect on its day (202); the administrator lists
    # and withdraws those (a missing one: 404 for the administrator, 403 for everyone else)
    Row("POST", ALPHA, f"{API}/redivisions/rename/", only(202, *ADMIN),
        data=Body(township="{ids[west]}", name="西街道", kind="street", effective_on="2099-01-01")),
    Row("GET", ALPHA, f"{API}/redivisions/scheduled/", only(200, *ADMIN)),
    Row("POST", ALPHA, f"{API}/redivisions/scheduled/{MISSING}/cancel/", only(404, *ADMIN)),
]

# The pages (GET): members see them, or are refused (403) where their role may not; others go to log in.
LOGIN = {"admin_b": 302, "province_staff": 302, "outsider": 302, "anonymous": 302}


def page(status: int, *actors: str, other: int = 403) -> dict[str, int]:
    expected = only(status, *actors, other=other) if actors else members(status)
    expected.update(LOGIN)
    return expected


ROWS += [
    Row("GET", ALPHA, "/organisation/", page(200)),
    Row("GET", ALPHA, "/organisation/townships/", page(200)),
    Row("GET", ALPHA, "/organisation/townships/{ids[east]}/", page(200)),
    Row("GET", ALPHA, "/organisation/townships/new/", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/townships/{ids[east]}/edit/", page(200, *EAST)),
    Row("GET", ALPHA, "/organisation/townships/{ids[west]}/edit/", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/villages/new/", page(200, *EAST)),
    Row("GET", ALPHA, "/organisation/villages/{ids[village_west]}/edit/", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/venues/", page(200)),
    Row("GET", ALPHA, "/organisation/venues/?export=xlsx", page(200)),
    Row("GET", ALPHA, "/organisation/venues/{ids[v2]}/", page(200)),
    Row("GET", ALPHA, f"/organisation/venues/{MISSING}/", page(404)),
    Row("GET", ALPHA, "/organisation/venues/new/", page(200, *EAST)),
    Row("GET", ALPHA, "/organisation/venues/{ids[v1]}/edit/", page(200, *EAST)),
    Row("GET", ALPHA, "/organisation/venues/{ids[v2]}/edit/", page(200, *WEST_V2)),
    Row("GET", ALPHA, "/organisation/venues/{ids[v1]}/assess/", page(200, *EAST)),
    Row("GET", ALPHA, "/organisation/venues/{ids[v2]}/assess/", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/units/", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/units/{ids[unit]}/edit/", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/standards/", page(200)),
    Row("GET", ALPHA, "/organisation/standards/new/", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/progress/", page(200, *STAFF)),
    Row("GET", ALPHA, "/organisation/progress/export/", page(200, *STAFF)),
    Row("GET", ALPHA, "/organisation/funds/{ids[east]}/2024/", page(200, *EAST)),
    Row("GET", ALPHA, "/organisation/funds/{ids[west]}/2024/", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/redivisions/", page(200, *ADMIN)),
    # village re-division (撤并村): the township's villages, a split's second step, the three forms
    Row("GET", ALPHA, "/organisation/redivisions/?village-township={ids[east]}", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/redivisions/?village-township={ids[east]}&vsplit-source={ids[village_east]}"
        "&vsplit-parts=2", page(200, *ADMIN)),
    # east has one village: the administrator's merge reaches the form, which finds nothing to merge
    Row("POST", ALPHA, "/organisation/redivisions/villages/merge/", page(400, *ADMIN),
        data=Body({"village-township": "{ids[east]}", "vmerge-sources": ["{ids[village_east]}"],
                   "vmerge-into": "{ids[village_east]}", "vmerge-effective_on": "2024-01-01"}),
        content_type=MULTIPART_CONTENT),
    Row("POST", ALPHA, "/organisation/redivisions/villages/split/", page(302, *ADMIN),
        data=Body({"village-township": "{ids[east]}", "vsplit-source": "{ids[village_east]}", "vsplit-parts": "2",
                   "vparts-part1_name": "东一村", "vparts-part1_kind": "village", "vparts-part2_name": "东三村",
                   "vparts-part2_kind": "community", "vparts-effective_on": "2024-01-01"}),
        content_type=MULTIPART_CONTENT),
    Row("POST", ALPHA, f"/organisation/redivisions/scheduled/{MISSING}/cancel/", page(404, *ADMIN)),
    Row("POST", ALPHA, "/organisation/redivisions/merge/", page(302, *ADMIN),
        data=Body({"merge-sources": ["{ids[west]}"], "merge-into": "{ids[east]}", "merge-effective_on": "2099-01-01"}),
        content_type=MULTIPART_CONTENT),
    Row("POST", ALPHA, "/organisation/redivisions/villages/rename/", page(302, *ADMIN),
        data=Body({"village-township": "{ids[east]}", "vrename-village": "{ids[village_east]}",
                   "vrename-name": "东新村", "vrename-effective_on": "2024-01-01"}),
        content_type=MULTIPART_CONTENT),
]


class Workbook:
    """An organisation workbook upload (one handling unit), made when first read."""

    name = "organisation.xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def read(self) -> bytes:
        from core.xlsx import sheets_to_xlsx
        from organisation.services.workbook.columns import UNITS

        return sheets_to_xlsx([(str(UNITS.title), UNITS.headers, [["矩阵教育局", "政府部门", "", "", "是"]])])


# The organisation workbook: the county administrator's alone (API and page).
ROWS += [
    Row("GET", ALPHA, f"{API}/organisation/template/", only(200, *ADMIN)),
    Row("POST", ALPHA, f"{API}/organisation/import/", only(200, *ADMIN), data={"file": Workbook()},
        content_type=MULTIPART_CONTENT),
    Row("GET", ALPHA, f"{API}/organisation/import/{MISSING}/", only(404, *ADMIN)),
    Row("GET", ALPHA, f"{API}/organisation/export/", only(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/import/", page(200, *ADMIN)),
    Row("GET", ALPHA, "/organisation/import/template/", page(200, *ADMIN)),
    Row("GET", ALPHA, f"/organisation/import/{MISSING}/", page(404, *ADMIN)),
    Row("GET", ALPHA, "/organisation/export/", page(200, *ADMIN)),
]
