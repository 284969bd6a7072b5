"""Weak entity tags for reads that are answered from change stamps (the tree, the to-do).

A tag is a keyed hash (HMAC, under the secret key) of what it names: only the server can make
one, so a tag a client sends is one the server gave for exactly that state, to a caller with
exactly that scope. That lets a read answer 304 from its stamps alone, before it checks what
the caller may see: a caller who could not see the task never held its tag.
"""

import hashlib
import hmac

from luoshi.settings import get_settings


def weak(*parts: object) -> str:
    """A weak ETag naming ``parts``: the same in every worker process for the same parts."""
    raw = ":".join(str(part) for part in parts)
    digest = hmac.new(get_settings().secret_key.encode(), raw.encode(), hashlib.sha256).hexdigest()
    return 'W/"' + digest[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag``: the client holds it."""
    return bool(if_none_match) and tag in [t.strip() for t in if_none_match.split(",")]  # type: ignore[union-attr]
