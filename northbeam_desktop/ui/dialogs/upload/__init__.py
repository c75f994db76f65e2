"""The upload dialog and the Qt worker that runs an upload off the GUI thread."""
