"""CPU time per request of the REST service's ASGI app, in process, beside the bare FastAPI
endpoint (bench/bare_app.py): the part of a request the application decides, without the HTTP
server, the sockets or the load generator, and without other load on the machine (it counts this
process's CPU time, not wall time). bench/rest_load_bench.py prints these lines beside its wrk
figures; alone, ``--profile`` also prints where the time goes (cProfile, by own time).

Requests (all answered 200 and checked):

- bare          GET /bare                             bench/bare_app.py
- GET auth      GET /v2/assertions/{id}               Badgr API, bearer token (the load bench's)
- GET public    GET /public/assertions/{id}           the hosted OB 2.0 document, no token
- POST award    POST /v2/badgeclasses/{id}/assertions a new recipient each time (writes to LMDB)

Usage: python bench/rest_cpu.py [--requests 3000] [--profile bare|get|public|post]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bare_app  # noqa: E402  (bench/bare_app.py)
from laurel.server.app import create_app  # noqa: E402
from laurel.server.config import ServerConfig  # noqa: E402

PASSWORD = "bench password 1234"


class Call:
    """One prepared request to an ASGI app: the scope, the body, the expected status."""

    def __init__(self, app: Any, method: str, path: str, headers: List[Tuple[bytes, bytes]],
                 body: Callable[[], bytes] = lambda: b"", status: int = 200) -> None:
        self.app, self.body, self.status = app, body, status
        self.scope: Dict[str, Any] = {
            "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1", "method": method, "scheme": "http", "path": path,
            "raw_path": path.encode(), "query_string": b"", "root_path": "",
            "headers": [(b"host", b"127.0.0.1")] + headers,
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
            "state": {}}

    async def __call__(self) -> bytes:
        body = self.body()
        scope = dict(self.scope, state={})
        if body:
            scope["headers"] = scope["headers"] + [(b"content-length", str(len(body)).encode())]
        sent = False
        status = 0
        chunks: List[bytes] = []

        async def receive() -> Dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: Dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        if status != self.status:
            raise SystemExit(f"{scope['method']} {scope['path']}: {status} {b''.join(chunks)!r}")
        return b"".join(chunks)


async def _lifespan(stack: AsyncExitStack, app: Any) -> None:
    await stack.enter_async_context(app.router.lifespan_context(app))


async def prepare(app: Any) -> Dict[str, Call]:
    """Signs up, logs in, makes an issuer, a badge class and an assertion through the app."""
    async def request(method: str, path: str, body: Any = None, token: str = "",
                      form: Optional[bytes] = None, status: int = 200) -> Dict[str, Any]:
        headers = [(b"authorization", f"Bearer {token}".encode())] if token else []
        if form is not None:
            headers.append((b"content-type", b"application/x-www-form-urlencoded"))
            payload = form
        else:
            headers.append((b"content-type", b"application/json"))
            payload = json.dumps(body).encode() if body is not None else b""
        return json.loads(await Call(app, method, path, headers, lambda: payload, status)())

    await request("POST", "/v2/users", {"email": "cpu@example.org", "password": PASSWORD},
                  status=201)
    token = (await request("POST", "/o/token", form=(
        b"grant_type=password&username=cpu%40example.org&password=" +
        PASSWORD.replace(" ", "+").encode())))["access_token"]
    issuer = (await request("POST", "/v2/issuers", {"name": "CPU U", "email": "c@example.org",
                                                    "url": "https://example.org"}, token,
                            status=201))["result"][0]["entityId"]
    badge = (await request("POST", f"/v2/issuers/{issuer}/badgeclasses",
                           {"name": "CPU", "description": "Benchmark badge"}, token,
                           status=201))["result"][0]["entityId"]
    assertion = (await request("POST", f"/v2/badgeclasses/{badge}/assertions",
                               {"recipient": {"identity": "learner@example.org"}}, token,
                               status=201))["result"][0]["entityId"]
    auth = [(b"authorization", f"Bearer {token}".encode())]
    counter = iter(range(10 ** 9))

    def award() -> bytes:
        return json.dumps({"recipient": {"identity": f"cpu-{next(counter)}@example.org"}}).encode()

    return {
        "bare": Call(bare_app.app, "GET", "/bare", auth),
        "get": Call(app, "GET", f"/v2/assertions/{assertion}", auth),
        "public": Call(app, "GET", f"/public/assertions/{assertion}", []),
        "post": Call(app, "POST", f"/v2/badgeclasses/{badge}/assertions",
                     auth + [(b"content-type", b"application/json")], award, 201),
    }


async def cpu_per_request(call: Call, requests: int) -> float:
    """Microseconds of this process's CPU per request (median of three batches)."""
    for _ in range(min(200, requests)):
        await call()
    batches = []
    for _ in range(3):
        started = time.process_time()
        for _ in range(requests):
            await call()
        batches.append((time.process_time() - started) / requests * 1e6)
    return sorted(batches)[1]


NAMES = {"bare": "bare", "get": "GET auth", "public": "GET public", "post": "POST award"}


async def measure(requests: int, profile: Optional[str] = None,
                  posts: Optional[int] = None) -> Dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="laurel-rest-cpu-") as data:
        config = ServerConfig(data=data, rate_limit=10 ** 9)
        app = create_app(config)
        async with AsyncExitStack() as stack:
            await _lifespan(stack, app)
            calls = await prepare(app)
            if profile:
                call = calls[profile]
                for _ in range(200):
                    await call()
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(requests):
                    await call()
                profiler.disable()
                pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
                return {}
            return {name: await cpu_per_request(call, posts if name == "post" and posts
                                                else requests)
                    for name, call in calls.items()}


def lines(results: Dict[str, float]) -> List[str]:
    """The printed lines: µs per request and the bare endpoint's CPU as a fraction of each."""
    bare = results["bare"]
    return [f"cpu   {NAMES[name]:<11} {micros:7.1f} µs/request in process"
            + ("" if name == "bare" else f"   bare / this = {bare / micros:.2f}")
            for name, micros in results.items()]


def run(requests: int, profile: Optional[str] = None, posts: Optional[int] = None
        ) -> Dict[str, float]:
    """measure() on the event loop uvicorn would use (uvloop when installed)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(measure(requests, profile, posts))
    return uvloop.run(measure(requests, profile, posts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", choices=sorted(NAMES))
    args = parser.parse_args()
    results = run(args.requests, args.profile, posts=min(args.requests, 500))
    for line in lines(results) if results else []:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
