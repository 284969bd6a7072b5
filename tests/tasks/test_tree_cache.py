from luoshi.tasks.tree_cache import RenderedCache


def test_hit_miss_and_least_recently_used_eviction():
    cache = RenderedCache(max_bytes=10)
    cache.put("a", b"1234")
    cache.put("b", b"5678")
    assert cache.get("a") == b"1234"  # "a" is now the most recent
    cache.put("c", b"90ab")  # 12 bytes > 10: the least recent ("b") goes
    assert cache.get("b") is None
    assert cache.get("a") == b"1234" and cache.get("c") == b"90ab"


def test_a_body_larger_than_the_cache_is_not_kept():
    cache = RenderedCache(max_bytes=4)
    cache.put("big", b"12345")
    assert cache.get("big") is None
