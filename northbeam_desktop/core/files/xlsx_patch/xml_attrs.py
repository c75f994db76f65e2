"""Attributes of an XML start tag, read and changed on the bytes (the rest of the tag kept as
it is)."""

from __future__ import annotations

import re

_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def tag_attrs(tag: bytes) -> dict[bytes, bytes]:
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATTR.finditer(tag)
    }


def with_attr(tag: bytes, name: bytes, value: bytes) -> bytes:
    """`tag` (an element's start tag) with attribute `name` set to `value`."""
    pattern = re.compile(rb"(\s" + re.escape(name) + rb"""\s*=\s*)(?:"[^"]*"|'[^']*')""")
    if pattern.search(tag):
        return pattern.sub(lambda m: m.group(1) + b'"' + value + b'"', tag, count=1)
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:end] + b" " + name + b'="' + value + b'"' + tag[end:]


def drop_attr(tag: bytes, name: bytes) -> bytes:
    return re.sub(rb"\s" + re.escape(name) + rb"""\s*=\s*(?:"[^"]*"|'[^']*')""", b"", tag)
