"""Compile every .po catalogue of the project to .mo with polib, so no system gettext is needed."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ("locale", "platform/*/locale", "tenants/locale", "frontend/locale", "api/locale")


def main() -> None:
    for pattern in CATALOGUES:
        for po_path in ROOT.glob(f"{pattern}/*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


if __name__ == "__main__":
    main()
