"""luoshi.memo.Built: a value is built once per key, even when asked for at once, and the least
recently used key goes first."""

from luoshi.memo import Built


def test_built_once_per_key_and_reused():
    built = Built[list[str]](maxsize=4)
    calls: list[str] = []

    def make(key: str):
        def build() -> list[str]:
            calls.append(key)
            return [key]
        return build

    first = built.get("a", make("a"))
    assert built.get("a", make("a")) is first
    assert built.get("b", make("b")) == ["b"]
    assert calls == ["a", "b"]


def test_least_recently_used_is_dropped_when_full():
    built = Built[int](maxsize=2)
    calls: list[str] = []

    def build(key: str):
        return lambda: calls.append(key) or len(calls)

    built.get("a", build("a"))
    built.get("b", build("b"))
    built.get("a", build("a"))  # a is now the most recent
    built.get("c", build("c"))  # full: b goes
    built.get("a", build("a"))
    built.get("b", build("b"))  # rebuilt
    assert calls == ["a", "b", "c", "b"]


def test_clear_forgets_everything():
    built = Built[int](maxsize=2)
    calls: list[int] = []
    built.get("k", lambda: calls.append(1) or 1)
    built.clear()
    built.get("k", lambda: calls.append(2) or 2)
    assert calls == [1, 2]


def test_concurrent_misses_of_one_key_build_once_and_other_keys_meanwhile():
    import threading
    import time

    built, calls, answers, gate = Built[str](maxsize=4), [], [], threading.Barrier(8)
    other_done = threading.Event()

    def slow() -> str:
        calls.append("k")
        time.sleep(0.2)  # long enough for every other thread to arrive and wait
        return "value, other key built meanwhile" if other_done.is_set() else "value, other key waited"

    def ask() -> None:
        gate.wait()
        answers.append(built.get("k", slow))

    def ask_other() -> None:
        gate.wait()
        time.sleep(0.02)  # while "k" is being built
        answers.append(built.get("other", lambda: "quick"))
        other_done.set()

    threads = [threading.Thread(target=ask) for _ in range(7)] + [threading.Thread(target=ask_other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["k"]
    assert sorted(answers) == ["quick"] + ["value, other key built meanwhile"] * 7
    assert built.get("k", lambda: "rebuilt") == "value, other key built meanwhile"
