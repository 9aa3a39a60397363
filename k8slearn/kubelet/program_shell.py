"""What a container's shell works out while its program runs: variables, ``$((...))``, ``$(...)``,
``sleep`` durations and ``tail -f``.

A container's program (:mod:`k8slearn.kubelet.process`) is parsed when the container is created;
the values a shell computes as it goes are computed here, when the program gets there (by
:mod:`k8slearn.kubelet.task`). That is what the Kubernetes documentation's logging example needs,
``i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done``:

>>> shell = Shell({"HOSTNAME": "counter"}, substitute=lambda command: "Mon Jan  5 09:00:00 UTC 2026\\n")
>>> shell.assign("i", "0"); shell.expand("$i: $(date)")
'0: Mon Jan  5 09:00:00 UTC 2026'
>>> shell.assign("i", "$((i+1))"); shell.expand("${i} on $HOSTNAME, $((7 / 2 * (i + 1) % 5))")
'1 on counter, 1'
>>> sleep_seconds(["1m", "30s"]), sleep_seconds(["0.5"]), sleep_seconds(["infinity"]), sleep_seconds(["soon"])
(90.0, 0.5, inf, None)
>>> tail_options(["-n+1", "-F", "/var/log/1.log"])
TailOptions(path='/var/log/1.log', retry=True, count=1, from_top=True)
>>> first_lines("a\\nb\\nc\\n", TailOptions("/x", False, 2, False)), first_lines("a\\nb\\nc\\n", TailOptions("/x", False, 2, True))
(['b', 'c'], ['b', 'c'])

A value that is not a number counts as 0 in arithmetic, as in the shell; dividing by zero is the
shell's error (``divide by zero``), which ends the script.

Simplified: integer arithmetic with ``+ - * / %``, comparisons and parentheses only; an unquoted
expansion is split into words at blanks (IFS is not read) and never globbed; command substitution runs the simulated shell
(:mod:`k8slearn.kubelet.exec_sync`), ``date`` at the simulated time. ``tail -f`` follows one file,
checking it every second as BusyBox's does (``-s``), and keeps whole lines.

Upstream: none in Kubernetes (BusyBox 1.36 ash, sleep and tail; dash and GNU coreutils alike)
"""

from __future__ import annotations

import ast
import operator
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class ShellError(Exception):
    """An error the shell reports and stops the script for (``str()`` is its message)."""


