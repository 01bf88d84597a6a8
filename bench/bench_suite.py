"""What `make test` costs against the course it tests, measured in the same run.

Target of issue 21: `make test` takes at most twice one plain execution of every numbered notebook
(nbclient, one fresh kernel each, as bench_notebooks runs them). This benchmark runs both, one after
the other on the same machine, and prints both times and their ratio. A benchmark, not a test: the
times move with the machine and its load.

    .venv/bin/python -m bench.bench_suite
"""

import subprocess
import sys
import time

from bench.bench_notebooks import run
from tools import numbered_notebooks


def main():
    plain = sum(run(path)[0] for path in numbered_notebooks())
    print(f"bench plain_execution_seconds: {plain:.1f} s (every numbered notebook, one kernel each)", flush=True)
    start = time.perf_counter()
    done = subprocess.run(["make", "test"], capture_output=True, text=True)
    suite = time.perf_counter() - start
    summary = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    print(f"bench make_test_seconds: {suite:.1f} s  [{summary}]")
    print(f"bench make_test_over_plain_execution: {suite / plain:.2f} (goal <= 2)")
    if done.returncode:
        print(f"bench make_test_failed: exit status {done.returncode} (the ratio counts a failing run)")
        sys.exit(done.returncode)


if __name__ == "__main__":
    main()
