"""Keep API keys out of every log line, whoever writes it.

A secret is registered once (constructing `secrets.Credentials` does it) and from then on any log
record whose message, arguments, exception text or stack text contains it has that text replaced
with "[redacted]". Two hooks make this independent of which handlers exist:

* a LogRecord factory wrapper rewrites every record as it is created, so handlers added later
  (a file log, pytest's caplog, a crash reporter) only ever see the redacted text;
* a `RedactionFilter` on the root logger and on the handlers that exist at install time covers
  records built without the factory (`logging.makeLogRecord`, e.g. from a socket listener).

Registering the first secret installs both hooks, so a code path that handles a key is protected
even if `main()` forgot to call `install_redaction()`.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from typing import Any

REDACTED = "[redacted]"

_lock = threading.RLock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
_installed = False
_FACTORY_MARKER = "_northbeam_redaction_wrapper"


def register_secret(value: str | None) -> None:
    """Redact `value` from all log output from now on (blank values are ignored)."""
    global _pattern
    if value is None:
        return
    value = str(value)
    if not value.strip():
        return
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        # Longest first so a secret that contains another is replaced whole.
        ordered = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(s) for s in ordered))
    install_redaction()


def forget_secrets() -> None:
    """Drop every registered secret (for tests that need a clean slate)."""
    global _pattern
    with _lock:
        _secrets.clear()
        _pattern = None


def redact(text: str) -> str:
    """`text` with every registered secret replaced by "[redacted]"."""
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(REDACTED, text)


def _contains_secret(text: str) -> bool:
    pattern = _pattern
    return pattern is not None and bool(text) and pattern.search(text) is not None


def redact_record(record: logging.LogRecord) -> None:
    """Rewrite `record` in place so none of its text fields carries a registered secret."""
    if _pattern is None:
        return
    try:
        message = record.getMessage()
    except Exception:  # a broken format string must not hide the secret check
        message = f"{record.msg!s} {record.args!r}"
    args_text = repr(record.args) if record.args else ""
    if _contains_secret(message) or _contains_secret(args_text):
        # Freeze the formatted text: arguments can no longer be re-rendered with the secret.
        record.msg = redact(message)
        record.args = None
    if record.exc_info and record.exc_info[0] is not None:
        exc_text = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
        if _contains_secret(exc_text):
            # Keep the (redacted) traceback text but drop the live exception object, whose
            # arguments still hold the secret for any handler that formats it itself.
            record.exc_text = redact(exc_text.rstrip("\n"))
            record.exc_info = None
    elif record.exc_text and _contains_secret(record.exc_text):
        record.exc_text = redact(record.exc_text)
    if record.stack_info and _contains_secret(record.stack_info):
        record.stack_info = redact(record.stack_info)


class RedactionFilter(logging.Filter):
    """A filter that never drops a record; it only redacts it."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


_FILTER = RedactionFilter()


def install_redaction() -> None:
    """Attach redaction to logging globally. Safe to call any number of times."""
    global _installed
    with _lock:
        factory = logging.getLogRecordFactory()
        if not getattr(factory, _FACTORY_MARKER, False):
            inner = factory

            def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = inner(*args, **kwargs)
                redact_record(record)
                return record

            setattr(redacting_factory, _FACTORY_MARKER, True)
            logging.setLogRecordFactory(redacting_factory)
        root = logging.getLogger()
        if _FILTER not in root.filters:
            root.addFilter(_FILTER)
        for handler in _all_handlers():
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
        _installed = True


def _all_handlers() -> list[logging.Handler]:
    handlers = list(logging.getLogger().handlers)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            handlers.extend(logger.handlers)
    return handlers


def is_installed() -> bool:
    return _installed
