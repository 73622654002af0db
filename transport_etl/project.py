"""Where the project lives, so the CLI finds its remembered database and catalog from any folder."""

from __future__ import annotations

from pathlib import Path


def project_root() -> Path:
    """The checkout this package runs from (`make` installs it editable: the folder with the Makefile);
    for a non-editable install, the current folder."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").exists() else Path.cwd()
