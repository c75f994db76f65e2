"""Every rule of the product, with no Qt: reading, mapping, coercion, grouping, validation,
payloads, hashing, the API client, uploading, the ledger, settings and secrets.

A test (tests/core/test_no_qt.py) fails if anything in this package imports PySide6.
"""
