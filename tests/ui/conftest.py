"""GUI tests share the root conftest's app home and in-memory keyring fixtures."""
