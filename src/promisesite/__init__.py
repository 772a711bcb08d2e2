"""promisesite: manage work as promises — check promise files in CI, publish them as a site."""

__version__ = "0.1.0"
