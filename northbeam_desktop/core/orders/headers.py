"""How column names are compared: without case, spaces, punctuation or camelCase humps.

`normalize_header("Order #")` == `normalize_header("order_number")`; `header_words("orderTotal
(USD)")` gives `("order", "total", "usd")`. Mapping and platform recognition both use these, so
a column is recognised the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _fold(text: str) -> str:
    # "Währung" and "Wahrung" are the same column; accents carry no meaning in a header.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_header(text: str) -> str:
    """Compare names without case, spaces or punctuation: 'Order #' == 'order_number'."""
    text = _fold(text).casefold().replace("#", " number ").replace("&", " and ")
    return _NON_ALNUM.sub("", text)


def header_words(text: str) -> tuple[str, ...]:
    """The words of a column name, lower case: 'Order Total (USD)' → ('order', 'total', 'usd')."""
    text = _HUMP.sub(" ", _fold(text)).casefold().replace("#", " number ").replace("&", " and ")
    return tuple(word for word in _NON_ALNUM.split(text) if word)
