"""The Upload dialog (`dialog.UploadDialog`): one module per page, the helpers they share, and
the Qt workers that prepare and run an upload off the GUI thread."""
