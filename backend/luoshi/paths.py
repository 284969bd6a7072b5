"""Where the repository's non-Python parts live, relative to this package."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = REPO_ROOT / "migrations"
OPENAPI_FILE = REPO_ROOT / "openapi" / "openapi.json"
