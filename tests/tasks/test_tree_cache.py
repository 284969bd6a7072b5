"""Rendered answers kept by weight (``luoshi.rendered``, ``memo.Built`` with ``weigh``)."""

import gzip

from luoshi.memo import Built
from luoshi.rendered import Rendered


def _cache(max_bytes: int) -> Built[Rendered]:
    return Built(max_bytes, weigh=lambda rendered: rendered.size)


def test_hit_miss_and_least_recently_used_eviction():
    cache = _cache(12)  # each 4-byte body counts 5 (room for its gzip form)
    a, b, c = Rendered(b"1234"), Rendered(b"5678"), Rendered(b"90ab")
    built: list[str] = []

    def keep(key: str, body: Rendered) -> Rendered:
        return cache.get(key, lambda: built.append(key) or body)

    keep("a", a)
    keep("b", b)
    assert keep("a", Rendered(b"other")) is a  # "a" is now the most recent
    keep("c", c)  # 15 > 12: the least recent ("b") goes
    assert keep("a", Rendered(b"other")) is a and keep("c", Rendered(b"other")) is c
    assert keep("b", Rendered(b"5678")) is not b  # built again
    assert built == ["a", "b", "c", "b"]


def test_a_body_larger_than_the_cache_is_not_kept():
    cache = _cache(4)
    big = Rendered(b"12345")
    assert cache.get("big", lambda: big) is big
    assert cache.get("big", lambda: Rendered(b"again")).plain == b"again"


def test_the_gzip_form_is_made_once_and_decompresses_to_the_body():
    body = Rendered('{"title":"优化营商环境"}'.encode() * 100)
    first = body.gzipped()
    assert body.gzipped() is first
    assert gzip.decompress(first) == body.plain and len(first) < len(body.plain) // 10