class Shell:
    """The variables of one running shell script and how its words expand."""

    def __init__(self, env: dict, substitute: Callable[[str], str]) -> None:
        self.env = env  # the process's environment (exec_env.process_env)
        self.variables: dict[str, str] = {}  # what the script assigned
        self.substitute = substitute  # runs a command substitution: its output

    def assign(self, name: str, word: str) -> None:
        self.variables[name] = self.expand(word)

    def value(self, name: str) -> str:
        if name in self.variables:
            return self.variables[name]
        return self.env.get(name, "")

    def expand(self, word: str) -> str:
        """``$NAME``, ``${NAME}``, ``$((expression))`` and ``$(command)`` in ``word``."""
        out, i, n = [], 0, len(word)
        while i < n:
            if word[i] != "$":
                out.append(word[i])
                i += 1
            else:
                value, i = self._expansion(word, i)
                out.append(value)
        return "".join(out)

    def fields(self, word: str) -> list[str]:
        """The fields one word as written (quotes and all, :func:`shell_words`) becomes: quotes
        removed, expansions inside double quotes kept whole, those outside split at blanks (an
        empty one vanishes: ``echo a $(true) b`` prints ``a b``). No globbing.

        >>> shell = Shell({"D": "Mon Jan  5"}, substitute=lambda command: "")
        >>> shell.fields("$D"), shell.fields('"$D"'), shell.fields("x$(true)"), shell.fields("$(true)"), shell.fields("''")
        (['Mon', 'Jan', '5'], ['Mon Jan  5'], ['x'], [], [''])
        """
        fields, current, started = [], "", False
        for text, split in self._pieces(word):
            if not split:
                current, started = current + text, True
                continue
            for j, part in enumerate(re.split(r"[ \t\n]+", text)):
                if j and started:  # a blank in an unquoted expansion ends the field
                    fields.append(current)
                    current, started = "", False
                if part:
                    current, started = current + part, True
        return fields + [current] if started else fields

    def word(self, word: str) -> str:
        """One word as written, expanded and unquoted but not split (a redirection's file name)."""
        return "".join(text for text, _ in self._pieces(word))

    def _pieces(self, word: str) -> list[tuple[str, bool]]:
        """``word`` as (text, split) pieces: literal or quoted text (never split; an empty pair of
        quotes is an empty piece, which still makes a field) and unquoted expansions (split)."""
        pieces, quote, i, n = [], "", 0, len(word)
        while i < n:
            c = word[i]
            if quote == "'" and c != "'":
                pieces.append((c, False))
            elif c == "'" and quote != '"' or c == '"' and quote != "'":
                quote = "" if quote else c
                pieces.append(("", False))
            elif c == "\\" and i + 1 < n:
                escaped = word[i + 1]
                keep = quote == '"' and escaped not in '$`"\\\n'  # in double quotes, \x stays \x
                pieces.append(("\\" * keep + escaped, False))
                i += 1
            elif c == "$" and i + 1 < n:
                value, i = self._expansion(word, i)
                pieces.append((value, quote != '"'))
                continue
            else:
                pieces.append((c, False))
            i += 1
        return pieces

    def _expansion(self, word: str, i: int) -> tuple[str, int]:
        """The value of the expansion starting with the ``$`` at ``word[i]``, and where it ends (a
        ``$`` that starts none is itself)."""
        if word.startswith("$((", i):
            end = _closing(word, i + 3, 2)
            return str(self.arithmetic(word[i + 3:end])), end + 2
        if word.startswith("$(", i):
            end = _closing(word, i + 2, 1)
            return self.substitute(word[i + 2:end]).rstrip("\n"), end + 1
        if word.startswith("${", i):
            end = word.find("}", i)
            if end < 0 or not _NAME.fullmatch(word[i + 2:end]):  # ${x:-y} and the like: not modelled
                raise ShellError("syntax error: bad substitution")
            return self.value(word[i + 2:end]), end + 1
        match = _NAME.match(word, i + 1)
        if match is None:
            return "$", i + 1
        return self.value(match.group()), match.end()

    def arithmetic(self, expression: str) -> int:
        """``$((...))``: integers, a name's value (0 if it is not a number), ``/`` towards zero."""
        text = self.expand(expression) if "$" in expression else expression
        try:
            return self._evaluate(ast.parse(text.strip(), mode="eval").body)
        except (SyntaxError, ValueError, RecursionError):
            raise ShellError("arithmetic syntax error") from None

    def _evaluate(self, node: ast.AST) -> int:
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name):
            value = self.value(node.id).strip()
            return int(value) if re.fullmatch(r"-?\d+", value) else 0
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            value = self._evaluate(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            left, right = self._evaluate(node.left), self._evaluate(node.right)
            if isinstance(node.op, ast.Div | ast.Mod) and right == 0:
                raise ShellError("divide by zero")
            if isinstance(node.op, ast.Div):
                return abs(left) // abs(right) * (1 if (left >= 0) == (right >= 0) else -1)
            if isinstance(node.op, ast.Mod):
                return left - right * (abs(left) // abs(right) * (1 if (left >= 0) == (right >= 0) else -1))
            return _ARITHMETIC[type(node.op)](left, right)
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
            left, right = self._evaluate(node.left), self._evaluate(node.comparators[0])
            return int(_COMPARE[type(node.ops[0])](left, right))
        raise ShellError("arithmetic syntax error")


_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: None, ast.Mod: None}
_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
            ast.Eq: operator.eq, ast.NotEq: operator.ne}


def _closing(word: str, start: int, width: int) -> int:
    """Where the ``)`` (``))`` for width 2) closing a ``$(`` or ``$((`` opened before ``start`` is."""
    depth = 0
    for i in range(start, len(word)):
        if word[i] == "(":
            depth += 1
        elif word[i] == ")":
            if depth == 0 and word.startswith(")" * width, i):
                return i
            depth -= 1
    raise ShellError("syntax error: unterminated $(")


