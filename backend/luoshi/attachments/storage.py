"""Attachment files on disk, addressed by their SHA-256 so equal files are stored once."""

import hashlib
import os
import tempfile
from pathlib import Path

from luoshi.paths import REPO_ROOT
from luoshi.settings import get_settings


def root() -> Path:
    configured = Path(get_settings().attachment_dir)
    return configured if configured.is_absolute() else REPO_ROOT / configured


def path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return root() / sha256[:2] / sha256[2:4] / sha256


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store(data: bytes) -> str:
    """Write the bytes (once) and return their SHA-256.

    The file is written beside its final place and renamed, so a reader never sees half a file
    and two uploads of the same content race harmlessly. A file left behind by a request that
    later rolled back is harmless: it is only reachable through a row that names its digest.
    """
    sha256 = digest(data)
    target = path_for(sha256)
    if target.is_file():
        return sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha256
