"""Every action code written anywhere in the code base has a Chinese label: the UI shows no raw code."""

import re
from pathlib import Path

from audit.labels import ACTION_LABELS, action_label
from duties.models import DutyRecord

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_.]+)"')
DYNAMIC = re.compile(r'action=f"')
# The other codes: the sign-in flows' (written in another branch), and the one f-string's values.
EXPECTED_DYNAMIC = {"platform/duties/services/records.py"}


def _sources():
    for folder in ("platform", "tenants", "api", "frontend"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_every_literal_code_has_a_label():
    used = {}
    for path in _sources():
        for code in LITERAL.findall(path.read_text()):
            used.setdefault(code, str(path.relative_to(ROOT)))
    missing = {code: where for code, where in used.items() if code not in ACTION_LABELS}
    assert not missing, f"action codes without a Chinese label in audit.labels: {missing}"
    assert len(used) > 60


def test_codes_built_at_run_time_are_known_and_labelled():
    dynamic = {str(p.relative_to(ROOT)) for p in _sources() if DYNAMIC.search(p.read_text())}
    assert dynamic == EXPECTED_DYNAMIC, "a new f-string action code: add its values to audit.labels and here"
    for status in DutyRecord.Status.values:
        assert f"duty_record.{status}" in ACTION_LABELS


def test_sign_in_codes_are_labelled():
    for code in ("auth.login", "auth.login_failed", "auth.locked", "auth.logout", "auth.password_set",
                 "auth.password_reset", "auth.password_change", "auth.otp_enrol", "auth.unlock"):
        assert code in ACTION_LABELS


def test_labels_are_chinese_and_an_unknown_code_is_not_shown_raw():
    for code, label in ACTION_LABELS.items():
        assert re.search(r"[\u4e00-\u9fff]", str(label)), code
    assert action_label("something.new") == "其他操作"
