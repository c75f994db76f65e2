"""How the app names each odd answer of the stand-in (`devtools.standin.ODD_ANSWERS`) in the one
sentence a user reads: "<host> answered <words>, so these orders were not counted as sent."
Shared by the client, uploader, command-line and upload-dialog tests."""

from __future__ import annotations

ODD_WORDS = {
    "html": (
        "with a web page instead of Northbeam's confirmation (a Wi-Fi sign-in page or a "
        "network filter may be in the way)"
    ),
    "invalid-json": "with a damaged confirmation that cannot be read",
    "error-status": "OK but its message reports an error (“Could not store the orders”)",
    "error-list": "OK but its message reports an error (“problems listed for 1 order”)",
    "empty": "without Northbeam's confirmation (the answer was empty)",
    "no-content": "without Northbeam's confirmation (the answer was empty)",
    "wrong-content-type": (
        "in a form Northbeam does not use (text/plain) instead of its confirmation"
    ),
    "no-content-type": (
        "in a form Northbeam does not use (no content type) instead of its confirmation"
    ),
    "json-list": "with something other than Northbeam's confirmation",
    "json-null": "with something other than Northbeam's confirmation",
}
