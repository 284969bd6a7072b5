"""Serving the app: one process, or several workers each listening on a socket of its own.

uvicorn's ``--workers`` binds one socket in its parent and shares it. The worker that wakes
first accepts every connection waiting, so connections opened together (a proxy's keep-alive
pool, a load test) mostly land on one worker while the other idles. Measured here: 32
connections split 30 to 2, p95 twenty times p50. On Linux each worker here binds its own socket
in one ``SO_REUSEPORT`` group instead, and the kernel spreads new connections across them by
address. The parent holds the port (bound, not listening) and restarts a worker that dies.
"""

import logging
import multiprocessing
import signal
import socket
import time
from typing import Any

import uvicorn

log = logging.getLogger("uvicorn.error")
RESTART_PAUSE_SECONDS = 1.0


def serve(workers: int, **options: Any) -> None:
    """Run uvicorn with ``options`` (``uvicorn.Config``'s) in ``workers`` processes."""
    if workers <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(workers=workers, **options)
        return
    port_holder = _reuse_port_socket(options["host"], options["port"])
    context = multiprocessing.get_context("spawn")
    processes = [_start(context, options) for _ in range(workers)]
    log.info("Serving on http://%s:%d with %d workers (one socket each)", options["host"], options["port"], workers)
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
    process = context.Process(target=_worker, args=(options,), daemon=False)
    process.start()
    return process


def _worker(options: dict[str, Any]) -> None:
    config = uvicorn.Config(**options)
    uvicorn.Server(config).run(sockets=[_reuse_port_socket(config.host, config.port)])


def _reuse_port_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock
