"""CSV cells that stay text: every CSV we hand out (exports, digests, open data) is opened in spreadsheets."""

# A cell starting with one of these is a formula to a spreadsheet: prefix it so it stays text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """The value as text, defused if a spreadsheet would run it (a supporter's name never should)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
