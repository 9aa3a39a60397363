"""Puts tests/ on sys.path (pytest's prepend import mode adds a conftest's directory), so the
harnesses of the test folders can share tests/node_helpers.py."""
