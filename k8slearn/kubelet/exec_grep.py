"""``grep`` in a simulated container, as BusyBox 1.36's and GNU grep 3.8's print it.

The options ``-i -v -c -q -n -o -x -w -l -L -E -F -h -H -s -e -m``; a POSIX basic (or ``-E``
extended, ``-F`` fixed) pattern is translated to Python's ``re`` (bracket expressions with their
character classes, ``\\(...\\)`` groups and ``\\{m,n\\}`` intervals in basic patterns). An option grep
has but the simulation does not model says so; one it does not have is getopt's error.

Upstream: none in Kubernetes (a workload's tool): BusyBox findutils/grep.c, GNU grep 3.8
"""

from __future__ import annotations

import re

from k8slearn.kubelet.exec_common import BUSYBOX_BANNER, GetoptError, NotModelled, Printer, getopt, read_file


_GREP_MODELLED = "ivcqnoxwlLEFGhHsem"  # what the model does

# the options BusyBox's (True) and GNU's grep have: getopt's option string (':' after one taking a value)
_GREP_VALID = {True: "lnqvscFiHhe:f:LorRm:wxA:B:C:EzaI",
               False: "0123456789A:B:C:D:EFGHIJLNPTUVX:abcd:e:f:hiLlm:noqRrsuvwxyZz"}

# GNU grep's long options that the model does (BusyBox's grep: none)
_GREP_LONG = {"--ignore-case": "i", "--invert-match": "v", "--count": "c", "--quiet": "q", "--silent": "q",
              "--line-number": "n", "--only-matching": "o", "--line-regexp": "x", "--word-regexp": "w",
              "--files-with-matches": "l", "--files-without-match": "L", "--extended-regexp": "E",
              "--fixed-strings": "F", "--basic-regexp": "G", "--no-filename": "h", "--with-filename": "H",
              "--no-messages": "s", "--regexp=": "--regexp"}

_GNU_GREP_USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"


def _grep(args, stdin, ctx):
    """grep [-ivcqnoxwlLEFhHs] [-e PATTERN]... [-m N] PATTERN [FILE]...: POSIX basic (or ``-E``
    extended, ``-F`` fixed) patterns, as BusyBox and GNU grep print the lines, names and counts."""
    flags, patterns, operands, most = set(), [], [], None
    options = getopt(args, _GREP_VALID[ctx.busybox], operands, {} if ctx.busybox else _GREP_LONG,
                     program="grep", modelled=_GREP_MODELLED)
    try:
        for option, value in options:
            if option == "--regexp" and not value:  # (-e '' is modelled, --regexp= is not)
                raise NotModelled("grep --regexp=")
            if option in ("e", "--regexp"):
                patterns.append(value)
            elif option == "m":
                if not (value.isascii() and value.isdigit()):  # (not "²": a digit to Python, no number to grep)
                    raise NotModelled("grep -m without its value")
                most = int(value)
            else:
                flags.add(option)
    except GetoptError as error:
        if error.option.startswith("--"):  # any other long option: not modelled
            raise NotModelled(f"grep {error.option}") from None
        if error.missing:
            raise NotModelled(f"grep {error.option} without its value") from None
        if ctx.busybox:
            raise
        return 2, "", error.args[0] + _GNU_GREP_USAGE
    if not patterns:
        if not operands:
            return 2, "", BUSYBOX_BANNER if ctx.busybox else _GNU_GREP_USAGE
        patterns, operands = [operands[0]], operands[1:]
    regex = _grep_regex(patterns, flags)
    names = ("H" in flags or len(operands) > 1) and "h" not in flags
    if flags & set("clLq"):
        flags.discard("n")
    printer, selected_any, failed = Printer(), False, False
    for path in operands or ["-"]:
        if path == "-":
            text, stdin, label = stdin, "", "(standard input)"
        else:
            text, problem = read_file(path, ctx)
            label = path
            if problem == "dir":
                raise NotModelled("grep in a directory")
            if problem == "missing":
                failed = True
                if "s" not in flags:
                    printer.err(f"grep: {path}: No such file or directory\n")
                continue
        prefix = f"{label}:" if names else ""
        count = 0
        for number, line in enumerate(text.splitlines(), 1):
            matched = regex.fullmatch(line) if "x" in flags else regex.search(line)
            if (matched is not None) == ("v" in flags):
                continue
            count += 1
            if "q" in flags:
                return 0, "", "".join(t for s, t in printer.chunks if s == "stderr")
            if not flags & set("clL"):
                where = prefix + (f"{number}:" if "n" in flags else "")
                if "o" not in flags:
                    printer.out(f"{where}{line}\n")
                elif "v" not in flags:  # each non-empty match on a line of its own
                    printer.out("".join(f"{where}{m.group()}\n" for m in regex.finditer(line) if m.group()))
            if "l" in flags or (most is not None and count >= most):
                break
        selected_any = selected_any or count > 0
        if "c" in flags:
            printer.out(f"{prefix}{count}\n")
        if ("l" in flags and count) or ("L" in flags and not count):
            printer.out(f"{label}\n")
    return printer.done(2 if failed else 0 if selected_any else 1)


