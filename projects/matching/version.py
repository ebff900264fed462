"""Engine version stamped on every result, so stored scores can be recomputed
when the method changes."""

ENGINE_VERSION = "2026.11-3"
