"""Weak entity tags for reads that are answered from change stamps (the tree, the to-do)."""

import hashlib


def weak(*parts: object) -> str:
    """A weak ETag naming ``parts``: the same in every worker process for the same parts."""
    raw = ":".join(str(part) for part in parts)
    return 'W/"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (or is ``*``): the client holds it."""
    if not if_none_match:
        return False
    sent = [t.strip() for t in if_none_match.split(",")]
    return "*" in sent or tag in sent
