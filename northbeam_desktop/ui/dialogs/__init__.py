"""The app's dialogs: about, crash report, column mapping, connection settings, upload."""
