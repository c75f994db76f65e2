"""The Upload dialog's hold on the upload record: opened on first use (not while the dialog
is drawn), closed with the dialog only when the dialog opened it, and reopened fresh after a
damaged record was moved aside."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.northbeam.ledger import Ledger

__all__ = ["LedgerHolder"]


class LedgerHolder:
    """`ledger` handed in (the caller closes it) or None (open the default one here)."""

    def __init__(self, ledger: Ledger | None) -> None:
        self._owned = ledger is None
        self._ledger = ledger
        self._path: Path | None = None  # None: the default place

    def get(self) -> Ledger:
        """The upload record, opened on first use (raises LedgerError with a sentence)."""
        if self._ledger is None:
            self._ledger = Ledger(self._path)
        return self._ledger

    def close_owned(self) -> None:
        if self._owned and self._ledger is not None:
            self._ledger.close()
            self._ledger = None

    def forget(self) -> None:
        """After the record was moved aside: the next use opens a new one at the same place
        (owned here, even when the damaged one was handed in)."""
        old, self._ledger = self._ledger, None
        if old is not None:
            old.close()
            self._path = old.path
        self._owned = True
