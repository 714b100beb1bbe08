"""Tests of the examples (data helpers)."""
