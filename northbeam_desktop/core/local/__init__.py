"""State kept on this computer: folders, preferences, secrets in the OS keyring, log redaction, crash recovery."""
