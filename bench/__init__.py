"""Benchmarks: run with ``make bench`` (see bench/README.md). Never part of ``make test``."""
