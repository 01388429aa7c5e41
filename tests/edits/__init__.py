"""Edits tests. A package so that its conftest imports as edits.conftest and never shadows tests/conftest.py."""
