"""`validate --format text`: the report a person reads in a terminal.

The kind of file ("This looks like a Shopify orders export."), the mapping used (each field ←
its column and why, grouped as order, products, address and information columns, then what is
made from other columns), the counts ("40,000 orders: 38,841 ready to upload, …"), then the
problems level by level, most serious first: required fields no column holds (with what the file
would need), then groups of one kind of problem in one column, with a few examples each. Fields
and columns are named in words; no JSON path is ever printed.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from northbeam_desktop.cli.validate_facts import (
    DERIVED_TITLE,
    GROUP_TITLES,
    LEVELS,
    LevelCounts,
    MissingField,
    count_levels,
    field_label,
    mapped_fields,
    missing_fields,
    platform_facts,
    plural,
)
from northbeam_desktop.core.orders.issues import Issue, IssueCode, Severity, issue_title

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument

WIDTH = 100
LABEL_WIDTH = 24  # longer field names push their line's arrow right
EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class LevelWords:
    one: str  # "error"
    many: str  # "errors"
    heading: str  # what the level means, after its name in the problems list
    orders_phrase: str | None  # "with errors": counted in orders; None: counted in problems


# Words per level, by the level's value so that a level `Severity` gains later is worded here
# (and one without words is still listed, by its name).
LEVEL_WORDS: dict[str, LevelWords] = {
    "error": LevelWords(
        "error", "errors", "these orders cannot be sent until they are fixed", "with errors"
    ),
    "warning": LevelWords(
        "warning", "warnings", "these orders can be sent; worth a look", "with warnings"
    ),
    "note": LevelWords("note", "notes", "changed for you, nothing to do", None),
}


def words_for(level: Severity) -> LevelWords:
    return LEVEL_WORDS.get(level.value) or LevelWords(level.value, f"{level.value}s", "", None)


def write_text_report(doc: OrderDocument, issues: list[Issue], out: TextIO) -> None:
    """The whole report: file, platform, mapping, counts, problems."""
    _write_heading(doc, out)
    out.write(platform_facts(doc.mapping).sentence + "\n\n")
    write_mapping(doc, out)
    out.write("\n")
    write_problems(doc, issues, out, heading=False)


def write_problems(
    doc: OrderDocument, issues: list[Issue], out: TextIO, *, heading: bool = True
) -> None:
    """The counts and the problems (also what `upload` prints when it refuses a file)."""
    if heading:
        _write_heading(doc, out)
    counts = count_levels(doc, issues)
    out.write(_wrap(counts_sentence(counts)) + "\n")
    if not issues:
        out.write("No problems found.\n")
        return
    missing = missing_fields(doc)
    by_level: dict[Severity, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.code == IssueCode.UNMAPPED_REQUIRED_FIELD and missing:
            continue  # said below in words of its own
        by_level[issue.severity].append(issue)
    for level in LEVELS:
        level_issues = by_level.get(level, [])
        missing_here = missing if level.blocks_upload else []
        if not level_issues and not missing_here:
            continue
        words = words_for(level)
        title = words.many.capitalize() + (f" — {words.heading}" if words.heading else "")
        out.write(f"\n{title}:\n")
        for sentence in missing_sentences(missing_here):
            out.write(_wrap(sentence, indent="  ", hang="    ") + "\n")
        _write_groups(doc, level_issues, out)


def _write_heading(doc: OrderDocument, out: TextIO) -> None:
    sheet = doc.sheet
    where = str(sheet.path) + (f" (sheet “{sheet.sheet}”)" if sheet.sheet else "")
    out.write(f"{where}: {plural(len(sheet.rows), 'row')}\n")


def write_mapping(doc: OrderDocument, out: TextIO) -> None:
    """Every field ← its column (or what it is made from) and why, grouped."""
    fields = mapped_fields(doc.mapping)
    missing = missing_fields(doc)
    out.write("Columns used:\n")
    if not fields and not missing:
        out.write("  none of the columns could be matched to a Northbeam field\n")
        return
    labels = [item.label for item in fields] + [item.label for item in missing]
    width = min(LABEL_WIDTH, max(len(label) for label in labels))
    titles = [*GROUP_TITLES.values(), DERIVED_TITLE]
    for title in titles:
        members = [f for f in fields if f.group == title]
        if not members:
            continue
        out.write(f"  {title}\n")
        for member in members:
            label = member.label.ljust(width)
            out.write(
                _wrap(f"    {label} ← {member.description}", hang=" " * (len(label) + 7)) + "\n"
            )
    if missing:
        out.write("  Required, but no column of this file holds it\n")
        for lacking in missing:
            out.write(f"    {lacking.label.ljust(width)} ← none (see below)\n")


def counts_sentence(counts: LevelCounts) -> str:
    """ "40,000 orders: 38,841 ready to upload, 1,159 with errors, 449 with warnings;
    40,000 notes (changed for you)." """
    by_orders: list[str] = []
    by_issues: list[str] = []
    for level in LEVELS:
        words = words_for(level)
        if words.orders_phrase is not None:
            by_orders.append(f"{counts.orders[level]:,} {words.orders_phrase}")
        else:
            by_issues.append(
                plural(counts.issues[level], words.one, words.many)
                + (f" ({words.heading.split(',')[0]})" if words.heading else "")
            )
    if counts.blocked:
        ready = "none can be uploaded until every required field has a column (see below)"
        sentence = f"{plural(counts.total_orders, 'order')}: {ready}; " + ", ".join(by_orders)
    else:
        ready = f"{counts.ready:,} ready to upload"
        sentence = f"{plural(counts.total_orders, 'order')}: " + ", ".join([ready, *by_orders])
    if counts.held_back:
        sentence += f", {counts.held_back:,} cancelled in your shop (not sent)"
    if by_issues:
        sentence += "; " + ", ".join(by_issues)
    return sentence + "."


