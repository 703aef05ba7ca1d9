"""Benchmark of the web application with 100,000 customers under 20 concurrent users.

Builds (once, unless --rebuild) a database of 100,000 customers with the same generator as
bench_review.py, runs one review, creates a user, starts ``kundenwert serve`` in a subprocess
on 127.0.0.1 and loads it with ApacheBench (``ab`` from Debian's apache2-utils, installed when
missing and running as root): the overview, the customer list (a filtered and sorted page and a
search) and three customer pages, each with ``--requests`` requests at ``--concurrency``
concurrent users after a warm-up. Writes the 50th/95th/99th percentiles under the heading
"Web" of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_web.py [--customers 100000] [--db PATH] [--rebuild]
        [--requests 400] [--concurrency 20] [--no-docs]
    .venv/bin/python benchmarks/bench_web.py --tiny   # 300 customers, seconds, no docs
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
AS_OF = "2025-12-31"
USER, PASSWORD = "bench", "bench-password-2026"


def prepare(db: Path, customers: int, rebuild: bool) -> None:
    from datetime import date

    from bench_review import build

    from kundenwert.review import run_review
    from kundenwert.settings import Settings
    from kundenwert.store import open_store
    from kundenwert.web.users import add_user

    if rebuild or not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        build(db, customers)
    with open_store(db) as store:
        if store.con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0:
            t0 = time.perf_counter()
            run_review(store, Settings(), date.fromisoformat(AS_OF), 12, created_by="bench")
            print(f"review: {time.perf_counter() - t0:.1f} s", flush=True)
        add_user(store, USER, "admin", PASSWORD, replace=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "kundenwert"
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start: " + proc.stderr.read().decode()[-2000:])


def log_in(base: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login", timeout=60).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    fields = {"name": USER, "password": PASSWORD, "next": "/", "csrf_token": token}
    opener.open(f"{base}/login", data=urllib.parse.urlencode(fields).encode(), timeout=600)
    return next(c.value for c in jar if c.name == "kw_session")


def get(base: str, path: str, cookie: str) -> str:
    req = urllib.request.Request(base + path, headers={"Cookie": f"kw_session={cookie}"})
    with urllib.request.urlopen(req, timeout=600) as resp:
        return resp.read().decode()


def ab(url: str, cookie: str, requests: int, concurrency: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "ab",
            "-q",
            "-n",
            str(requests),
            "-c",
            str(concurrency),
            "-C",
            f"kw_session={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pct = {int(p): float(ms) for p, ms in re.findall(r"^\s+(\d+)%\s+(\d+)", out, re.M)}
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))
    return {
        "p50": pct[50],
        "p95": pct[95],
        "p99": pct[99],
        "rps": rps,
        "failed": failed + (int(non2xx.group(1)) if non2xx else 0),
    }


def ensure_ab() -> None:
    if shutil.which("ab"):
        return
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "apache2-utils"], check=True)
    if not shutil.which("ab"):
        raise SystemExit("ApacheBench (ab) missing: apt-get install apache2-utils")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=ROOT / "bench-data" / "web-100k.duckdb")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="300 customers in a temporary folder, each page fetched once (ab when there); no docs",
    )
    args = parser.parse_args()
    if not args.tiny:
        ensure_ab()
        run(args)
        return
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        args.customers, args.db, args.rebuild = 300, Path(scratch) / "web.duckdb", True
        args.requests, args.concurrency, args.no_docs = 10, 2, True
        run(args)


def once(url: str, cookie: str, requests: int, concurrency: int) -> dict[str, float]:
    """One plain request instead of ApacheBench (the tiny size without ab)."""
    t0 = time.perf_counter()
    req = urllib.request.Request(url, headers={"Cookie": f"kw_session={cookie}"})
    with urllib.request.urlopen(req, timeout=600) as resp:
        failed = 0 if resp.status == 200 else 1
        resp.read()
    ms = 1000 * (time.perf_counter() - t0)
    return {"p50": ms, "p95": ms, "p99": ms, "rps": 1000 / ms, "failed": failed}


def run(args: argparse.Namespace) -> None:
    load_pages = ab if shutil.which("ab") else once
    prepare(args.db, args.customers, args.rebuild)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.db, port)
    try:
        t0 = time.perf_counter()
        cookie = log_in(base)  # its redirect opens the overview, which builds the snapshot
        warm = time.perf_counter() - t0
        listing = get(base, "/customers?sort=revenue", cookie)
        ids = re.findall(r'<td><a href="/customers/([^"]+)">', listing)
        pages = {
            "overview `/`": "/",
            "list, filtered and sorted": "/customers?abc_class_effective=B&sort=margin_3&dir=asc"
            "&page=3",
            "list, search": "/customers?q=Firma%2012&sort=name",
            "customer (largest)": f"/customers/{ids[0]}",
            "customer (mid-list)": f"/customers/{ids[len(ids) // 2]}",
            "customer (last on page)": f"/customers/{ids[-1]}",
        }
        # Let the background dynamics analysis finish, so the pages measured are complete.
        t0 = time.perf_counter()
        for _ in range(600):
            if 'id="alerts"' in get(base, "/", cookie):
                break
            time.sleep(1)
        dynamics = time.perf_counter() - t0
        results = {}
        load_before = os.getloadavg()[0]
        for label, path in pages.items():
            load_pages(base + path, cookie, max(args.requests // 10, 20), args.concurrency)
            results[label] = load_pages(base + path, cookie, args.requests, args.concurrency)
            print(label, results[label], flush=True)
        load = (load_before, os.getloadavg()[0])
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"load average before/after: {load[0]:.1f} / {load[1]:.1f}")
    if args.tiny and any(r["failed"] for r in results.values()):
        raise SystemExit(f"pages failed: {results}")
    if not args.no_docs:
        write_docs(args, results, (warm, dynamics), load)


def write_docs(args, results: dict, warm: tuple, load: tuple[float, float]) -> None:
    from report import machine, write_section

    rows = "\n".join(
        f"| {label} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['rps']:.0f} | "
        f"{r['failed']} |"
        for label, r in results.items()
    )
    worst = max(r["p95"] for r in results.values())
    body = f"""
Machine: {machine()}. {args.customers:,} customers (bench_review.py's generator), one review,
`kundenwert serve` (one uvicorn process) on 127.0.0.1, loaded by ApacheBench (`ab`, Debian
apache2-utils) on the same machine with {args.concurrency} concurrent users and
{args.requests} requests per page, logged in as an admin (all customers visible), after a
warm-up. Log-in and the first overview after start-up (or after a change) build the review's
in-memory snapshot: {warm[0]:.1f} s here; trajectories, phases and alerts follow in the
background (another {warm[1]:.0f} s; the measurement waits for them). One-minute load
average before/after the run: {load[0]:.1f} / {load[1]:.1f} (above 2 means other work shared
the 2 cores).

| page | p50 ms | p95 ms | p99 ms | requests/s | failed |
| --- | ---: | ---: | ---: | ---: | ---: |
{rows}

Target: 95th percentile at most 300 ms for overview, list and customer pages:
{"met" if worst <= 300 else "NOT met"} (worst p95 {worst:.0f} ms).

Reproduce: `.venv/bin/python benchmarks/bench_web.py` (builds bench-data/web-100k.duckdb on
first use).
"""
    write_section("Web", body)


if __name__ == "__main__":
    main()
