"""Realistic synthetic data for demonstrations, tests and benchmarks."""
