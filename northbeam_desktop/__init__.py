"""northbeam-desktop: open an order spreadsheet, fix every bad cell, upload the orders to Northbeam."""

__version__ = "0.1.0"
APP_NAME = "Northbeam Desktop"
