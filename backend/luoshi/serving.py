"""Serving the app: one process, or several workers each listening on a socket of its own.

uvicorn's ``--workers`` binds one socket in its parent and shares it. The worker that wakes
first accepts every connection waiting, so connections opened together (a proxy's keep-alive
pool, a load test) mostly land on one worker while the other idles. Measured here: 32
connections split 30 to 2, p95 twenty times p50. On Linux each worker here binds its own socket
in one ``SO_REUSEPORT`` group instead, and the kernel spreads new connections across them by
address. The parent holds the port (bound, not listening) and restarts a worker that dies.
"""

import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

log = logging.getLogger("uvicorn.error")
RESTART_PAUSE_SECONDS = 1.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def serve(workers: int, **options: Any) -> None:
    """Run uvicorn with ``options`` (``uvicorn.Config``'s) in ``workers`` processes."""
    # Elsewhere SO_REUSEPORT does not spread connections (BSD gives them all to one socket).
    if workers <= 1 or options.get("reload") or sys.platform != "linux":
        uvicorn.run(workers=workers, **options)
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
    uvicorn.Server(config).run(sockets=[_reuse_port_socket(config.host, config.port)])


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
