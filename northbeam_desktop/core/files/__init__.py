"""Writing files for the user: saving their spreadsheet, reports, the template workbook."""
