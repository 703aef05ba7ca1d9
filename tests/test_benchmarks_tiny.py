"""Benchmarks that cannot rot (issue 16.4): every script in benchmarks/ runs at its tiny size.

A schema or API change that breaks a benchmark (bench_review.py once failed with "table
invoices has 13 columns but 11 values were supplied" while building its data) fails here, in
`make test`, instead of on the next full benchmark run. Each script runs as its own process
with this interpreter, in a temporary working folder, and must not touch docs/benchmarks.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
DOC = ROOT / "docs" / "benchmarks.md"
#: Modules the benchmark scripts import, not scripts themselves.
HELPERS = {"report.py", "learned_ceiling.py", "oracle_ceiling.py", "run.py"}
SCRIPTS = sorted(p.name for p in BENCHMARKS.glob("*.py") if p.name not in HELPERS)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def test_every_benchmark_script_is_run_here():
    # A new script is covered by the parametrisation below; one that lost its tiny size fails
    # there. The list of helpers must stay short and true.
    assert {"bench_review.py", "bench_forecast.py", "bench_import.py"} <= set(SCRIPTS)
    for name in HELPERS:
        assert (BENCHMARKS / name).exists(), name


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_runs_at_tiny_size(script, tmp_path):
    if script == "bench_spark.py" and shutil.which("java") is None:
        pytest.skip("bench_spark.py needs Java for Spark (as tests/engine)")
    before = _digest(DOC)
    env = {**os.environ, "KUNDENWERT_BENCH_DATA": str(tmp_path / "bench-data")}
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--tiny"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (
        f"{script} --tiny failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    )
    assert _digest(DOC) == before, f"{script} --tiny wrote docs/benchmarks.md"
