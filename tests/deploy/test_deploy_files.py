"""Lint of the production deployment files in deploy/production/ (no database, no Django settings).

Static checks only: the YAML parses, compose refers to files that exist, nginx passes the Host header
through, gunicorn's config compiles and reads its environment, and the Dockerfile builds a non-root
image without turning `platform/` into a package. The Kubernetes objects: test_deploy_kubernetes.py.

    .venv/bin/python -m pytest tests/deploy -q -p no:django
"""

from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess

import pytest
import yaml

from tests.deploy.deploy_paths import PROD, ROOT, rel, yaml_files

pytestmark = []  # no django_db: nothing here touches a database


STATIC_ROOT = "/srv/jiazhan/static"  # $JIAZHAN_DATA_DIR/static in the image

EXPECTED_FILES = [
    "Dockerfile",
    "Dockerfile.dockerignore",
    "entrypoint.sh",
    "compose.yaml",
    "nginx.conf",
    "gunicorn.conf.py",
    "README.md",
    "k8s/configmap.yaml",
    "k8s/secret.example.yaml",
    "k8s/migrate-job.yaml",
    "k8s/web-deployment.yaml",
    "k8s/worker-deployment.yaml",
    "k8s/beat-deployment.yaml",
    "k8s/ingress.yaml",
]


# --------------------------------------------------------------------------------------------- helpers


def _compose() -> dict:
    return yaml.safe_load((PROD / "compose.yaml").read_text(encoding="utf-8"))


def _compose_command(service: dict) -> str:
    command = service.get("command") or []
    return command if isinstance(command, str) else " ".join(str(part) for part in command)


def _dockerfile_lines() -> list[str]:
    """Instructions of the Dockerfile, comments dropped and continuation lines joined."""
    lines, current = [], ""
    for raw in (PROD / "Dockerfile").read_text(encoding="utf-8").splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    if current:
        lines.append(current)
    return lines


def _nginx_text_without_comments() -> str:
    """nginx.conf without # comments (a # inside quotes is kept)."""
    out = []
    for line in (PROD / "nginx.conf").read_text(encoding="utf-8").splitlines():
        quote, kept = None, []
        for char in line:
            if quote:
                quote = None if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            kept.append(char)
        out.append("".join(kept))
    return "\n".join(out)


def _dockerignore_excludes(patterns: list[str], path: str) -> bool:
    """Docker's rule, simplified: the last matching pattern wins; a pattern also matches a parent folder."""

    def regex(pattern: str) -> re.Pattern:
        out, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                out, i = out + "(?:.*/)?", i + 3
            elif pattern.startswith("**", i):
                out, i = out + ".*", i + 2
            elif pattern[i] == "*":
                out, i = out + "[^/]*", i + 1
            elif pattern[i] == "?":
                out, i = out + "[^/]", i + 1
            else:
                out, i = out + re.escape(pattern[i]), i + 1
        return re.compile(out + r"\Z")

    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        body = pattern[1:] if negate else pattern
        body = os.path.normpath(body.strip().lstrip("/")).rstrip("/")
        if any(regex(body).match(candidate) for candidate in candidates):
            excluded = not negate
    return excluded


# ------------------------------------------------------------------------------------------ all files


@pytest.mark.parametrize("name", EXPECTED_FILES)
def test_expected_file_exists(name):
    assert (PROD / name).is_file(), f"deploy/production/{name} is missing"


@pytest.mark.parametrize("path", yaml_files(PROD), ids=rel)
def test_yaml_parses(path):
    docs = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]
    assert docs, f"{rel(path)} holds no YAML document"
    assert all(isinstance(doc, dict) for doc in docs), f"{rel(path)}: every document must be a mapping"


