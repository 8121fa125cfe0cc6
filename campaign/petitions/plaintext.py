"""Markdown as readable plain text, for the text part of mail: no `**`, `##` or `[..](..)` left, but
headings underlined, list items marked, links written out after their text."""

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable("table")


def _inline(token: Token) -> str:
    out: list[str] = []
    href_stack: list[str] = []
    link_text_start: list[int] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "image":
            out.append(child.content or child.attrGet("alt") or "")
        elif kind == "link_open":
            href_stack.append(str(child.attrGet("href") or ""))
            link_text_start.append(len(out))
        elif kind == "link_close" and href_stack:
            href, start = href_stack.pop(), link_text_start.pop()
            text = "".join(out[start:])
            if href and href != text and href != f"mailto:{text}":
                out.append(f" ({href})")
    return "".join(out)


@lru_cache(maxsize=64)  # a petition's body goes into every letter: convert it once per process
def markdown_to_text(source: str) -> str:
    tokens = _markdown.parse(source or "")
    blocks: list[str] = []
    lists: list[list] = []  # per open list: [ordered, next number]
    quote = 0
    rows: list[str] = []  # the table being read
    row: list[str] = []
    marker = ""  # the marker for the first paragraph of a list item
    joined = False  # the last block is a list item: the next item joins it without a blank line
    for n, token in enumerate(tokens):
        kind = token.type
        previous = tokens[n - 1] if n else None
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            joined = bool(lists)
        elif kind == "list_item_open":
            ordered = lists[-1]
            marker = f"{ordered[1]}. " if ordered[0] else "- "
            ordered[1] += 1
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "hr":
            blocks.append("* * *")
        elif kind in ("fence", "code_block"):
            blocks.append("\n".join("    " + line for line in token.content.rstrip("\n").split("\n")))
        elif kind == "table_open":
            rows = []
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            rows.append(" | ".join(row))
        elif kind == "table_close":
            blocks.append("\n".join(rows))
        elif kind == "inline" and previous is not None and previous.type in ("th_open", "td_open"):
            row.append(_inline(token))
        elif kind == "inline":
            text = _inline(token)
            if previous is not None and previous.type == "heading_open":
                underline = "=" if previous.tag in ("h1", "h2") else "-"
                text = f"{text}\n{underline * min(len(text), 72)}"
            if quote:
                text = "\n".join("> " * quote + line for line in text.split("\n"))
            if lists:
                indent = "   " * (len(lists) - 1)
                text = indent + (marker or "  ") + text.replace("\n", "\n" + indent + "  ")
                if joined and marker and blocks:
                    blocks[-1] += "\n" + text  # the items of a list stay together
                else:
                    blocks.append(text)
                marker, joined = "", True
                continue
            blocks.append(text)
            joined = False
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"
