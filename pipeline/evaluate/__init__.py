"""Evaluation: the one scorer, and the reports built on it."""