def shell_words(text: str) -> list[str]:
    """``text`` split into the shell's words as written, quotes kept (for :meth:`Shell.fields`):
    blanks outside quotes and outside ``$(...)`` separate words.

    >>> shell_words('echo "a  $(date)" $(echo x  y) ' + "b'c d' ''")
    ['echo', '"a  $(date)"', '$(echo x  y)', "b'c d'", "''"]
    """
    words, word, quote, depth, i, n = [], "", "", 0, 0, len(text)
    while i < n:
        c = text[i]
        if quote == "'":
            quote = "" if c == "'" else quote
        elif c == "\\" and i + 1 < n:
            c, i = text[i:i + 2], i + 1
        elif c in "'\"" and quote in ("", c):
            quote = "" if quote else c
        elif c == "(" and (depth or text.startswith("$(", i - 1)):
            depth += 1
        elif c == ")" and depth:
            depth -= 1
        elif c in " \t\n" and not quote and not depth:
            if word:
                words.append(word)
            word, i = "", i + 1
            continue
        word += c
        i += 1
    return words + [word] if word else words


ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.DOTALL)  # a NAME=value word
QUOTED_DOLLAR = "\ue000"  # a $ that stood in single quotes: no expansion, put back as $ afterwards


def protect_single_quoted(text: str) -> str:
    """``text`` with every ``$`` inside single quotes replaced by :data:`QUOTED_DOLLAR`, so what
    is left to expand is what the shell expands.

    >>> protect_single_quoted("echo '$a' $b").replace(QUOTED_DOLLAR, "#")
    "echo '#a' $b"
    """
    out, quote = [], ""
    for c in text:
        if c == "'" and quote != '"':
            quote = "" if quote == "'" else "'"
        elif c == '"' and quote != "'":
            quote = "" if quote == '"' else '"'
        out.append(QUOTED_DOLLAR if c == "$" and quote == "'" else c)
    return "".join(out)


_ASSIGNS = re.compile(r"(?:^|[;&|\n]|\bdo\b|\bthen\b)\s*[A-Za-z_][A-Za-z0-9_]*=")


def assigns(script: str) -> bool:
    """Whether a script sets a variable of its own (``i=0``, or a ``for i in`` loop): its ``$i`` is
    known only as it runs.

    >>> assigns("i=0; while true; do echo $i; done"), assigns("echo a=b $HOME"), assigns("for i in 1; do :; done")
    (True, False, True)
    """
    return _ASSIGNS.search(script) is not None or _FOR_HEAD.search(script) is not None


_AT_COMMAND = r"(?:^|(?<=[;&|\n]))"  # where a command starts
_FOR_HEAD = re.compile(_AT_COMMAND + r"\s*for\s+[A-Za-z_][A-Za-z0-9_]*\s+in\b")
_FOR = re.compile(_AT_COMMAND + r"(\s*)for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b([^;\n]*?)\s*[;\n]\s*do\b"
                  r"(.*?)[\s;]*\bdone\b", re.DOTALL)
_SEQ = re.compile(r"\$\(\s*seq((?:\s+-?\d+){1,3})\s*\)")
MAX_UNROLLED = 1000  # a longer for loop is not simulated


def unroll_for_loops(script: str) -> str | None:
    """``script`` with each ``for NAME in WORDS; do BODY; done`` written out, one ``NAME=word; BODY``
    per word; None if a loop cannot be written out (its words need the shell: ``$VAR``, globs,
    ``{1..5}``; a loop in a loop; a redirect or pipe of the whole loop; over ``MAX_UNROLLED`` turns).
    ``$(seq ...)`` in the words is counted out, as seq prints it.

    >>> unroll_for_loops("for i in 1 2; do echo $i; done; echo end")
    'i=1; echo $i; i=2; echo $i; echo end'
    >>> unroll_for_loops("for n in $(seq 3)\\ndo\\n  echo n=$n\\ndone")
    'n=1; echo n=$n; n=2; echo n=$n; n=3; echo n=$n'
    >>> unroll_for_loops("for f in /etc/*; do cat $f; done") is None, unroll_for_loops("echo for in do")
    (True, 'echo for in do')
    """
    while True:
        match = _FOR.search(script)
        if match is None:
            return script
        indent, name, words_text, body = match.groups()
        words_text = _SEQ.sub(lambda m: " ".join(_seq(m.group(1).split())), words_text)
        after = script[match.end():].lstrip(" \t")
        if re.search(r"\b(for|while|until)\b", body) or after.startswith((">", "<", "|")) \
                or re.search(r"[$`*?\[{]", words_text):
            return None
        try:
            words = shlex.split(words_text)
        except ValueError:
            return None
        body = body.strip().rstrip(";").strip()
        if len(words) > MAX_UNROLLED or not body:
            return None
        turns = "; ".join(f"{name}={shlex.quote(word)}; {body}" for word in words) or "true"
        script = script[:match.start()] + indent + turns + script[match.end():]


