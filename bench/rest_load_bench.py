"""Load test of the REST service: `laurel serve` on loopback, 64 concurrent keep-alive
connections, phases bounded in time (and requests):

- BARE   GET /bare (bench/bare_app.py)          the baseline: a bare FastAPI endpoint returning a
                                                small JSON, i.e. the framework's own limit here
- GET    GET /v2/assertions/{id}                authenticated Badgr GET of one assertion (what an
                                                issuing client reads most); every response must
                                                be 200 and carry that assertion's entityId
- PUBLIC GET /public/assertions/{id}            the hosted OB 2.0 assertion, no token (what every
                                                verifier of a shared badge fetches); 200 + its id
- POST   POST /v2/badgeclasses/{id}/assertions  award to a new recipient each time (201)

Fair comparison: the bare endpoint and Laurel run under the same server (uvicorn, the same
``--workers``, the same event loop and HTTP parser: uvloop and httptools when installed, as
``uvicorn[standard]`` does; no access log, no Server header, no proxy headers), are loaded by the
same client with the same threads, connections and duration, one after the other. With
``--rounds N`` the bare and Laurel GET phases alternate N times and the median ratio is reported
(robust to other load on the machine).

It prints, per phase, requests/s, latency percentiles (p50, p99, max) and errors (connection
errors, unexpected statuses, bodies that fail the check); then the CPU time per request of the
same requests in process (bench/rest_cpu.py: no server, no sockets, no load generator, so other
load on the machine hardly moves it); then a `target` / `measured` / `ratio` block. Targets:
GET >= 3,000 req/s and p99 <= 50 ms, GET >= 0.7 of the bare endpoint, zero errors.

The load comes from wrk (Debian's `wrk` package, a C client that barely competes with the server
for the CPU) when it is installed, else from the asyncio client below (one Python process; on a
small machine it takes a core from the server, so its numbers are a lower bound). The server is
started here, as `laurel serve` would run in production (uvicorn, `--workers`, the rate limiter on
but set high enough not to refuse the bench), over a fresh store in a temporary directory that is
removed at the end. Nothing listens beyond 127.0.0.1.

Usage: python bench/rest_load_bench.py [--workers 2] [--connections 64] [--seconds 10]
           [--max-requests 200000] [--client auto|wrk|python] [--rounds 3] [--no-cpu]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

import httpx

HOST = "127.0.0.1"
PASSWORD = "bench password 1234"
TARGET_GET_RPS = 3000
TARGET_P99_MS = 50.0
TARGET_BARE_RATIO = 0.7
BENCH_DIR = Path(__file__).resolve().parent


# --- the server ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(data: Path, port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ)
    env["LAUREL_RATE_LIMIT"] = str(10 ** 9)  # limiter on, never refusing the bench
    command = [sys.executable, "-m", "laurel", "--data", str(data), "serve", "--host", HOST,
               "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    return _started(command, env, data.parent / "server.log", port, "/healthz")


def start_bare_server(workdir: Path, port: int, workers: int) -> subprocess.Popen:
    """bench/bare_app.py under uvicorn with the settings `laurel serve` uses."""
    command = [sys.executable, "-m", "uvicorn", "--app-dir", str(BENCH_DIR), "bare_app:app",
               "--host", HOST, "--port", str(port), "--workers", str(workers),
               "--log-level", "warning", "--no-access-log", "--no-server-header",
               "--no-proxy-headers"]
    return _started(command, dict(os.environ), workdir / "bare.log", port, "/bare")


def _started(command: List[str], env: Dict[str, str], log: Path, port: int,
             ready_path: str) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=open(log, "wb"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{command[2]} exited: {log.read_text()}")
        try:
            if httpx.get(f"http://{HOST}:{port}{ready_path}", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{command[2]} did not start within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def prepare(base: str) -> Tuple[str, str, str]:
    """An account, a token, an issuer, a badge class and one assertion: (token, badge class id,
    assertion id)."""
    email = "bench@example.org"
    with httpx.Client(base_url=base, timeout=30) as client:
        created = client.post("/v2/users", json={"email": email, "password": PASSWORD})
        assert created.status_code == 201, created.text
        token = client.post("/o/token", data={"grant_type": "password", "username": email,
                                              "password": PASSWORD}).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        issuer = client.post("/v2/issuers", json={"name": "Bench U", "email": "b@example.org",
                                                  "url": "https://example.org"}).json()
        issuer_id = issuer["result"][0]["entityId"]
        badge = client.post(f"/v2/issuers/{issuer_id}/badgeclasses",
                            json={"name": "Bench", "description": "Benchmark badge"}).json()
        badge_id = badge["result"][0]["entityId"]
        assertion = client.post(f"/v2/badgeclasses/{badge_id}/assertions",
                                json={"recipient": {"identity": "learner@example.org"}}).json()
        return token, badge_id, assertion["result"][0]["entityId"]


# --- results -------------------------------------------------------------------------------

class Result:
    def __init__(self, name: str, requests: int, errors: int, seconds: float,
                 p50_ms: float, p99_ms: float, max_ms: float, detail: str = "") -> None:
        self.name, self.requests, self.errors, self.seconds = name, requests, errors, seconds
        self.p50_ms, self.p99_ms, self.max_ms, self.detail = p50_ms, p99_ms, max_ms, detail

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"{self.name:<5} {self.requests:>8} req in {self.seconds:5.1f} s = "
                f"{self.rps:8.0f} req/s   p50 {self.p50_ms:6.1f} ms   p99 {self.p99_ms:6.1f} ms"
                f"   max {self.max_ms:7.1f} ms   errors {self.errors}"
                + (f" ({self.detail})" if self.detail else ""))


def percentile(sorted_values: List[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, int(round(fraction * len(sorted_values))) - 1))
    return sorted_values[index]


# --- the asyncio client --------------------------------------------------------------------

async def _connection(request_for, check, deadline: float, budget: List[int],
                      latencies: List[float], errors: Dict[str, int], port: int) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            payload = request_for()
            started = time.perf_counter()
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            problem = check(status, body)
            if problem:
                errors[problem] = errors.get(problem, 0) + 1
    except (OSError, asyncio.IncompleteReadError, AttributeError, ValueError) as error:
        errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
    finally:
        writer.close()


def run_python(name: str, port: int, connections: int, seconds: float, max_requests: int,
               request_for, check) -> Result:
    latencies: List[float] = []
    errors: Dict[str, int] = {}

    async def main() -> float:
        deadline = time.monotonic() + seconds
        budget = [max_requests]
        started = time.perf_counter()
        await asyncio.gather(*(_connection(request_for, check, deadline, budget, latencies,
                                           errors, port) for _ in range(connections)))
        return time.perf_counter() - started

    elapsed = asyncio.run(main())
    latencies.sort()
    detail = ", ".join(f"{key}: {value}" for key, value in errors.items())
    return Result(name, len(latencies), sum(errors.values()), elapsed,
                  percentile(latencies, 0.5) * 1e3, percentile(latencies, 0.99) * 1e3,
                  (latencies[-1] if latencies else 0) * 1e3, detail)


# --- wrk -----------------------------------------------------------------------------------

_WRK_LUA = r"""
local method, path, token = [==[%(method)s]==], [==[%(path)s]==], [==[%(token)s]==]
local check, bodies = [==[%(check)s]==], %(bodies)s
local threads = {}
counter, bad = 0, 0  -- globals: done() reads each thread's `bad` with thread:get
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
  bad = 0
