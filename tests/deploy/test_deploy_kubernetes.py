"""Lint of the Kubernetes manifests in deploy/production/k8s/ (no database, no Django settings): the objects
are well-formed and safe (non-root, resource limits), one beat, a migrate Job that the long-running roles never
repeat, probes, selectors, the ingress and the config map.

    .venv/bin/python -m pytest tests/deploy -q -p no:django
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.deploy.deploy_paths import K8S, yaml_files

pytestmark = []  # no django_db: nothing here touches a database

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}


def _k8s_objects() -> list[tuple[Path, dict]]:
    objects = []
    for path in yaml_files(K8S):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc is not None:
                objects.append((path, doc))
    return objects


def _object_id(item: tuple[Path, dict]) -> str:
    path, doc = item
    name = (doc.get("metadata") or {}).get("name", "?") if isinstance(doc, dict) else "?"
    kind = doc.get("kind", "?") if isinstance(doc, dict) else "?"
    return f"{path.name}:{kind}/{name}"


K8S_OBJECTS = _k8s_objects()
WORKLOADS = [item for item in K8S_OBJECTS if item[1].get("kind") in WORKLOAD_KINDS]


def _pod_spec(doc: dict) -> dict:
    spec = doc["spec"]
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def _containers(pod_spec: dict) -> list[dict]:
    return list(pod_spec.get("initContainers") or []) + list(pod_spec.get("containers") or [])


def _component(doc: dict) -> str | None:
    return (doc.get("metadata", {}).get("labels") or {}).get("app.kubernetes.io/component")


def _one(kind: str, component: str | None = None, name: str | None = None) -> dict:
    found = [
        doc
        for _, doc in K8S_OBJECTS
        if doc.get("kind") == kind
        and (component is None or _component(doc) == component)
        and (name is None or doc["metadata"]["name"] == name)
    ]
    assert len(found) == 1, f"expected one {kind} (component={component}, name={name}), found {len(found)}"
    return found[0]


def _command_line(container: dict) -> str:
    return " ".join(str(part) for part in (container.get("command") or []) + (container.get("args") or []))


def _platform_host() -> str:
    return _one("ConfigMap", name="jiazhan-config")["data"]["PLATFORM_HOST"]


# ------------------------------------------------------------------------------------------ Kubernetes


def test_k8s_manifests_exist():
    assert K8S_OBJECTS, "no Kubernetes objects under deploy/production/k8s"


@pytest.mark.parametrize("item", K8S_OBJECTS, ids=_object_id)
def test_k8s_object_is_well_formed(item):
    path, doc = item
    assert doc.get("apiVersion"), f"{path.name}: apiVersion missing"
    assert doc.get("kind"), f"{path.name}: kind missing"
    metadata = doc.get("metadata") or {}
    assert metadata.get("name"), f"{path.name}: metadata.name missing"
    assert "namespace" not in metadata, f"{path.name}: manifests are namespace-less (use kubectl -n)"


@pytest.mark.parametrize("item", WORKLOADS, ids=_object_id)
def test_k8s_containers_are_non_root_and_limited(item):
    path, doc = item
    pod = _pod_spec(doc)
    pod_security = pod.get("securityContext") or {}
    containers = _containers(pod)
    assert containers, f"{_object_id(item)} has no containers"
    for container in containers:
        where = f"{_object_id(item)} container {container.get('name')}"
        security = container.get("securityContext") or {}
        run_as_non_root = security.get("runAsNonRoot", pod_security.get("runAsNonRoot"))
        assert run_as_non_root is True, f"{where}: runAsNonRoot must be true"
        run_as_user = security.get("runAsUser", pod_security.get("runAsUser"))
        assert run_as_user is None or run_as_user != 0, f"{where}: runs as uid 0"
        assert security.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation"
        resources = container.get("resources") or {}
        limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
        assert {"cpu", "memory"} <= set(limits), f"{where}: needs cpu and memory limits"
        assert {"cpu", "memory"} <= set(requests), f"{where}: needs cpu and memory requests"
        assert container.get("image"), f"{where}: no image"
        # `command` would replace the image's ENTRYPOINT (the environment check); roles use `args`.
        assert "command" not in container, f"{where}: use args, not command, to keep the entrypoint"


def test_k8s_workloads_use_one_image():
    images = {c["image"] for _, doc in WORKLOADS for c in _containers(_pod_spec(doc))}
    assert len(images) == 1, f"every role must run the same release image, found {sorted(images)}"


def test_k8s_workloads_read_existing_config():
    names = {(doc["kind"], doc["metadata"]["name"]) for _, doc in K8S_OBJECTS}
    for item in WORKLOADS:
        pod = _pod_spec(item[1])
        for container in _containers(pod):
            for source in container.get("envFrom") or []:
                if "configMapRef" in source:
                    assert ("ConfigMap", source["configMapRef"]["name"]) in names, _object_id(item)
                if "secretRef" in source:
                    assert ("Secret", source["secretRef"]["name"]) in names, _object_id(item)
        for volume in pod.get("volumes") or []:
            if "persistentVolumeClaim" in volume:
                claim = volume["persistentVolumeClaim"]["claimName"]
                assert ("PersistentVolumeClaim", claim) in names, f"{_object_id(item)}: no PVC {claim}"


def test_k8s_beat_is_a_single_recreated_replica():
    beat = _one("Deployment", component="beat")
    assert beat["spec"].get("replicas") == 1, "exactly one Celery beat"
    assert (beat["spec"].get("strategy") or {}).get("type") == "Recreate", "beat must use strategy Recreate"
    container = _containers(_pod_spec(beat))[0]
    assert re.search(r"\bcelery -A config beat\b", _command_line(container))
    autoscaled = {
        doc["spec"]["scaleTargetRef"]["name"] for _, doc in K8S_OBJECTS if doc["kind"] == "HorizontalPodAutoscaler"
    }
    assert beat["metadata"]["name"] not in autoscaled, "beat must never be autoscaled"


def test_k8s_only_the_beat_deployment_runs_beat():
    runs_beat = [
        _object_id(item)
        for item in WORKLOADS
        for c in _containers(_pod_spec(item[1]))
        if re.search(r"\bcelery -A config beat\b", _command_line(c))
    ]
    assert len(runs_beat) == 1, f"beat runs in {runs_beat}"


def test_k8s_migrate_job_runs_migrate_fleet():
    job = _one("Job", component="migrate")
    pod = _pod_spec(job)
    assert pod.get("restartPolicy") in {"Never", "OnFailure"}
    assert any("manage.py migrate_fleet" in _command_line(c) for c in _containers(pod))


def test_k8s_long_running_roles_never_migrate():
    for item in WORKLOADS:
        if item[1]["kind"] in {"Job", "CronJob"}:
            continue
        for container in _containers(_pod_spec(item[1])):
            assert "migrate" not in _command_line(container), f"{_object_id(item)} migrates: use the Job"


def test_k8s_web_runs_gunicorn_with_the_config_file():
    web = _one("Deployment", component="web")
    container = _containers(_pod_spec(web))[0]
    line = _command_line(container)
    assert "gunicorn -c deploy/production/gunicorn.conf.py" in line and "config.wsgi" in line


def test_k8s_worker_runs_celery_worker():
    worker = _one("Deployment", component="worker")
    assert re.search(r"\bcelery -A config worker\b", _command_line(_containers(_pod_spec(worker))[0]))


def test_k8s_web_probes():
    web = _one("Deployment", component="web")
    container = _containers(_pod_spec(web))[0]
    readiness = container.get("readinessProbe") or {}
    http_get = readiness.get("httpGet") or {}
    assert http_get.get("path") == "/readyz", "web readiness must be GET /readyz (database only)"
    headers = {h["name"].lower(): h["value"] for h in http_get.get("httpHeaders") or []}
    assert headers.get("host") == _platform_host(), "the readiness probe must send Host: PLATFORM_HOST"
    # /healthz also fails when the worker heartbeat is stale: liveness must not restart web for that.
    liveness = container.get("livenessProbe") or {}
    assert (liveness.get("httpGet") or {}).get("path") != "/healthz", "web liveness must not use /healthz"


def test_k8s_service_selects_the_web_pods():
    service = _one("Service", name="jiazhan-web")
    web = _one("Deployment", component="web")
    labels = web["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    container_ports = {p.get("name"): p["containerPort"] for p in _containers(_pod_spec(web))[0]["ports"]}
    for port in service["spec"]["ports"]:
        target = port["targetPort"]
        assert target in container_ports or target in container_ports.values()


def test_k8s_deployment_selectors_match_their_pods():
    for _, doc in K8S_OBJECTS:
        if doc["kind"] in {"Deployment", "StatefulSet", "DaemonSet"}:
            selector = doc["spec"]["selector"]["matchLabels"]
            labels = doc["spec"]["template"]["metadata"]["labels"]
            assert selector.items() <= labels.items(), doc["metadata"]["name"]


def test_k8s_ingress_routes_the_platform_and_every_county_host():
    ingress = _one("Ingress")
    host = _platform_host()
    hosts = {rule.get("host") for rule in ingress["spec"]["rules"]}
    assert {host, f"*.{host}"} <= hosts, f"ingress hosts {hosts} must cover {host} and *.{host}"
    services = {doc["metadata"]["name"] for _, doc in K8S_OBJECTS if doc["kind"] == "Service"}
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            assert path["backend"]["service"]["name"] in services


def test_k8s_allowed_hosts_cover_the_platform_host():
    data = _one("ConfigMap", name="jiazhan-config")["data"]
    host = data["PLATFORM_HOST"]
    allowed = [item.strip() for item in data.get("ALLOWED_HOSTS", "").split(",") if item.strip()]
    if allowed:  # empty means the settings' default, which is derived from PLATFORM_HOST
        assert host in allowed and f".{host}" in allowed


def test_k8s_configmap_holds_no_secrets():
    data = _one("ConfigMap", name="jiazhan-config")["data"]
    assert not {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} & set(data), "secrets belong in the Secret"
