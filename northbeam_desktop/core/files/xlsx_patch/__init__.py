"""Writing changed cells into the user's own .xlsx/.xlsm, leaving everything else as it was.

`patch_workbook(source, target, sheet, edits)` copies the workbook part by part and rewrites
only the rows of `edits` in the orders sheet's XML. Every other part is copied as it is —
other sheets, formulas (and their cached values), shared strings, styles, number formats,
merged cells, frozen panes, column widths, conditional formats, data validation, charts,
pictures, comments, defined names and macros — so nothing the user did not change can be
lost or turn into something else (a text cell `=1+1` stays text).

An edited cell keeps its style (font, fill, borders, alignment). Only its number format may
change, and only when the new value needs one the cell lacks: a date written into a cell
formatted as a number gets a date format, a code such as a ZIP code with a leading zero gets
Excel's text format, a number written into a date-formatted cell gets the General format.
Those variants are added to styles.xml; existing styles are never changed.

Around the edited cells:
- a formula in an edited cell is replaced by the value typed (that is what the user did);
  if other cells shared that formula (Excel stores a filled-down formula once, in the first
  cell), each of them gets its own copy, translated to its position;
- Excel is told to recalculate on opening (formulas that depend on edited cells), and its
  calculation-order cache (calcChain.xml, rebuilt by Excel) is dropped when an edited cell
  held a formula, since it would name a formula that is gone;
- saving an .xlsm as .xlsx drops the macros (an .xlsx cannot hold them; `save_notice` says so
  first), saving an .xlsx as .xlsm only changes the file's declared type.

The orders sheet's XML is streamed in chunks, row by row: memory stays small and a
100,000-row sheet takes seconds (bench/bench_save.py). Text is written as inline strings, so
the shared-strings part is never rewritten.
"""

from northbeam_desktop.core.files.xlsx_patch.model import CellEdit, Edits, PatchProblem
from northbeam_desktop.core.files.xlsx_patch.package import has_macros, sheet_part
from northbeam_desktop.core.files.xlsx_patch.writer import patch_workbook

__all__ = ["CellEdit", "Edits", "PatchProblem", "has_macros", "patch_workbook", "sheet_part"]