def _seq(args: list[str]) -> list[str]:
    """What ``seq LAST``, ``seq FIRST LAST`` or ``seq FIRST STEP LAST`` prints (integers)."""
    numbers = [int(a) for a in args]
    first, step, last = (1, 1, numbers[0]) if len(numbers) == 1 else \
        (numbers[0], 1, numbers[1]) if len(numbers) == 2 else tuple(numbers)
    if step == 0 or (last - first) // step + 1 > MAX_UNROLLED:
        return ["$"]  # (refused by the caller, as a word that needs the shell)
    return [str(n) for n in range(first, last + (1 if step > 0 else -1), step)]


def sleep_seconds(args: list[str]) -> float | None:
    """How long ``sleep ARGS`` sleeps (BusyBox and GNU: the sum of its arguments, each with an
    optional ``s``/``m``/``h``/``d`` suffix, or ``infinity``); None if one is not a duration."""
    if not args:
        return None
    total = 0.0
    for arg in args:
        if arg in ("infinity", "inf"):
            return float("inf")
        match = _DURATION.fullmatch(arg)
        if match is None:
            return None
        total += float(match.group(1)) * _UNIT[match.group(2)]
    return total


@dataclass(frozen=True)
class TailOptions:
    """``tail [-f|-F] [-n N|-n +N] FILE``: the file, ``-F`` (retry), and which lines come first."""

    path: str
    retry: bool
    count: int  # the last ``count`` lines, or from line ``count`` on when ``from_top``
    from_top: bool


def tail_options(args: list[str]) -> TailOptions | None:
    """The options of a following ``tail`` over one file (None: not one the model follows)."""
    follow = retry = from_top = False
    count, paths, i = 10, [], 0
    while i < len(args):
        arg = args[i]
        if arg in ("-f", "-F", "-fF", "-Ff", "--follow"):
            follow, retry = True, retry or "F" in arg
        elif arg == "-n" and i + 1 < len(args) or arg.startswith("-n") and len(arg) > 2:
            value = args[i + 1] if arg == "-n" else arg[2:]
            i += arg == "-n"
            from_top = value.startswith("+")
            if not value.lstrip("+-").isdigit():
                return None
            count = int(value.lstrip("+-"))
        elif arg in ("-q", "--quiet", "--silent"):
            pass
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            paths.append(arg)
        i += 1
    if not follow or len(paths) != 1:
        return None
    return TailOptions(paths[0], retry, count, from_top)


def first_lines(text: str, options: TailOptions) -> list[str]:
    """The lines ``tail`` prints before it starts following (whole lines only)."""
    lines = text.split("\n")[:-1]  # a last line without its newline is printed once it has one
    if options.from_top:
        return lines[max(options.count - 1, 0):]
    return lines[-options.count:] if options.count else []


def tail_messages(image_is_busybox: bool, path: str) -> dict[str, str]:
    """What BusyBox's (or GNU's) ``tail`` says about a file that is missing or appears later."""
    if image_is_busybox:
        return {"missing": f"tail: can't open '{path}': No such file or directory",
                "appeared": f"tail: {path} has appeared; following end of new file",
                "no files": "tail: no files"}
    return {"missing": f"tail: cannot open '{path}' for reading: No such file or directory",
            "appeared": f"tail: '{path}' has appeared;  following new file",
            "no files": "tail: no files remaining"}
