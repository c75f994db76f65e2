"""Help → User Guide (F1): the user guide, with its pictures, in a window of its own.

The guide is `docs/USER_GUIDE.md` (bundled with the app, see `resources.guide_path`), shown by
Qt's own Markdown reader, so it works without a browser or an internet connection. Links to
other sections scroll there; links to web pages open in the browser.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from northbeam_desktop import APP_NAME
from northbeam_desktop.resources import guide_path


class UserGuideDialog(QDialog):
    """The user guide; not modal, so it can stay open beside the table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — User Guide")
        self.setAccessibleName("User guide")
        self.setSizeGripEnabled(True)
        self.browser = QTextBrowser()
        self.browser.setObjectName("UserGuide")
        self.browser.setAccessibleName("User guide text")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        path = guide_path()
        if path is not None:
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.setSource(
                QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
            )
            self.missing_label.hide()
        else:
            self.browser.hide()
            self.missing_label.setText(
                "The user guide is not installed with this copy of the app. Ask whoever gave "
                "you the app for USER_GUIDE.md."
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.missing_label)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry().size() if self.screen() else None
        width, height = 900, 800
        if screen is not None:
            width, height = (
                min(width, int(screen.width() * 0.9)),
                min(height, int(screen.height() * 0.9)),
            )
        self.resize(width, height)

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and (not url.path() or url.path().endswith(".md")):
            self.browser.scrollToAnchor(url.fragment())
        else:
            self.browser.setSource(url)
