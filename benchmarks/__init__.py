"""Benchmark of the acceptance suite against nova's own functional test for
the same behaviour: ``python -m benchmarks`` (see ``__main__``)."""
