"""Writing one benchmark's section of docs/benchmarks.md, leaving the other sections alone."""

from __future__ import annotations

import os
import platform
import re
import resource
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
#: lifetimes is not a dependency of kundenwert: the comparisons run it from this venv.
BENCH_VENV = Path(__file__).resolve().parents[1] / ".venv-bench"


def lifetimes_python() -> str:
    """The Python of the benchmark venv with lifetimes, created on first use."""
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "lifetimes", "pandas", "pyarrow"],
            check=True,
        )
    return str(python)


def peak_rss_mib() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{os.cpu_count()} cores, {mem:.0f} GiB, {platform.machine()}, Python {python}"


def write_section(heading: str, body: str) -> None:
    """Replace (or append) the ``## heading`` section of docs/benchmarks.md."""
    text = DOC.read_text("utf-8") if DOC.exists() else "# Benchmarks\n"
    section = f"## {heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.write_text(text, "utf-8")
