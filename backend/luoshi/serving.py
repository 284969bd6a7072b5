"""Serving the app: one process, or several workers each listening on a socket of its own.

uvicorn's ``--workers`` binds one socket in its parent and shares it. The worker that wakes
first accepts every connection waiting, so connections opened together (a proxy's keep-alive
pool, a load test) mostly land on one worker while the other idles. Measured here: 32
connections split 30 to 2, p95 twenty times p50. On Linux each worker here binds its own socket
in one ``SO_REUSEPORT`` group instead, and the kernel spreads new connections across them by
address. The parent holds the port (bound, not listening) and restarts a worker that dies.

Each serving process loads the app and then freezes its heap (``settle_heap``) before it
answers anything.
"""

import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from typing import Any

import uvicorn
from sqlalchemy.orm import configure_mappers
from uvicorn.config import STARTUP_FAILURE

log = logging.getLogger("uvicorn.error")
RESTART_PAUSE_SECONDS = 1.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h
YOUNG_OBJECTS_BEFORE_COLLECTING = 10_000  # settle_heap


def serve(workers: int, **options: Any) -> None:
    """Run uvicorn with ``options`` (``uvicorn.Config``'s) in ``workers`` processes."""
    # Elsewhere SO_REUSEPORT does not spread connections (BSD gives them all to one socket).
    if options.get("reload") or (workers > 1 and sys.platform != "linux"):
        uvicorn.run(workers=workers, **options)
        return
    if workers <= 1:
        config = uvicorn.Config(**options)
        _load(config)
        server = uvicorn.Server(config)
        with contextlib.suppress(KeyboardInterrupt):
            server.run()
        if not server.started:  # as uvicorn.run: the port was taken, or the app failed to start
            sys.exit(STARTUP_FAILURE)
        return
    config = uvicorn.Config(**options)  # checks the options and sets up uvicorn's logging here too
    port_holder = _claim_port(config.host, config.port)
    context = multiprocessing.get_context("spawn")
    processes = [_start(context, options) for _ in range(workers)]
    log.info("Serving on http://%s:%d with %d workers, a socket each", config.host, config.port, workers)
    stopping = False

    def stop(signum: int, _: object) -> None:
        nonlocal stopping
        stopping = True

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    try:
        while not stopping:
            for i, process in enumerate(processes):
                if not process.is_alive() and not stopping:
                    log.warning("Worker %s exited with %s; starting another", process.pid, process.exitcode)
                    time.sleep(RESTART_PAUSE_SECONDS)  # a worker that cannot start must not spin
                    processes[i] = _start(context, options)
            time.sleep(0.2)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        for process in processes:
            process.join()
        port_holder.close()


def _start(context: Any, options: dict[str, Any]) -> Any:
    process = context.Process(target=_worker, args=(options, os.getpid()), daemon=False)
    process.start()
    return process


def _worker(options: dict[str, Any], parent: int) -> None:
    # A worker whose parent is gone (killed outright) stops instead of serving on, unwatched.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it went before the line above took effect
        return
    config = uvicorn.Config(**options)
    _load(config)
    uvicorn.Server(config).run(sockets=[_reuse_port_socket(config.host, config.port)])


def _load(config: uvicorn.Config) -> None:
    config.load()  # imports the app and builds it; uvicorn's server then takes it as loaded
    settle_heap()


def settle_heap() -> None:
    """Keep the loaded app out of the garbage collector's full passes.

    A full pass (generation 2) walks every object the process holds. Under load one came about
    once a second per worker, and with the app's 180,000 objects it took about 100 ms, during
    which the worker answered nothing: the slowest few requests in a hundred waited for it
    (measured on SQLite: the task list's p95 three times its p50). The objects that make up the
    app (modules, routes, models, mappers) live as long as the process, so they are collected
    once and then frozen (``gc.freeze``): the passes walk only what came after, a few
    milliseconds each. Reference counting still frees frozen objects as before; only cycles
    among them are never collected, and ``gc.collect()`` first leaves none.

    The youngest generation is collected after 10,000 new objects rather than Python's 700. A
    request's objects are mostly freed by reference counting when it ends, but a young pass
    that comes while 16 requests are under way moves theirs to an older generation, which then
    fills and is walked sooner; fewer young passes promote fewer of them (measured: the list's
    p95 on SQLite 45 → 34 ms).
    """
    configure_mappers()  # otherwise built on the first request, outside the frozen heap
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, *gc.get_threshold()[1:])


def _claim_port(host: str, port: int) -> socket.socket:
    """Hold the port for the workers, or stop as uvicorn does when something listens on it
    already: another server started with ``--workers`` must not join the group unnoticed."""
    try:
        with _socket(host) as probe:
            probe.bind((host, port))  # without SO_REUSEPORT: fails if any socket holds the port
        return _reuse_port_socket(host, port)
    except OSError as error:
        log.error("Cannot listen on %s:%d: %s", host, port, error)
        sys.exit(STARTUP_FAILURE)


def _reuse_port_socket(host: str, port: int) -> socket.socket:
    sock = _socket(host)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _socket(host: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return sock
