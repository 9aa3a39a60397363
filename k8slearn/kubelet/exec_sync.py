"""Exec: run a command inside a running container, the CRI call behind exec probes and ``kubectl exec``.

containerd starts a second process in the container's namespaces (``runc exec``) and waits for it.
For a probe (``ExecSync``) it hands back the output; for ``kubectl exec`` the kubelet streams
stdin, stdout and stderr. The command sees the container's own files, so the Kubernetes
documentation's liveness example works: the main process runs
``touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600`` and the probe runs
``cat /tmp/healthy``:

>>> files = {"/tmp/healthy": True}
>>> exec_sync(["cat", "/tmp/healthy"], "busybox", files)
(0, '')
>>> exec_sync(["cat", "/tmp/gone"], "busybox", files)
(1, "cat: can't open '/tmp/gone': No such file or directory\\n")
>>> exec_sync(["sh", "-c", "test -f /tmp/healthy && echo ok"], "nginx", files)
(0, 'ok\\n')
>>> exec_sync(["sh", "-c", "cat /tmp/healthy > /dev/null 2>&1 || exit 7"], "busybox", {})
(7, '')
>>> exec_sync(["nosuch"], "nginx", {})
Traceback (most recent call last):
...
k8slearn.kubelet.exec_sync.ExecError: exec: "nosuch": executable file not found in $PATH

A shell runs scripts: commands joined by ``;``, ``&&``, ``||``, newlines and pipes, with ``>``,
``>>``, ``2>``, ``2>&1`` and ``<`` redirections:

>>> from k8slearn.kubelet.exec_tools import ExecContext
>>> ctx = ExecContext("busybox", files={})
>>> run(["sh", "-c", "echo one > /tmp/a; echo two >> /tmp/a; cat /tmp/a | grep -c o"], ctx)
(0, '2\\n', '')
>>> run(["sh"], ctx, stdin="cat /tmp/a\\nexit 3\\n")
(3, 'one\\ntwo\\n', '')

The programs themselves are :mod:`k8slearn.kubelet.exec_tools`.

A script's own variables, ``$((...))`` and ``$(command)`` are worked out as each command runs, by
the same running shell as a container's own script (:mod:`k8slearn.kubelet.program_shell`):

>>> run(["sh", "-c", "n=$(echo 20); echo $((n + 1)) '$n'"], ctx)
(0, '21 $n\\n', '')

Simplified: of the shell's expansions only ``$NAME``, ``${NAME}``, ``$((...))`` and ``$(...)``
(:func:`k8slearn.kubelet.exec_env.expand_parameters` for a script without the last two or
variables of its own); ``for`` loops over listed words (or ``$(seq ...)``), written out turn by turn;
``if``/``elif``/``else`` with ``test``/``[`` (not piped or redirected as a whole); no other
parameter expansions, globs, other loops, ``case``, functions or background jobs (``kubectl exec``
says so when a script uses them; in a probe's script loops count as success and the rest is taken
literally); no terminal; every command finishes at once (no timeouts).

Upstream: containerd internal/cri/server/container_execsync.go and container_exec.go, runc exec;
the shell is BusyBox ash / dash
"""

from __future__ import annotations

import re

from k8slearn.kubelet.container_fs import ReadOnlyFileSystem
from k8slearn.kubelet.exec_env import expand_parameters, process_env, unknown_image_variables
from k8slearn.kubelet.exec_tools import (
    ExecContext,
    available,
    not_simulated,
    redirect_read_only_error,
    run_tool,
)
from k8slearn.kubelet.program_shell import (
    ASSIGNMENT,
    QUOTED_DOLLAR,
    Shell,
    ShellError,
    assigns,
    protect_single_quoted,
    unroll_for_loops,
)

_OPERATORS = (";", "&&", "||", "\n", "|")
_KEYWORDS = {"for", "while", "until", "do", "done", "case", "esac", "function"}  # not simulated
_IF_WORDS = ("if", "then", "elif", "else", "fi")


class _Exited(Exception):
    """``exit`` inside an ``if``: the whole script ends, with what it printed so far."""

    def __init__(self, code: int, out: str, err: str) -> None:
        super().__init__(code)
        self.code, self.out, self.err = code, out, err


class ExecError(Exception):
    """The process could not be started (runc's message); ``str()`` is the reason."""


def exec_sync(argv: list[str], image: str, files: dict | None) -> tuple[int, str]:
    """ExecSync for a probe: (exit code, stdout then stderr), as the kubelet joins them."""
    code, out, err = run(argv, ExecContext(image, files if files is not None else {}))
    return code, out + err


