"""Benchmarks of ITA Portal: `make bench` (python -m bench) writes bench/results.md."""
