"""Shared test configuration: bounded, reproducible property-based testing (#9).

The default hypothesis profile is derandomized with a bounded number of examples, so CI
runs the same cases every time and stays fast. ``HYPOTHESIS_PROFILE=fuzz pytest`` runs
many more random examples for a longer hunt; every crash found becomes a regression test.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
