"""Start `arcon serve` as a real process on a free loopback port, for tests and benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerURL(str):
    """The base URL (ending in /) of a live server; ``.pid`` is the server process."""

    pid: int

    def worker_pids(self) -> set[int]:
        """Processes the server started (its query and write workers)."""
        children = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid and fields[0] != "Z":
                children.add(int(stat.parent.name))
        return children


@contextmanager
def live_server(store: Path, *, token: str | None = None, env: dict[str, str] | None = None, args: tuple[str, ...] = ()):
    """Yield the `ServerURL` of a running server over ``store``; stop it afterwards."""
    port = free_port()
    cmd = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port), *args]
    full_env = {**os.environ, **(env or {})}
    if token:
        token_file = store.parent / f"token-{port}"
        token_file.write_text(token)
        cmd += ["--update-token-file", str(token_file)]
    log = open(store.parent / f"server-{port}.log", "wb")
    proc = subprocess.Popen(cmd, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = ServerURL(f"http://127.0.0.1:{port}/")
    url.pid = proc.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {(store.parent / f'server-{port}.log').read_text()}")
            try:
                httpx.get(url + "sparql", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start in 60 s") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
