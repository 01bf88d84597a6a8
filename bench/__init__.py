"""The course's benchmarks (`make bench`), run from the repository's root: `python -m bench.NAME`."""
