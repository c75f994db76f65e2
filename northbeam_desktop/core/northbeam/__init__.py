"""Talking to Northbeam: environments, the HTTP client, pacing and retrying uploads, the ledger of what was sent."""