end
function request()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/json"}
  if token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  local body = nil
  if bodies then
    body = '{"recipient": {"identity": "wrk-' .. id .. '-' .. counter .. '@example.org"}}'
  end
  return wrk.format(method, path, headers, body)
end
function response(status, headers, body)
  if check ~= "" and not string.find(body, check, 1, true) then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local checked = 0
  for _, thread in ipairs(threads) do
    checked = checked + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "micros": %%d, "p50": %%d, "p99": %%d, "max": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "bad": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout, checked))
end
"""


def run_wrk(name: str, port: int, connections: int, seconds: float, method: str, path: str,
            token: str, check: str, unique_bodies: bool, workdir: Path) -> Result:
    script = workdir / f"{name}.lua"
    script.write_text(_WRK_LUA % {"method": method, "path": path, "token": token,
                                  "check": check, "bodies": "true" if unique_bodies else "false"})
    threads = max(1, min(2, os.cpu_count() or 1))
    completed = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{int(seconds)}s",
         "--timeout", "10s", "-s", str(script), f"http://{HOST}:{port}{path}"],
        capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"WRKJSON (\{.*\})", completed.stdout)
    if not match:
        raise SystemExit(f"wrk failed: {completed.stdout}\n{completed.stderr}")
    stats = json.loads(match.group(1))
    failures = {key: stats[key] for key in ("connect", "read", "write", "status", "timeout",
                                            "bad") if stats[key]}
    detail = ", ".join(f"{key}: {value}" for key, value in failures.items())
    return Result(name, stats["requests"], sum(failures.values()), stats["micros"] / 1e6,
                  stats["p50"] / 1e3, stats["p99"] / 1e3, stats["max"] / 1e3, detail)


# --- phases --------------------------------------------------------------------------------

def _expect(status_wanted: int, marker: bytes):
    def check(status: int, body: bytes):
        if status != status_wanted:
            return f"status {status}"
        return None if marker in body else "body check"
    return check


def run_get(name: str, client: str, port: int, args: argparse.Namespace, path: str, token: str,
            marker: str, workdir: Path) -> Result:
    """One GET phase on `path`; every response must be 200 and contain `marker`."""
    if client == "wrk":
        return run_wrk(name, port, args.connections, args.seconds, "GET", path, token, marker,
                       False, workdir)
    authorization = f"Authorization: Bearer {token}\r\n" if token else ""
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n{authorization}\r\n".encode()
    return run_python(name, port, args.connections, args.seconds, args.max_requests,
                      lambda: request, _expect(200, marker.encode()))


def run_post(client: str, port: int, args: argparse.Namespace, path: str, token: str,
             workdir: Path) -> Result:
    """The POST phase: an award to a new recipient per request; every response must be 201."""
    if client == "wrk":
        return run_wrk("POST", port, args.connections, args.seconds, "POST", path, token,
                       '"entityType":"Assertion"', True, workdir)
    counter = iter(range(10 ** 9))

    def post_bytes() -> bytes:
        body = json.dumps({"recipient": {"identity": f"py-{next(counter)}@example.org"}}).encode()
        return (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body

    return run_python("POST", port, args.connections, args.seconds, args.max_requests,
                      post_bytes, _expect(201, b'"entityType":"Assertion"'))


# --- main ----------------------------------------------------------------------------------

def server_stack() -> str:
    """What both servers run on (uvicorn picks uvloop and httptools when they are installed)."""
    import importlib.util
    import uvicorn
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"uvicorn {uvicorn.__version__}, loop {loop}, http {http}"


def median(results: List[Result]) -> Result:
    return sorted(results, key=lambda result: result.rps)[len(results) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase")
    parser.add_argument("--max-requests", type=int, default=200_000,
                        help="per phase (python client; wrk is bounded by --seconds)")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate the bare and Laurel GET phases this many times")
    parser.add_argument("--no-cpu", action="store_true",
                        help="skip the in-process CPU time per request (bench/rest_cpu.py)")
    args = parser.parse_args()
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    if client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --client python")

    workdir = Path(tempfile.mkdtemp(prefix="laurel-rest-bench-"))
    port, bare_port = free_port(), free_port()
    servers = [start_server(workdir / "data", port, args.workers),
               start_bare_server(workdir, bare_port, args.workers)]
    try:
        token, badge_id, assertion_id = prepare(f"http://{HOST}:{port}")
        get_path = f"/v2/assertions/{assertion_id}"
        public_path = f"/public/assertions/{assertion_id}"
        post_path = f"/v2/badgeclasses/{badge_id}/assertions"
        print(f"servers: bare and laurel serve alike: {server_stack()}, {args.workers} "
              f"worker(s); client {client}, {args.connections} connections, "
              f"{args.seconds:.0f} s per phase; {os.cpu_count()} CPUs, "
              f"load average before {os.getloadavg()[0]:.1f}")
        gets: List[Result] = []
        publics: List[Result] = []
        ratios: List[float] = []
        public_ratios: List[float] = []
        for round_number in range(1, max(1, args.rounds) + 1):
            bare = run_get("BARE", client, bare_port, args, "/bare", token, '"status":"ok"',
                           workdir)
            get = run_get("GET", client, port, args, get_path, token,
                          f'"entityId":"{assertion_id}"', workdir)
            public = run_get("PUBLIC", client, port, args, public_path, "",
                             f'/public/assertions/{assertion_id}"', workdir)
            for result in (bare, get, public):
                print(result.line())
            ratio = get.rps / bare.rps if bare.rps else 0.0
            public_ratio = public.rps / bare.rps if bare.rps else 0.0
            print(f"round {round_number}: GET / bare = {ratio:.2f}, PUBLIC / bare = "
                  f"{public_ratio:.2f}   (load average {os.getloadavg()[0]:.1f})")
            gets.append(get)
            publics.append(public)
            ratios.append(ratio)
            public_ratios.append(public_ratio)
        post = run_post(client, port, args, post_path, token, workdir)
        print(post.line())
        # The machine may be shared: the load says how much of it the bench really had.
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        for server in servers:
            stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)

    if not args.no_cpu:
        import rest_cpu  # bench/rest_cpu.py
        for line in rest_cpu.lines(rest_cpu.run(3000, posts=300)):
            print(line)
    get, public = median(gets), median(publics)
    ratio = sorted(ratios)[len(ratios) // 2]
    public_ratio = sorted(public_ratios)[len(public_ratios) // 2]
    errors = sum(result.errors for result in gets + publics) + post.errors
    rounds = f"median of {len(gets)} round(s)"
    print(f"target:   GET >= {TARGET_GET_RPS} req/s, p99 <= {TARGET_P99_MS:.0f} ms, "
          f"GET / bare >= {TARGET_BARE_RATIO}, zero errors")
    print(f"measured: GET {get.rps:.0f} req/s p99 {get.p99_ms:.1f} ms; PUBLIC {public.rps:.0f} "
          f"req/s p99 {public.p99_ms:.1f} ms; POST {post.rps:.0f} req/s p99 "
          f"{post.p99_ms:.1f} ms; errors {errors} ({rounds})")
    print(f"ratio:    GET / bare {ratio:.2f}, PUBLIC / bare {public_ratio:.2f} ({rounds})")
    verdict = (get.rps >= TARGET_GET_RPS and get.p99_ms <= TARGET_P99_MS
               and ratio >= TARGET_BARE_RATIO and errors == 0)
    print(f"targets {'met' if verdict else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