def run(argv: list[str], ctx: ExecContext, stdin: str = "") -> tuple[int, str, str]:
    """Start ``argv`` in the container; (exit code, stdout, stderr). Raises :class:`ExecError`
    when the executable does not exist in the image."""
    if not argv:
        raise ExecError("exec: no command")
    exe = argv[0].rsplit("/", 1)[-1]
    if not available(exe, ctx):
        raise ExecError(f'exec: "{argv[0]}": executable file not found in $PATH')
    if exe in ("sh", "bash", "ash", "dash"):
        if len(argv) > 2 and argv[1] == "-c":
            return script(argv[2], ctx, shell=exe)
        if len(argv) > 1 and not argv[1].startswith("-"):
            return not_simulated(f"running the script file {argv[1]}") if ctx.interactive else (0, "", "")
        return script(stdin, ctx, shell=exe)  # commands read from stdin (kubectl exec -i)
    return run_tool(list(argv), stdin, ctx)


def script(text: str, ctx: ExecContext, shell: str = "sh") -> tuple[int, str, str]:
    """A shell script: lists of pipelines joined by ``;``, ``&&``, ``||`` and newlines."""
    try:
        tokens = tokenize(text)
    except ValueError as err:
        return 2, "", f"{shell}: syntax error: {err}\n"
    if "for" in tokens:  # for NAME in WORDS; do ...; done: one turn after the other, written out
        unrolled = unroll_for_loops(text)
        if unrolled is not None and unrolled != text:
            return script(unrolled, ctx, shell)
    if any(_at_command(tokens, j) and t in _KEYWORDS for j, t in enumerate(tokens) if isinstance(t, str)):
        return not_simulated("a script with loops or conditionals") if ctx.interactive else (0, "", "")
    if assigns(text) or "$(" in protect_single_quoted(text):
        return _script_with_shell(text, ctx, shell)
    expanded, refused = expand_parameters(text, ctx)
    if refused and ctx.interactive:
        return not_simulated(refused)
    if not refused and expanded != text:
        text, tokens = expanded, tokenize(expanded)
    expansion = expansions(text)
    if expansion and ctx.interactive:
        return not_simulated(expansion)
    return _run_tokens(tokens, ctx, shell)


def _run_tokens(tokens: list, ctx: ExecContext, shell: str, running: Shell | None = None,
                substituted_err: list | None = None, nested: bool = False) -> tuple[int, str, str]:
    """Run the lists of pipelines; with a ``running`` shell, each command's words are expanded
    when it runs (after the assignments before it) and ``NAME=value`` commands assign; what the
    command substitutions wrote to stderr (``substituted_err``) comes before the command's own.
    ``nested``: the tokens are a part of an ``if``, whose ``exit`` raises :class:`_Exited`."""
    code, out, err, joiner = 0, "", "", ";"
    pipeline: list[list] = [[]]
    tokens = tokens + ["\n"]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "if" and pipeline == [[]]:  # if ...; then ...; [elif/else ...;] fi: one command
            end = _fi_at(tokens, i)
            if end is None or tokens[end + 1] not in (";", "&&", "||", "\n"):
                return (2, out, err + f"{shell}: syntax error: unexpected end of file (expecting \"fi\")\n") \
                    if end is None else (1, out, err + not_simulated("a redirected or piped if")[2])
            if not ((joiner == "&&" and code != 0) or (joiner == "||" and code == 0)):
                try:
                    code, o, e = _run_if(tokens[i:end], ctx, shell, running, substituted_err)
                except _Exited as done:
                    if nested:
                        raise _Exited(done.code, out + done.out, err + done.err) from None
                    return done.code, out + done.out, err + done.err
                out, err = out + o, err + e
            joiner, i = tokens[end + 1], end + 2
            continue
        if token == "|":
            pipeline.append([])
            continue
        if token not in _OPERATORS:
            pipeline[-1].append(token)
            continue
        stages, pipeline = [s for s in pipeline if s], [[]]
        if stages and not ((joiner == "&&" and code != 0) or (joiner == "||" and code == 0)):
            if running is not None:
                try:
                    stages = _expanded(stages, running)
                except ShellError as failed:  # the shell reports it and stops
                    return 2, out, err + f"{shell}: {failed}\n"
                finally:
                    err += "".join(substituted_err or ())
                    if substituted_err:
                        substituted_err.clear()
                if stages is None:  # only assignments
                    code = 0
                    joiner = token
                    continue
            first = stages[0]
            if first and first[0] == "exit":
                exit_code = int(first[1]) if len(first) > 1 and str(first[1]).isdigit() else code
                if nested:
                    raise _Exited(exit_code, out, err)
                return exit_code, out, err
            code, o, e = _pipeline(stages, ctx, shell)
            out, err = out + o, err + e
        if stages or token in ("&&", "||"):
            joiner = token
    return code, out, err


def _at_command(tokens: list, j: int) -> bool:
    """Whether ``tokens[j]`` is where a command starts (where ``if`` or ``done`` is a keyword)."""
    before = tokens[j - 1] if j else "\n"
    return isinstance(before, str) and (before in _OPERATORS or before in _IF_WORDS)


