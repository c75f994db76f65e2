"""One open document: its session (open, save, recover, upload), the table, filters, problems panel and edits."""
