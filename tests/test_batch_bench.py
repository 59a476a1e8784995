"""bench/bench_check.py runs and reports its figures (a smoke test, not a speed bar)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_bench_runs():
    run = subprocess.run([sys.executable, str(REPO / "bench" / "bench_check.py"), "--min-seconds", "0", "--min-runs", "1", "--json"],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    res = json.loads(run.stdout)
    print(json.dumps(res, ensure_ascii=False))
    assert res["txt"]["reports"] > 0 and res["txt"]["reports_per_s"] > 0
    assert res["docx"]["files"] > 0 and res["docx"]["ratio_to_bare_python_docx"] > 0
