"""The command line: `validate`, `upload`, `--self-check`, thin layers over the same core steps as the GUI."""
