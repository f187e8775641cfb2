"""What the deployment-file lints share: where the files are, and the YAML among them."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROD = ROOT / "deploy" / "production"
K8S = PROD / "k8s"


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))
