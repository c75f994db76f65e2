"""Developer tools that do not ship in the app: a local stand-in for Northbeam's Orders API."""
