"""REST GET throughput with one and with two `laurel serve` nodes over one PostgreSQL database,
beside one node over LMDB (the embedded baseline), in one run, with the CPU each part used.

Phases (wrk, 64 keep-alive connections; with two nodes, two wrk processes at once, 32
connections each, one per node, their requests summed):

- GET     GET /v2/assertions/{id} with a bearer token (a token look-up, an access check and the
          assertion: three store reads)
- PUBLIC  GET /public/assertions/{id} (the hosted OB 2.0 document every verifier fetches)

Setups: ``lmdb 1 node`` (a node over an LMDB directory), ``pg 1 node`` and ``pg 2 nodes`` (over
one database of a private cluster started here by scripts/pg-cluster.sh, durable settings). Each
node runs ``--workers W`` (default 1).

For each phase it prints requests/s, p99, and where the CPU went: CPU seconds of the nodes' and
of the database's processes (utime + stime from /proc/<pid>/stat of the postmaster, its reaped
children and every live backend) per request, and the database's share of all the CPU the
server side used. With these a reader can project: the nodes' part scales with more nodes on
more machines, the database's part is what one primary must carry for all of them.

Usage: python bench/rest_nodes_bench.py [--workers 1] [--seconds 6] [--connections 64]
           [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import rest_load_bench as load  # noqa: E402  (bench/: the server and wrk machinery)

CLUSTER = "restbench"
PASSPHRASE = "rest nodes bench passphrase"
TICKS = os.sysconf("SC_CLK_TCK")


# --- CPU accounting from /proc -------------------------------------------------------------

def _stat(pid: int) -> Optional[List[str]]:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields from 3 (state) on


def _children(parent: int) -> List[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[1]) == parent:
                found.append(int(entry))
    return found


def tree_cpu(root: int) -> float:
    """CPU seconds of `root` and its descendants: their own time, live or reaped."""
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        fields = _stat(pid)
        if fields is None:
            continue
        utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
        total += (utime + stime + cutime + cstime) / TICKS
        stack.extend(_children(pid))
    return total


# --- the database and the nodes ------------------------------------------------------------

def cluster(command: str) -> str:
    done = subprocess.run(["bash", str(REPO / "scripts" / "pg-cluster.sh"), command, CLUSTER],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "BUILD": str(REPO / "build")})
    return done.stdout.strip()


def postmaster_pid() -> int:
    pid_file = REPO / "build" / "pg" / CLUSTER / "data" / "postmaster.pid"
    return int(pid_file.read_text().split()[0])


def laurel_cli(data: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "laurel", "--data", data, *args], check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "LAUREL_PASSPHRASE": PASSPHRASE})


def fresh_database(url: str, name: str) -> str:
    """A new database on the cluster, its schema made by `laurel init`; its URL."""
    subprocess.run(["/usr/lib/postgresql/15/bin/psql", url, "-qc", f"CREATE DATABASE {name}"],
                   check=True)
    head, _, query = url.partition("?")
    database_url = f"{head.rsplit('/', 1)[0]}/{name}?{query}"
    laurel_cli(database_url, "init")
    return database_url


def start_node(data: str, port: int, workers: int, workdir: Path) -> subprocess.Popen:
    env = {**os.environ, "LAUREL_RATE_LIMIT": str(10 ** 9), "LAUREL_PASSPHRASE": PASSPHRASE,
           "LAUREL_OUTBOX": str(workdir / "outbox")}
    command = [sys.executable, "-m", "laurel", "--data", data, "serve", "--host", load.HOST,
               "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    return load._started(command, env, workdir / f"node-{port}.log", port, "/healthz")


# --- phases --------------------------------------------------------------------------------

class Phase:
    def __init__(self, setup: str, name: str, results: List[load.Result], wall: float,
                 nodes_cpu: float, db_cpu: float) -> None:
        self.setup, self.name, self.wall = setup, name, wall
        self.requests = sum(result.requests for result in results)
        self.errors = sum(result.errors for result in results)
        self.rps = sum(result.rps for result in results)
        self.p99_ms = max(result.p99_ms for result in results)
        self.nodes_cpu, self.db_cpu = nodes_cpu, db_cpu

    def row(self) -> str:
        per = 1e6 / max(1, self.requests)
        share = self.db_cpu / max(1e-9, self.db_cpu + self.nodes_cpu)
        return (f"{self.setup:<11} {self.name:<7} {self.rps:>8.0f} {self.p99_ms:>8.1f} "
                f"{self.nodes_cpu * per:>10.0f} {self.db_cpu * per:>10.0f} {share:>8.0%} "
                f"{(self.nodes_cpu + self.db_cpu) / self.wall:>8.2f} {self.errors:>6}")


HEADER = (f"{'setup':<11} {'phase':<7} {'req/s':>8} {'p99 ms':>8} {'node us/r':>10} "
          f"{'db us/r':>10} {'db share':>8} {'cores':>8} {'errors':>6}")


def run_phase(setup: str, name: str, ports: List[int], nodes: List[subprocess.Popen],
              db_pid: Optional[int], args: argparse.Namespace, path: str, token: str,
              marker: str, workdir: Path) -> Phase:
    connections = max(1, args.connections // len(ports))
    results: List[Optional[load.Result]] = [None] * len(ports)

    def drive(index: int) -> None:
        options = argparse.Namespace(connections=connections, seconds=args.seconds,
                                     max_requests=10 ** 9)
        results[index] = load.run_get(f"{name}{index}", "wrk", ports[index], options, path,
                                      token, marker, workdir)

    nodes_before = sum(tree_cpu(node.pid) for node in nodes)
    db_before = tree_cpu(db_pid) if db_pid else 0.0
    started = time.monotonic()
    threads = [threading.Thread(target=drive, args=(index,)) for index in range(len(ports))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    nodes_cpu = sum(tree_cpu(node.pid) for node in nodes) - nodes_before
    db_cpu = (tree_cpu(db_pid) - db_before) if db_pid else 0.0
    return Phase(setup, name, [result for result in results if result], wall, nodes_cpu, db_cpu)


class Setup:
    """Nodes over one store, started once, with an account, a token and an assertion."""

    def __init__(self, name: str, data: str, count: int, db_pid: Optional[int],
                 args: argparse.Namespace, workdir: Path) -> None:
        self.name, self.db_pid = name, db_pid
        self.ports = [load.free_port() for _ in range(count)]
        self.nodes = [start_node(data, port, args.workers, workdir) for port in self.ports]
        self.token, _, self.assertion_id = load.prepare(f"http://{load.HOST}:{self.ports[0]}")

    def phases(self, args: argparse.Namespace, workdir: Path) -> List[Phase]:
        assertion_id = self.assertion_id
        return [run_phase(self.name, name, self.ports, self.nodes, self.db_pid, args, path,
                          bearer, marker, workdir)
                for name, path, bearer, marker in (
                    ("GET", f"/v2/assertions/{assertion_id}", self.token,
                     f'"entityId":"{assertion_id}"'),
                    ("PUBLIC", f"/public/assertions/{assertion_id}", "",
                     f'/public/assertions/{assertion_id}"'))]

    def stop(self) -> None:
        for node in self.nodes:
            load.stop_server(node)


def median_phase(phases: List[Phase]) -> Phase:
    return sorted(phases, key=lambda phase: phase.rps)[len(phases) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1, help="worker processes per node")
    parser.add_argument("--connections", type=int, default=64, help="in all, split per node")
    parser.add_argument("--seconds", type=float, default=6.0, help="per phase")
    parser.add_argument("--rounds", type=int, default=3,
                        help="run every setup this many times, alternating; medians reported")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="laurel-nodes-bench-"))
    cluster("stop")
    shutil.rmtree(REPO / "build" / "pg" / CLUSTER, ignore_errors=True)
    url = cluster("start")
    setups: List[Setup] = []
    runs: Dict[Tuple[str, str], List[Phase]] = {}
    try:
        db_pid = postmaster_pid()
        setups = [Setup("lmdb 1 node", str(workdir / "lmdb"), 1, None, args, workdir),
                  Setup("pg 1 node", fresh_database(url, "one"), 1, db_pid, args, workdir),
                  Setup("pg 2 nodes", fresh_database(url, "two"), 2, db_pid, args, workdir)]
        print(f"{os.cpu_count()} CPU cores on this machine (nodes, database and wrk share "
              f"them; load average {os.getloadavg()[0]:.1f} before); {args.workers} "
              f"worker(s) per node, {args.connections} connections in all, "
              f"{args.seconds:.0f} s per phase, {args.rounds} rounds; {load.server_stack()}")
        print("node us/r, db us/r: CPU microseconds per request in the nodes' and in the "
              "database's processes; db share: the database's part of the server side's CPU; "
              "cores: server-side CPU seconds per second")
        print(HEADER)
        for _ in range(args.rounds):  # setups alternate: load from elsewhere hits them alike
            for setup in setups:
                for phase in setup.phases(args, workdir):
                    print(phase.row(), flush=True)
                    runs.setdefault((phase.setup, phase.name), []).append(phase)
    finally:
        for setup in setups:
            setup.stop()
        cluster("stop")
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"median of {args.rounds} rounds (load average after: {os.getloadavg()[0]:.1f}):")
    print(HEADER)
    by = {key: median_phase(phases) for key, phases in runs.items()}
    for phase in by.values():
        print(phase.row())
    for name in ("GET", "PUBLIC"):
        lmdb, one, two = (by[(setup, name)] for setup in ("lmdb 1 node", "pg 1 node",
                                                          "pg 2 nodes"))
        print(f"ratio {name:<6}: pg 1 node / lmdb 1 node {one.rps / lmdb.rps:.2f}; "
              f"pg 2 nodes / pg 1 node {two.rps / one.rps:.2f} (2 cores shared by all: more "
              f"nodes add no cores here)")
    errors = sum(phase.errors for phases in runs.values() for phase in phases)
    print(f"errors: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
