"""The import layers (pyproject.toml) are checked by import-linter; this keeps them honest: no module of
ours reaches another by an import placed inside a function, where a reader (and a refactoring) would not
see the dependency. Django's own idiom, wiring an app in AppConfig.ready(), and the settings' start of the
embedded servers (their packages are absent in production) are the only exceptions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = {"tenants", "api", "frontend", "config", "access", "audit", "core", "organisation", "people", "workdays",
        "notifications", "reception", "duties", "casework", "deploy"}
ALLOWED = {
    ("tenants/apps.py", "ready"),
    ("platform/access/apps.py", "ready"),
    ("platform/people/apps.py", "ready"),
    # the apps that keep records by place take part in organisation's re-division guard (issue 15)
    ("platform/duties/apps.py", "ready"),
    ("platform/reception/apps.py", "ready"),
    ("platform/casework/apps.py", "ready"),
    ("api/apps.py", "ready"),
    ("platform/config/settings/services.py", "_database_url"),
    ("platform/config/settings/services.py", "_redis_url"),
}


def _nested_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                ours = node.level > 0 or (node.module or "").split(".")[0] in OURS
            elif isinstance(node, ast.Import):
                ours = any(alias.name.split(".")[0] in OURS for alias in node.names)
            else:
                continue
            if ours:
                yield function.name, node.lineno


def test_no_module_of_ours_is_imported_inside_a_function():
    found = []
    for folder in ("api", "frontend", "platform", "tenants"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            found += [f"{relative}:{line} in {name}()" for name, line in _nested_imports(path)
                      if (relative, name) not in ALLOWED]
    assert found == []
