"""The judging benchmark keeps running (it is not timed here: see benchmarks/README.md)."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "judging.py"


def test_benchmark_script_runs_and_prints_its_table():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--repeat", "1"], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "results, normalised (7500 scores)" in done.stdout
    assert "pairwise next pair among 300 projects" in done.stdout