def missing_sentences(fields: list[MissingField]) -> list[str]:
    """One sentence per required field no column holds, saying what the file would need;
    fields with the same remedy (Shopify's four product fields) share one sentence."""
    sentences: list[str] = []
    shared: dict[str, list[MissingField]] = {}
    for item in fields:
        if item.needs and not item.candidates:
            shared.setdefault(item.needs, []).append(item)
    done: set[str] = set()
    for item in fields:
        if item.key in done:
            continue
        group = shared.get(item.needs or "", [item]) if not item.candidates else [item]
        done.update(member.key for member in group)
        sentences.append(_missing_sentence(group))
    return sentences


def _missing_sentence(group: list[MissingField]) -> str:
    """ "Currency: no column of this file holds it, and Northbeam requires it. Shopify's …" """
    names = ", ".join(item.label for item in group)
    them = "them" if len(group) > 1 else "it"
    text = f"{names}: no column of this file holds {them}, and Northbeam requires {them}."
    first = group[0]
    if first.needs:
        text += f" {first.needs}"
    if first.candidates:
        named = ", ".join(f"“{column}”" for column in first.candidates)
        text += (
            f" Columns that might hold it: {named}; if one does, name it for this field in a "
            "--mapping file."
        )
    elif first.key == "customer_id":
        text += (
            " A column with the customer's email or phone number does as well: each customer "
            "then gets a code made from it."
        )
    elif not first.needs:
        text += " Add a column with it to the file."
    return text


def _write_groups(doc: OrderDocument, issues: list[Issue], out: TextIO) -> None:
    """One line per kind of problem in one column, with the orders it touches and examples."""
    groups: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        groups[(issue.code, issue.column or field_label(issue.field))].append(issue)
    order_of_row = doc.order_of_row
    # Issues of the file rather than of an order (a value changed for you says once how many
    # orders have it; a column whose decimal separator was guessed): counted as they are.
    of_file = {id(issue) for issue in doc.file_issues}
    summaries: list[tuple[int, str, list[Issue]]] = []
    for (code, _where), members in groups.items():
        orders = {
            id(order_of_row[issue.row_index])
            for issue in members
            if issue.row_index is not None
            and order_of_row[issue.row_index] is not None
            and id(issue) not in of_file
        }
        summaries.append((len(orders), code, members))
    summaries.sort(key=lambda item: (-item[0], -len(item[2])))
    for touched, code, members in summaries:
        first = members[0]
        label = field_label(first.field)
        try:
            title = issue_title(code, label=label)
        except (KeyError, ValueError):
            title = first.message
        where = f" — column “{first.column}”" if first.column else ""
        if touched:
            counted = plural(touched, "order")
        elif first.code == IssueCode.VALUE_CONVERTED:
            counted = plural(len(members), "value")
        else:
            counted = "the whole file" if first.row is None else plural(len(members), "time")
        out.write(_wrap(f"  {title}{where} — {counted}", hang="    ") + "\n")
        for issue in members[:EXAMPLES]:
            out.write(_wrap(_example(issue), indent="      ", hang="        ") + "\n")
        if len(members) > EXAMPLES:
            out.write(f"      … and {len(members) - EXAMPLES:,} more\n")


def _example(issue: Issue) -> str:
    place: list[str] = []
    if issue.row is not None:
        place.append(f"row {issue.row}")
    if issue.order_id:
        place.append(f"order {issue.order_id}")
    return (", ".join(place) + ": " if place else "") + issue.message


def _wrap(text: str, *, indent: str = "", hang: str = "  ") -> str:
    if len(indent) + len(text) <= WIDTH:
        return indent + text
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
