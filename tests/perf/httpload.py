"""Pages over real HTTP: gunicorn (2 sync workers) on loopback, driven by wrk (or, without wrk,
a bounded Python client: a few threads with keep-alive connections).

Each demo user signs in through the real sign-in form (CSRF token, password); the session
cookie then goes on every request. Latency percentiles come from wrk's own histogram.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from tests.perf.dataset import app_env
from tests.perf.measure import Stats

CONNECTIONS = 4
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d errors=%d\\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for _, p in pairs({50, 95, 99}) do
    io.write(string.format("P%d %d\\n", p, latency:percentile(p)))
  end
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, secret: str, workers: int = 2) -> None:
        self.port = free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.proc = subprocess.Popen(  # noqa: S603
            [gunicorn, "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "casework:create_app()"], env=app_env(url, secret))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = self.request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            cookies = {}
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    cookies[key] = rest.split(";", 1)[0]
            return response.status, cookies, text
        finally:
            conn.close()

    def sign_in(self, email: str, password: str) -> str:
        """A signed-in ``Cookie`` header value, through the real sign-in form."""
        _, cookies, html = self.request("GET", "/sign-in")
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        if not match:
            raise RuntimeError("no CSRF token on the sign-in page")
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = urllib.parse.urlencode({"csrf_token": match.group(1), "email": email,
                                       "password": password})
        status, signed, _ = self.request("POST", "/sign-in", body, {
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        if status != 302 or not signed:
            raise RuntimeError(f"sign-in as {email} failed ({status})")
        cookies.update(signed)
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def load(server: Server, path: str, cookie: str, seconds: float) -> tuple[Stats, int]:
    """(latency stats with requests/s, failed requests) for ``seconds`` of load on ``path``."""
    if shutil.which("wrk"):
        stats, failed = _wrk(server, path, cookie, seconds)
        if stats.n:
            return stats, failed
        # Every request took longer than the run (wrk counts only completed ones): time a few
        # whole requests instead.
    return _python_client(server, path, cookie, seconds)


def _wrk(server: Server, path: str, cookie: str, seconds: float) -> tuple[Stats, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        out = subprocess.run(  # noqa: S603
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "60s",
             "-s", script.name,
             "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{server.port}{path}"],
            capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    fields = dict(re.findall(r"(\w+)=(\d+)", out.split("RESULT", 1)[1].splitlines()[0]))
    p = {int(k): int(v) / 1000 for k, v in re.findall(r"^P(\d+) (\d+)$", out, re.M)}
    rps = int(fields["requests"]) / (int(fields["duration_us"]) / 1e6)
    stats = Stats(round(p[50], 3), round(p[95], 3), round(p[99], 3), int(fields["requests"]),
                  round(rps, 1))
    return stats, int(fields["non2xx"]) + int(fields["errors"])


def _python_client(server: Server, path: str, cookie: str, seconds: float) -> tuple[Stats, int]:
    samples: list[float] = []
    failed = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        mine: list[float] = []
        while time.perf_counter() < stop_at and len(mine) < 100_000:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):  # a timeout or a dropped connection
                with lock:
                    failed[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                continue
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                with lock:
                    failed[0] += 1
        conn.close()
        with lock:
            samples.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if not samples:  # nothing answered in time: report the failures, not a crash
        return Stats(0.0, 0.0, 0.0, 0, 0.0), failed[0]
    return Stats.of(samples, rps=round(len(samples) / elapsed, 1)), failed[0]


def run_pages(url: str, secret: str, pages: list[Any], seconds: float, password: str
              ) -> dict[str, dict[str, Any]]:
    server = Server(url, secret)
    try:
        cookies: dict[str, str] = {}
        out = {}
        for page in pages:
            if page.user not in cookies:
                cookies[page.user] = server.sign_in(page.user, password)
            stats, failed = load(server, page.path, cookies[page.user], seconds)
            wrk = shutil.which("wrk") is not None and stats.n > CONNECTIONS
            out[page.name] = {**stats.as_dict(), "failed": failed,
                              "client": "wrk" if wrk else "python",
                              "connections": CONNECTIONS}
        return out
    finally:
        server.stop()