def _fi_at(tokens: list, start: int) -> int | None:
    """The index of the ``fi`` that closes the ``if`` whose condition starts at ``start``."""
    depth = 1
    for j in range(start, len(tokens)):
        word, at_command = tokens[j], _at_command(tokens, j)
        if word == "if" and at_command:
            depth += 1
        elif word == "fi" and at_command:
            depth -= 1
            if depth == 0:
                return j
    return None


def _run_if(tokens: list, ctx: ExecContext, shell: str, running: Shell | None,
            substituted_err: list | None) -> tuple[int, str, str]:
    """``COND then BODY [elif COND then BODY]... [else BODY]`` (the tokens between ``if`` and
    ``fi``): the body of the first condition that succeeds, or the ``else``; 0 if none ran."""
    clauses: list[tuple[str, list]] = []  # ("if"|"then"|"elif"|"else", the tokens that follow)
    depth, kind, part = 0, "if", []
    for j, word in enumerate(tokens):
        at_command = _at_command(tokens, j)
        if at_command and word == "if":
            depth += 1
        elif at_command and word == "fi":
            depth -= 1
        elif at_command and depth == 0 and word in ("then", "elif", "else"):
            clauses.append((kind, part))
            kind, part = word, []
            continue
        part.append(word)
    clauses.append((kind, part))
    out = err = ""
    condition_met = False
    for kind, part in clauses:
        if kind in ("if", "elif") and not condition_met:
            try:
                code, o, e = _run_tokens(part, ctx, shell, running, substituted_err, nested=True)
            except _Exited as done:
                raise _Exited(done.code, out + done.out, err + done.err) from None
            out, err, condition_met = out + o, err + e, code == 0
        elif kind == "then" and condition_met:
            return _nested(part, ctx, shell, running, substituted_err, out, err)
        elif kind == "else" and not condition_met:
            return _nested(part, ctx, shell, running, substituted_err, out, err)
    return 0, out, err


def _nested(part: list, ctx: ExecContext, shell: str, running: Shell | None, substituted_err: list | None,
            out: str, err: str) -> tuple[int, str, str]:
    """Run a branch of an ``if`` after what its conditions printed."""
    try:
        code, o, e = _run_tokens(part, ctx, shell, running, substituted_err, nested=True)
    except _Exited as done:
        raise _Exited(done.code, out + done.out, err + done.err) from None
    return code, out + o, err + e


def _script_with_shell(text: str, ctx: ExecContext, shell: str) -> tuple[int, str, str]:
    """A script with variables of its own or command substitution: the running shell
    (:mod:`k8slearn.kubelet.program_shell`) expands each command's words as it gets there;
    ``$(command)`` runs the command here."""
    variables = dict(process_env(ctx.image, ctx.hostname, ctx.envs))
    unknown = unknown_image_variables(ctx)
    assigned = set(re.findall(r"(?:^|[;&|\n(]|\s)([A-Za-z_][A-Za-z0-9_]*)=", text))
    protected = protect_single_quoted(text)  # a $ in single quotes is the shell's literal $
    for name in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", protected):
        if name not in variables and name not in assigned and (unknown is None or name in unknown):
            return not_simulated(f"the {ctx.image} image's own variable {name}") if ctx.interactive else (0, "", "")
    try:
        tokens = tokenize(protected)
    except ValueError as err:
        return 2, "", f"{shell}: syntax error: {err}\n"
    substituted_err: list[str] = []

    def substitute(command: str) -> str:
        _, sub_out, sub_err = script(command, ctx, shell)
        substituted_err.append(sub_err)
        return sub_out

    code, out, err = _run_tokens(tokens, ctx, shell, Shell(variables, substitute), substituted_err)
    return code, out.replace(QUOTED_DOLLAR, "$"), err.replace(QUOTED_DOLLAR, "$")


def _expanded(stages: list[list], running: Shell) -> list[list] | None:
    """The pipeline's words expanded by the running shell; None for a command of assignments only."""
    if len(stages) == 1 and stages[0] and all(isinstance(w, str) and ASSIGNMENT.fullmatch(w) for w in stages[0]):
        for word in stages[0]:
            name, _, value = word.partition("=")
            running.assign(name, value)
        return None
    return [[running.expand(w).replace(QUOTED_DOLLAR, "$") if isinstance(w, str) else w for w in stage]
            for stage in stages]



