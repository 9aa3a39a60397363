r"""The lexer of Go's ``text/template``: template text to tokens (items).

>>> [(i.typ, i.val) for i in lex('a {{- .kind | len}}') if i.typ != "space"]
[('text', 'a'), ('{{', '{{'), ('field', '.kind'), ('|', '|'), ('identifier', 'len'), ('}}', '}}'), ('EOF', '')]

Text runs up to ``{{``; ``{{- `` and `` -}}`` trim the spaces next to them; ``{{/* */}}`` is a
comment. Inside an action come fields (``.name``), variables (``$x``), identifiers, keywords,
strings, numbers, ``|``, ``(``, ``)``, ``:=``, ``=`` and ``,``. A token the lexer cannot read ends
the stream with an ``error`` item whose text is Go's (``unclosed action``, ``bad character U+007D '}'``);
any other printable ASCII character is a ``char`` item, which the parser refuses
(``unexpected "#" in command``).

Simplified: the delimiters are always ``{{ }}``; positions count characters, not bytes.

Upstream: Go's text/template/parse/lex.go
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Item", "lex", "KEYWORDS"]

KEYWORDS = {"block", "break", "continue", "define", "else", "end", "if", "range", "nil", "template", "with"}


@dataclass
class Item:
    """A lexer token: its type, text, offset and line."""

    typ: str
    val: str
    pos: int
    line: int

    def __str__(self) -> str:  # item.String()
        if self.typ == "EOF":
            return "EOF"
        if self.typ == "error":
            return self.val
        if self.typ in KEYWORDS or self.typ == "dot":
            return f"<{self.val}>"
        text = _go_quote_short(self.val)
        return text


def _go_quote_short(val: str) -> str:
    from k8slearn.kubectl.gofmt import quote

    return quote(val[:10]) + "..." if len(val) > 10 else quote(val)


_SPACE = " \t\r\n"
_NUMBER = re.compile(r"[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?\d+)?|0[bB][01_]+|0[oO][0-7_]+|"
                     r"(\d[\d_]*)?(\.[\d_]*)?([eE][+-]?\d+)?)")


def lex(text: str) -> list[Item]:
    """The token stream, ending with EOF or with an ``error`` item (lex.go's state functions)."""
    items: list[Item] = []
    pos, line = 0, 1
    while True:
        start = text.find("{{", pos)
        end = len(text) if start < 0 else start
        chunk = text[pos:end]
        if start >= 0 and _trim_left_delim(text, start) == start + 4:
            chunk = chunk.rstrip(_SPACE)  # (a "{{- " trims the text before it)
        if chunk:
            items.append(Item("text", chunk, pos, line))
        line += text.count("\n", pos, end)
        if start < 0:
            items.append(Item("EOF", "", len(text), line))
            return items
        pos, line, ok = _lex_action(text, start, line, items)
        if not ok:
            return items


def _trim_left_delim(text: str, pos: int) -> int:
    if text.startswith("{{-", pos) and text[pos + 3:pos + 4] in tuple(_SPACE):
        return pos + 4  # the marker and the space after it
    return pos + 2


def _lex_action(text: str, start: int, line: int, items: list[Item]) -> tuple[int, int, bool]:
    """One action from ``{{`` to ``}}``; returns where the text goes on, the line, and whether
    lexing may go on (a lexing error stops it)."""
    pos = _trim_left_delim(text, start)
    if text.startswith("/*", pos):  # a comment: {{/* ... */}} (with optional trim markers)
        close = text.find("*/", pos + 2)
        if close < 0:
            items.append(Item("error", "unclosed comment", pos, line))
            return pos, line, False
        line += text.count("\n", pos, close)
        after = close + 2
        trim = text.startswith(" -}}", after)
        if not (trim or text.startswith("}}", after)):
            items.append(Item("error", "comment ends before closing delimiter", after, line))
            return after, line, False
        return _after_right_delim(text, after + (4 if trim else 2), trim), line, True
    items.append(Item("{{", "{{", start, line))
    depth = 0
    while True:
        if pos >= len(text):
            items.append(Item("error", "unclosed action", pos, line))
            return pos, line, False
        ch = text[pos]
        trim = text.startswith(" -}}", pos) or (ch in _SPACE and text.startswith("-}}", pos + 1))
        if trim or text.startswith("}}", pos):
            if depth:
                items.append(Item("error", "unclosed left paren", pos, line))
                return pos, line, False
            right = pos + (1 if trim else 0)
            items.append(Item("}}", "}}", right, line))
            return _after_right_delim(text, right + (3 if trim else 2), trim), line, True
        item, pos, line, depth = _lex_inside(text, pos, line, depth)
        if item is not None:
            items.append(item)
            if item.typ == "error":
                return pos, line, False


def _after_right_delim(text: str, pos: int, trim: bool) -> int:
    if trim:
        while pos < len(text) and text[pos] in _SPACE:
            pos += 1
    return pos


def _lex_inside(text: str, pos: int, line: int, depth: int) -> tuple[Item | None, int, int, int]:
    """One token inside an action (lexInsideAction)."""
    ch = text[pos]
    if ch in _SPACE:
        end = pos
        while end < len(text) and text[end] in _SPACE and not text.startswith(" -}}", end):
            end += 1
        return Item("space", text[pos:end], pos, line), max(end, pos + 1), line + text.count("\n", pos, end), depth
    simple = {"|": "|", "(": "(", ")": ")", ",": ","}
    if ch == ":" and text.startswith(":=", pos):
        return Item(":=", ":=", pos, line), pos + 2, line, depth
    if ch == "=":
        return Item("=", "=", pos, line), pos + 1, line, depth
    if ch in simple:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return Item("error", "unexpected right paren", pos, line), pos, line, depth
        return Item(simple[ch], ch, pos, line), pos + 1, line, depth
    if ch in "\"`'":
        return _lex_quote(text, pos, line) + (depth,)
    if ch == "$" or (ch == "." and not (pos + 1 < len(text) and text[pos + 1].isdigit())):
        end = pos + 1
        while end < len(text) and _alnum(text[end]):
            end += 1
        typ = "variable" if ch == "$" else "field" if end > pos + 1 else "dot"
        return _checked_word(Item(typ, text[pos:end], pos, line), text, end) + (line, depth)
    if ch in "+-." or ch.isdigit():
        m = _NUMBER.match(text, pos)
        end = m.end() if m and m.end() > pos else pos + 1
        if end < len(text) and _alnum(text[end]):
            return Item("error", f"bad number syntax: {text[pos:end + 1]!r}".replace("'", '"'), pos, line), end, line, depth
        return Item("number", text[pos:end], pos, line), end, line, depth
    if _alnum(ch):
        end = pos
        while end < len(text) and _alnum(text[end]):
            end += 1
        word = text[pos:end]
        typ = word if word in KEYWORDS else "bool" if word in ("true", "false") else "identifier"
        return _checked_word(Item(typ, word, pos, line), text, end) + (line, depth)
    if ch.isascii() and ch.isprintable():  # any other printable ASCII is an itemChar the parser refuses
        return Item("char", ch, pos, line), pos + 1, line, depth
    return Item("error", f"unrecognized character in action: {_char(ch)}", pos, line), pos, line, depth


def _checked_word(item: Item, text: str, end: int) -> tuple[Item, int]:
    """lexIdentifier and lexFieldOrVariable: a word must end at a terminator (a space, ``.``, ``,``,
    ``|``, ``:``, ``(``, ``)``, the end or ``}}``); anything else is a ``bad character``."""
    if end >= len(text) or text[end] in _SPACE or text[end] in ".,|:()" or text.startswith("}}", end):
        return item, end
    return Item("error", f"bad character {_char(text[end])}", end, item.line), end


def _char(ch: str) -> str:
    """Go's ``%#U``: ``U+007D '}'``."""
    return f"U+{ord(ch):04X} '{ch}'" if ch.isprintable() else f"U+{ord(ch):04X}"


def _alnum(ch: str) -> bool:
    return ch == "_" or ch.isalnum()


def _lex_quote(text: str, pos: int, line: int) -> tuple[Item, int, int]:
    quote = text[pos]
    end = pos + 1
    names = {'"': ("string", "unterminated quoted string"), "`": ("rawString", "unterminated raw quoted string"),
             "'": ("charConstant", "unterminated character constant")}
    typ, unterminated = names[quote]
    while end < len(text) and text[end] != quote:
        if text[end] == "\\" and quote != "`":
            end += 1
        if end >= len(text) or (text[end] == "\n" and quote != "`"):
            return Item("error", unterminated, pos, line), end, line
        end += 1
    if end >= len(text):
        return Item("error", unterminated, pos, line), end, line
    return Item(typ, text[pos:end + 1], pos, line), end + 1, line + text.count("\n", pos, end)
