"""Reading publication dates as sources write them.

Feeds write ISO 8601; scraped pages write long forms, sometimes with the year glued to the
time ("January 28, 201920:43"). The repairs and formats are data (``page_layouts.yaml``),
so a new site's way of writing dates needs no code.
"""

from __future__ import annotations

from datetime import date, datetime

from eventwire.ingest.layouts import IngestRules, load_rules

_TIME_DIRECTIVES = ("%H", "%I", "%M", "%S")


def parse_published(value: str, rules: IngestRules | None = None) -> date | datetime | None:
    """A date (no time given) or a datetime from a date string; None if no format fits."""
    text = value.strip()
    if not text:
        return None
    iso = _parse_iso(text)
    if iso is not None:
        return iso
    rules = rules or load_rules()
    for pattern, replacement in rules.date_normalise:
        text = pattern.sub(replacement, text)
    text = text.strip()
    for fmt in rules.date_formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if any(directive in fmt for directive in _TIME_DIRECTIVES):
            return parsed
        return parsed.date()
    return None


def _parse_iso(text: str) -> date | datetime | None:
    """ISO 8601 as Python reads it: a bare date stays a date, anything with a time a datetime."""
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
