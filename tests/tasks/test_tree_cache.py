import gzip

from luoshi.rendered import Rendered, RenderedCache


def test_hit_miss_and_least_recently_used_eviction():
    cache = RenderedCache(max_bytes=12)  # each 4-byte body counts 5 (room for its gzip form)
    a, b, c = Rendered(b"1234"), Rendered(b"5678"), Rendered(b"90ab")
    cache.put("a", a)
    cache.put("b", b)
    assert cache.get("a") is a  # "a" is now the most recent
    cache.put("c", c)  # 15 > 12: the least recent ("b") goes
    assert cache.get("b") is None
    assert cache.get("a") is a and cache.get("c") is c


def test_a_body_larger_than_the_cache_is_not_kept():
    cache = RenderedCache(max_bytes=4)
    cache.put("big", Rendered(b"12345"))
    assert cache.get("big") is None


def test_the_gzip_form_is_made_once_and_decompresses_to_the_body():
    body = Rendered('{"title":"优化营商环境"}'.encode() * 100)
    first = body.gzipped()
    assert body.gzipped() is first
    assert gzip.decompress(first) == body.plain and len(first) < len(body.plain) // 10


def test_concurrent_misses_of_one_key_render_once():
    import threading
    import time

    cache, calls, gate = RenderedCache(max_bytes=1000), [], threading.Barrier(8)

    def render() -> bytes:
        calls.append(1)
        time.sleep(0.05)  # long enough for every other thread to arrive and wait
        return b"tree"

    def ask() -> None:
        gate.wait()
        assert cache.get_or_render("k", render).plain == b"tree"

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
