"""Accessibility checks in the browser tests: axe-core (bundled in axe-playwright-python, no network) run
on the page as it stands, WCAG 2.0/2.1 A and AA rules; a test fails on any serious or critical violation."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}
_AXE = Axe()


def serious_violations(page) -> list[str]:
    """Each serious or critical violation as "rule (impact): the first elements it names"."""
    results = _AXE.run(page, options=WCAG_AA)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def overflows_sideways(page) -> bool:
    """Whether the page is wider than the viewport (a phone would scroll it sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def page_problems(page, base: str, paths: list[str]) -> dict[str, list[str]]:
    """Each of `paths` that has a serious or critical violation or scrolls sideways, with what was found."""
    problems = {}
    for path in paths:
        page.goto(base + path)
        found = serious_violations(page)
        if overflows_sideways(page):
            found.append("scrolls sideways")
        if found:
            problems[path] = found
    return problems