def _pipeline(stages: list[list], ctx: ExecContext, shell: str) -> tuple[int, str, str]:
    """``a | b | c``: each stage's stdout is the next one's stdin; the exit code is the last one's."""
    data, err, code = "", "", 0
    for i, stage in enumerate(stages):
        words, redirects = _split_redirects(stage)
        stdin = data if i else ""
        for kind, target in redirects:
            if kind == "<":
                code, stdin, e = run_tool(["cat", target], "", ctx, shell)
                if code:
                    return 1, "", err + e.replace("cat: can't open", f"{shell}: can't open")
        code, out, e = run_tool(words, stdin, ctx, shell) if words else (0, "", "")
        # where fd 1 and fd 2 point, redirection by redirection: None is the pipe or the terminal
        targets: list = [None, None]
        for kind, target in redirects:
            if kind in (">", ">>"):
                targets[0] = (target, kind == ">>")
            elif kind == "2>":
                targets[1] = (target, False)
            elif kind == "2>&1":
                targets[1] = targets[0] or "stdout"
            elif kind == ">&2":
                targets[0] = targets[1] or "stderr"
        try:
            if targets[0] == "stderr":  # echo oops >&2
                out, e, targets[0] = "", e + out, None
            if targets[1] == "stdout" or (targets[1] is not None and targets[1] is targets[0]):
                out, e = out + e, ""
            elif targets[1] is not None:
                _write(ctx, targets[1][0], e, targets[1][1])
                e = ""
            if targets[0] is not None:
                _write(ctx, targets[0][0], out, targets[0][1])
                out = ""
        except ReadOnlyFileSystem as failed:  # a redirection under a read-only mount
            code, e = redirect_read_only_error(shell or "sh", str(failed), ctx.busybox)
            return code, "", err + e
        data, err = out, err + e
    return code, data, err


def _write(ctx: ExecContext, path: str, text: str, append: bool) -> None:
    if path in ("/dev/null", "/dev/stdout", "/dev/stderr"):
        return
    before = ctx.files.get(path)
    ctx.files[path] = ((before if isinstance(before, str) else "") if append else "") + text


def _split_redirects(stage: list) -> tuple[list[str], list[tuple[str, str]]]:
    words, redirects, i = [], [], 0
    while i < len(stage):
        token = stage[i]
        if isinstance(token, tuple):  # (operator,) from the tokenizer
            op = token[0]
            if op in ("2>&1", ">&2"):
                redirects.append((op, ""))
            elif i + 1 < len(stage):
                redirects.append((op, stage[i + 1]))
                i += 1
        else:
            words.append(token)
        i += 1
    return words, redirects


def expansions(text: str) -> str:
    """What the shell would expand in ``text`` that the simulation does not: variables and command
    substitution (``$``, backquotes) outside single quotes, globs (``*``, ``?``) outside quotes.

    >>> expansions("echo $HOSTNAME"), expansions("ls /tmp/*"), expansions("echo '$1' '*'")
    ('expanding shell variables and command substitution', 'expanding file name patterns (globs)', '')
    """
    quote = ""
    for c in text:
        if quote == "'":
            quote = "" if c == "'" else quote
        elif c in "$`":
            return "expanding shell variables and command substitution"
        elif quote == '"':
            quote = "" if c == '"' else quote
        elif c in "'\"":
            quote = c
        elif c in "*?":
            return "expanding file name patterns (globs)"
    return ""


def tokenize(text: str) -> list:
    """Words (str), control operators (str: ``; && || | \\n``) and redirections (1-tuples).

    >>> tokenize("echo 'a;b' >/tmp/x 2>&1 && cat</tmp/x|wc -l")
    ['echo', 'a;b', ('>',), '/tmp/x', ('2>&1',), '&&', 'cat', ('<',), '/tmp/x', '|', 'wc', '-l']
    """
    tokens: list = []
    word, quoted, i = "", False, 0

    def flush() -> None:
        nonlocal word, quoted
        if word or quoted:
            tokens.append(word)
        word, quoted = "", False

    while i < len(text):
        c = text[i]
        if c in "'\"":
            end = text.find(c, i + 1)
            if end < 0:
                raise ValueError("unterminated quoted string")
            word, quoted, i = word + text[i + 1:end], True, end + 1
            continue
        if c == "\\" and i + 1 < len(text):
            word, i = word + text[i + 1], i + 2
            continue
        if c == "$" and text.startswith("(", i + 1):  # $(command), $((arithmetic)): one word, spaces and all
            end, depth = i + 1, 0
            while end < len(text):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
                end += 1
            if end >= len(text):
                raise ValueError("unterminated $(")
            word, i = word + text[i:end + 1], end + 1
            continue
        if c == "#" and not word:
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        for op in ("2>&1", "1>&2", "2>", ">&2", ">>", ">", "<", "&&", "||", ";", "|", "\n"):
            if text.startswith(op, i) and (op[0] not in "12" or not word):
                flush()
                tokens.append((">&2",) if op == "1>&2" else (op,) if op[0] in "2><" else op)
                i += len(op)
                break
        else:
            if c in " \t":
                flush()
            else:
                word += c
            i += 1
    flush()
    return tokens
