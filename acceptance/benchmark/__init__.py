"""Benchmark of the acceptance suite against nova's own functional test for
the same behaviour: ``python -m acceptance.benchmark`` (see ``__main__``)."""
