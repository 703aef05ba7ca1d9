"""`make bench`: every benchmark in turn; each writes its section of docs/benchmarks.md.

    .venv/bin/python benchmarks/run.py [--only import,review,forecast]

The data (the 1,000,000-customer demo company, about 20 million invoice lines) is generated on
first use into ./bench-data and reused afterwards. Expect about half an hour on 2 cores.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "import": ["bench_import.py"],
    "review": ["bench_review.py", "--optimized"],
    "forecast": ["bench_forecast.py"],  # the daily population of issue 16
    "forecast-synth": ["bench_forecast.py", "--population", "synth"],
    "dynamics": ["bench_dynamics.py"],
    "web": ["bench_web.py"],
    "online-retail": ["bench_online_retail.py"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHES), help="Comma-separated subset.")
    args = parser.parse_args()
    failed = []
    for name in args.only.split(","):
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / BENCHES[name][0]), *BENCHES[name][1:]])
        print(f"== {name}: exit {done.returncode} after {time.perf_counter() - started:.0f} s")
        if done.returncode:
            failed.append(name)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
