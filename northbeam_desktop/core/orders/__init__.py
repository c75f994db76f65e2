"""Spreadsheet → validated Northbeam orders: reading, mapping, understanding cells, grouping rows, the rules."""
