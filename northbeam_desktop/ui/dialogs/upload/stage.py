"""Where the Upload dialog is: the page it shows, or closed."""

from __future__ import annotations

from enum import StrEnum


class UploadStage(StrEnum):
    NOT_STARTED = ""
    PREPARING = "preparing"  # payloads built and classified against the upload record
    CONFIRM = "confirm"  # destination and counts; Upload or Cancel
    PROBLEM = "problem"  # the upload cannot start, and why
    UPLOADING = "uploading"  # progress; Cancel Upload
    DONE = "done"  # what Northbeam accepted and rejected
    CLOSED = "closed"