def test_no_tenant_limit_set_calls_anywhere():
    # Turning it on breaks the per-county search_path handling (see tenants/db/base.py).
    offenders = [
        rel(path)
        for path in PROD.rglob("*")
        if path.is_file() and "TENANT_LIMIT_SET_CALLS" in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert not offenders, f"TENANT_LIMIT_SET_CALLS appears in {offenders}"


def test_no_pgbouncer_transaction_pooling():
    pattern = re.compile(r"pool_mode\s*[=:]\s*[\"']?transaction", re.IGNORECASE)
    offenders = [
        rel(path)
        for path in PROD.rglob("*")
        if path.is_file() and pattern.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not offenders, f"PgBouncer must run in session mode, not transaction mode: {offenders}"


def test_platform_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists(), "platform/ is a source root, never a package"


# ---------------------------------------------------------------------------------------------- compose


def test_compose_has_every_service():
    services = _compose()["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat", "nginx"} <= set(services)
    assert str(services["postgres"]["image"]).startswith("postgres:16")
    assert str(services["redis"]["image"]).startswith("redis:7")


def test_compose_migrate_runs_once_before_the_app():
    services = _compose()["services"]
    assert "manage.py migrate_fleet" in _compose_command(services["migrate"])
    assert str(services["migrate"].get("restart", "no")) == "no"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        assert "migrate" not in _compose_command(services[name]), f"{name} must not migrate"
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_compose_dependencies_exist_and_do_not_loop():
    services = _compose()["services"]
    for name, service in services.items():
        depends_on = service.get("depends_on") or []
        for dependency in depends_on:
            assert dependency in services, f"{name} depends on unknown service {dependency}"
            assert dependency != name, f"{name} depends on itself"


def test_compose_roles():
    services = _compose()["services"]
    assert "gunicorn -c deploy/production/gunicorn.conf.py" in _compose_command(services["web"])
    assert re.search(r"\bcelery -A config worker\b", _compose_command(services["worker"]))
    assert re.search(r"\bcelery -A config beat\b", _compose_command(services["beat"]))
    beats = [n for n, s in services.items() if re.search(r"\bcelery -A config beat\b", _compose_command(s))]
    assert beats == ["beat"], f"exactly one beat service, found {beats}"
    assert (services["beat"].get("deploy") or {}).get("replicas", 1) == 1


def test_compose_healthchecks():
    services = _compose()["services"]
    for name in ("postgres", "redis", "web", "nginx"):
        assert (services[name].get("healthcheck") or {}).get("test"), f"{name} needs a healthcheck"


def test_compose_references_only_existing_files():
    compose = _compose()
    base = PROD
    stages = set(re.findall(r"(?im)^FROM\s+\S+\s+AS\s+(\S+)", (PROD / "Dockerfile").read_text(encoding="utf-8")))
    for name, service in compose["services"].items():
        build = service.get("build")
        if build:
            build = {"context": build} if isinstance(build, str) else build
            context = (base / build.get("context", ".")).resolve()
            assert context.is_dir(), f"{name}: build context {context} missing"
            dockerfile = context / build.get("dockerfile", "Dockerfile")
            assert dockerfile.is_file(), f"{name}: Dockerfile {dockerfile} missing"
            if build.get("target"):
                assert build["target"] in stages, f"{name}: no stage {build['target']!r} in the Dockerfile"
        for volume in service.get("volumes") or []:
            source = volume.get("source") if isinstance(volume, dict) else volume.split(":", 1)[0]
            if isinstance(volume, dict) and volume.get("type") != "bind":
                continue
            if source.startswith((".", "/", "~")):
                assert (base / source).resolve().exists(), f"{name}: mounted file {source} missing"
            else:
                assert source in (compose.get("volumes") or {}), f"{name}: undeclared volume {source}"
        env_files = service.get("env_file") or []
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            path = env_file if isinstance(env_file, str) else env_file["path"]
            required = isinstance(env_file, str) or env_file.get("required", True)
            assert not required or (base / path).is_file(), f"{name}: env_file {path} missing"
        command = service.get("command") or []
        if not isinstance(command, str) and command[:1] == ["gunicorn"] and "-c" in command:
            config_file = command[command.index("-c") + 1]
            assert (ROOT / config_file).is_file(), f"{name}: {config_file} (relative to /app) missing"


def test_compose_nginx_mounts_this_nginx_conf():
    nginx = _compose()["services"]["nginx"]
    mounts = [v for v in nginx.get("volumes") or [] if isinstance(v, str)]
    assert any(m.split(":")[0] == "./nginx.conf" and m.split(":")[1] == "/etc/nginx/nginx.conf" for m in mounts)


# ------------------------------------------------------------------------------------------------ nginx


def test_nginx_braces_balance():
    depth = 0
    for number, line in enumerate(_nginx_text_without_comments().splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"nginx.conf line {number}: unmatched closing brace"
    assert depth == 0, "nginx.conf: unclosed brace"


def test_nginx_statements_end_with_semicolons():
    for number, line in enumerate(_nginx_text_without_comments().splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.endswith((";", "{", "}")):
            # a directive continued on the next line (log_format's strings) is fine
            assert stripped.startswith(("'", '"')) or stripped.startswith("log_format"), (
                f"nginx.conf line {number} does not end with ; {{ or }}: {stripped}"
            )


def test_nginx_proxies_with_the_host_header():
    text = _nginx_text_without_comments()
    assert re.search(r"proxy_set_header\s+Host\s+\$(http_host|host)\s*;", text), "Host must be passed through"
    assert re.search(r"proxy_pass\s+http://", text)
    assert re.search(r"server\s+web:8000\s*;", text) or "proxy_pass http://web:8000" in text


def test_nginx_routes_by_wildcard_host():
    text = _nginx_text_without_comments()
    names = " ".join(re.findall(r"server_name\s+([^;]+);", text))
    assert re.search(r"(^|\s)(\*\.|\.)\S+", names), f"no wildcard server_name in {names!r}"


def test_nginx_serves_static_and_limits():
    text = _nginx_text_without_comments()
    static = re.search(r"location\s+/static/\s*\{([^}]*)\}", text)
    assert static, "no location /static/"
    assert re.search(rf"(alias|root)\s+{re.escape(STATIC_ROOT)}/?\s*;", static.group(1))
    assert re.search(r"client_max_body_size\s+20m\s*;", text)
    for directive in ("proxy_connect_timeout", "proxy_read_timeout", "proxy_send_timeout"):
        assert re.search(rf"{directive}\s+\d+s?\s*;", text), f"{directive} missing"


def test_nginx_does_not_serve_media_directly():
    # Uploaded files are per county; serving MEDIA_ROOT from nginx would bypass the host check.
    assert not re.search(r"location\s+[^{]*/media", _nginx_text_without_comments())


# --------------------------------------------------------------------------------------------- gunicorn


def test_gunicorn_conf_compiles():
    source = (PROD / "gunicorn.conf.py").read_text(encoding="utf-8")
    compile(source, "gunicorn.conf.py", "exec")


def test_gunicorn_conf_values(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    conf = runpy.run_path(str(PROD / "gunicorn.conf.py"))
    assert conf["workers"] == 5, "workers must come from WEB_CONCURRENCY"
    assert conf["bind"] == "0.0.0.0:8000"
    assert conf["worker_tmp_dir"] == "/dev/shm"
    assert conf["accesslog"] == "-"
    assert conf["loglevel"] == "warning"
    assert conf["graceful_timeout"] > 0
    assert conf["timeout"] >= conf["graceful_timeout"]
    monkeypatch.setenv("WEB_CONCURRENCY", "")
    assert runpy.run_path(str(PROD / "gunicorn.conf.py"))["workers"] >= 1


def test_gunicorn_conf_names_are_gunicorn_settings():
    gunicorn_config = pytest.importorskip("gunicorn.config")
    known = set(gunicorn_config.Config().settings)
    conf = runpy.run_path(str(PROD / "gunicorn.conf.py"))
    names = {k for k, v in conf.items() if not k.startswith("_") and not callable(v) and k != "os"}
    assert names <= known, f"unknown gunicorn settings: {sorted(names - known)}"


# ------------------------------------------------------------------------------------------- Dockerfile


def test_dockerfile_base_and_user():
    lines = _dockerfile_lines()
    assert lines[0].upper().startswith("FROM PYTHON:3.11-SLIM"), "the app stage is based on python:3.11-slim"
    users = [line.split(None, 1)[1].strip() for line in lines if line.upper().startswith("USER ")]
    assert users, "the Dockerfile needs a USER line"
    for user in users:
        assert user.split(":")[0] not in {"root", "0"}, f"USER {user} is root"


def test_dockerfile_keeps_platform_a_source_root():
    instructions = "\n".join(_dockerfile_lines())
    assert "platform/__init__.py" not in instructions, "never create platform/__init__.py"
    assert re.search(r"PYTHONPATH=/app:/app/platform\b", instructions)
    assert re.search(r"DJANGO_SETTINGS_MODULE=config\.settings\b", instructions)


def test_dockerfile_build_steps():
    instructions = "\n".join(_dockerfile_lines())
    assert "pip install -r requirements/base.txt" in instructions
    assert "python deploy/compilemessages.py" in instructions
    collect = [line for line in _dockerfile_lines() if "collectstatic --noinput" in line]
    assert collect, "collectstatic --noinput must run at build"
    for variable in ("SECRET_KEY=", "DATABASE_URL=postgres", "REDIS_URL=redis"):
        assert any(variable in line for line in collect), f"collectstatic needs a build-time {variable}..."
    assert not re.search(r"manage\.py\s+migrate", instructions), "never migrate at build: it is a release step"


def test_dockerfile_copies_existing_files():
    for line in _dockerfile_lines():
        if not line.upper().startswith(("COPY ", "ADD ")) or "--from=" in line:
            continue
        parts = [p for p in line.split()[1:] if not p.startswith("--")]
        for source in parts[:-1]:
            assert (ROOT / source).exists(), f"{line}: {source} not in the build context"


def test_dockerfile_entrypoint_exists():
    entrypoints = [line for line in _dockerfile_lines() if line.upper().startswith("ENTRYPOINT")]
    assert entrypoints
    for path in re.findall(r"/app/(\S+?)\"", entrypoints[-1]):
        assert (ROOT / path).is_file(), f"ENTRYPOINT script {path} missing"


def test_dockerignore_keeps_what_the_image_needs():
    patterns = [
        line.strip()
        for line in (PROD / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    needed = [
        "manage.py",
        "requirements/base.txt",
        "platform/config/settings/__init__.py",
        "platform/config/wsgi.py",
        "tenants/__init__.py",
        "api/__init__.py",
        "frontend/__init__.py",
        "deploy/__init__.py",
        "deploy/compilemessages.py",
        "deploy/production/entrypoint.sh",
        "deploy/production/gunicorn.conf.py",
    ]
    for path in needed:
        assert not _dockerignore_excludes(patterns, path), f"Dockerfile.dockerignore excludes {path}"
    for path in (".git/HEAD", ".venv/bin/python", ".data/secret_key", "tenants/__pycache__/x.pyc"):
        assert _dockerignore_excludes(patterns, path), f"Dockerfile.dockerignore should exclude {path}"


# ----------------------------------------------------------------------------------------- entrypoint


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_entrypoint_refuses_a_missing_environment(tmp_path):
    script = str(PROD / "entrypoint.sh")
    assert subprocess.run(["sh", "-n", script], check=False).returncode == 0
    bare = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    refused = subprocess.run(["sh", script, "true"], env=bare, capture_output=True, text=True, check=False)
    assert refused.returncode != 0 and "DATABASE_URL" in refused.stderr
    full = {
        **bare,
        "DATABASE_URL": "postgres://u@h/d",
        "REDIS_URL": "redis://h:6379",
        "SECRET_KEY": "x",
        "PLATFORM_HOST": "jiazhan.example.gov.cn",
    }
    ran = subprocess.run(["sh", script, "echo", "started"], env=full, capture_output=True, text=True, check=False)
    assert ran.returncode == 0 and ran.stdout.strip() == "started"
