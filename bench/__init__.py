"""Benchmarks of the atlas at scale: synthetic data (`bench.generate`), the runner (`python -m bench`)
and the browser figure (`python -m bench.browser`). Nothing here is imported by the app."""