def _grep_regex(patterns: list[str], flags: set) -> re.Pattern:
    """One Python regex for grep's patterns (each line of each pattern is one), with -F, -E, -w, -i."""
    parts = []
    for pattern in patterns:
        for piece in pattern.split("\n"):
            body = re.escape(piece) if "F" in flags else _posix_regex(piece, "E" in flags)
            if "w" in flags:  # a match with no word character on either side (GNU tries the next match)
                body = rf"(?<![A-Za-z0-9_])(?:{body})(?![A-Za-z0-9_])"
            parts.append(f"(?:{body})")
    try:
        return re.compile("|".join(parts), re.IGNORECASE if "i" in flags else 0)
    except re.error:
        raise NotModelled(f"the grep pattern {patterns[0]!r}") from None


_CLASSES = {"alpha": "A-Za-z", "digit": "0-9", "alnum": "A-Za-z0-9", "upper": "A-Z", "lower": "a-z",
            "space": " \\t\\n\\r\\f\\v", "blank": " \\t", "xdigit": "0-9A-Fa-f",
            "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"), "cntrl": "\\x00-\\x1f\\x7f",
            "print": " -~", "graph": "!-~"}


def _posix_regex(pattern: str, extended: bool) -> str:
    """A POSIX basic (or extended) regular expression, GNU's extensions included (``\\|``, ``\\+``,
    ``\\?``, ``\\<``, ``\\>``, ``\\w``...), written as a Python one.

    >>> _posix_regex("a\\\\(b\\\\|c\\\\)*+", False), _posix_regex("^(ab|c)+$", True)
    ('a(b|c)*\\\\+', '^(ab|c)+$')
    >>> _posix_regex("*[[:digit:]]", False)
    '\\\\*[0-9]'
    """
    out, i, n, start = [], 0, len(pattern), True  # start: where * is a plain character (and ^ an anchor)
    while i < n:
        c = pattern[i]
        if c == "[":
            i, bracket = _bracket(pattern, i)
            out.append(bracket)
            start = False
            continue
        i += 1
        if c == "\\":
            if i >= n:
                raise NotModelled("a pattern ending in a backslash")
            d = pattern[i]
            i += 1
            if not extended and d in "(){}|+?":
                out.append(d)
                start = d in "(|"
            elif d in "<>":
                out.append(r"\b")
            elif d in "bBwWsS" or (d.isdigit() and d != "0"):
                out.append("\\" + d)
                start = False
            elif d.isalnum():
                raise NotModelled(f"\\{d} in a grep pattern")
            else:
                out.append(re.escape(d))
                start = False
        elif c == "*" and start:
            out.append(r"\*")
            start = False
        elif c == "^":
            out.append("^" if extended or start else r"\^")
        elif c == "$":
            anchor = extended or i == n or pattern.startswith(("\\)", "\\|"), i)
            out.append("$" if anchor else r"\$")
            start = False
        elif c in "(){}|+?":
            if not extended:
                out.append("\\" + c)
            elif c == "{" and not re.match(r"\d+(,\d*)?\}|,\d+\}", pattern[i:]):
                out.append(r"\{")  # (GNU takes a { that starts no interval as a plain character)
            else:
                out.append(c)
            start = extended and c in "(|"
        else:
            out.append(c if c in ".*" else re.escape(c))
            start = False
    return "".join(out)


def _bracket(pattern: str, i: int) -> tuple[int, str]:
    """The bracket expression at ``pattern[i]`` (``[a-z]``, ``[^]x]``, ``[[:space:]]``): (where it
    ends, the Python set)."""
    j, negate, items, first = i + 1, False, [], True
    if pattern.startswith("^", j):
        negate, j = True, j + 1
    while True:
        if j >= len(pattern):
            raise NotModelled("an unmatched [ in a grep pattern")
        c = pattern[j]
        if c == "]" and not first:
            j += 1
            break
        first = False
        if c == "[" and pattern[j + 1:j + 2] in (":", ".", "="):
            kind = pattern[j + 1]
            end = pattern.find(kind + "]", j + 2)
            name = pattern[j + 2:end] if end > 0 else ""
            if kind != ":" or name not in _CLASSES:
                raise NotModelled(f"the bracket expression in {pattern!r}")
            items.append(_CLASSES[name])
            j = end + 2
        elif pattern[j + 1:j + 2] == "-" and pattern[j + 2:j + 3] not in ("", "]"):
            items.append(_set_char(c) + "-" + _set_char(pattern[j + 2]))
            j += 3
        else:
            items.append(_set_char(c))
            j += 1
    return j, "[" + ("^" if negate else "") + "".join(items) + "]"


def _set_char(c: str) -> str:
    return "\\" + c if c in "\\]^-[" else c
