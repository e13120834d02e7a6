"""Start, kill and restart the real processes of the restart tests (gunicorn, the scheduler and
``flask alerts send-due``), each in a process group of its own so a kill takes all of it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import TEST_SECRET


def env_for(url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "CASEWORK_DATABASE_URL": url, "CASEWORK_SECRET_KEY": TEST_SECRET, **extra}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", *args], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True)


def gunicorn(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    process = start(["gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "casework:create_app()"],
                    env_for(url), log)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return process
        except OSError as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text()[-2000:]) from exc
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> int:
    """Signal the whole process group (gunicorn's workers too) and wait for the leader."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        return process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait(30)
