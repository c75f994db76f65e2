"""The Qt layer: windows, dialogs and table models over `northbeam_desktop.core`.

It adds no business rules of its own; every decision about a value, an order or an upload is
made in `core/` so the GUI and the command line never disagree.
"""
