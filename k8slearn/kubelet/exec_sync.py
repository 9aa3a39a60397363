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
>>> exec_sync(["/bin/bash"], "busybox", {})
Traceback (most recent call last):
...
k8slearn.kubelet.exec_sync.ExecError: exec: "/bin/bash": stat /bin/bash: no such file or directory

A shell runs scripts: commands joined by ``;``, ``&&``, ``||``, newlines and pipes, with ``>``,
``>>``, ``2>``, ``2>&1`` and ``<`` redirections:

>>> from k8slearn.kubelet.exec_tools import ExecContext
>>> ctx = ExecContext("busybox", files={})
>>> run(["sh", "-c", "echo one > /tmp/a; echo two >> /tmp/a; cat /tmp/a | grep -c o"], ctx)
(0, '2\\n', '')
>>> run(["sh"], ctx, stdin="cat /tmp/a\\nexit 3\\n")
(3, 'one\\ntwo\\n', '')

What the commands print comes back in the order they wrote it (``chunks``), and the first command
that reads its standard input gets what ``kubectl exec -i`` passed (``sh -c 'cat > /tmp/f'``):

>>> run(["sh", "-c", "echo a; nosuch; echo b"], ctx).chunks
[('stdout', 'a\\n'), ('stderr', 'sh: nosuch: not found\\n'), ('stdout', 'b\\n')]
>>> run(["sh", "-c", "cat > /tmp/copy; wc -l < /tmp/copy"], ctx, stdin="x\\ny\\n")
(0, '2\\n', '')

The programs themselves are :mod:`k8slearn.kubelet.exec_tools`.

A script's own variables, ``$((...))`` and ``$(command)`` are worked out as each command runs, by
the same running shell as a container's own script (:mod:`k8slearn.kubelet.program_shell`):

>>> run(["sh", "-c", "n=$(echo 20); echo $((n + 1)) '$n'"], ctx)
(0, '21 $n\\n', '')

An unquoted expansion is split into fields at blanks, and one that is empty makes no field
(``echo a $(nosuch) b`` prints ``a b``); ``exit N`` is N modulo 256.

Simplified: of the shell's expansions only ``$NAME``, ``${NAME}``, ``$((...))`` and ``$(...)``
(:func:`k8slearn.kubelet.exec_env.expand_parameters` for a script without the last two or
variables of its own); ``for`` loops over listed words (or ``$(seq ...)``), written out turn by turn;
``if``/``elif``/``else`` with ``test``/``[`` (not piped or redirected as a whole); no other
parameter expansions, special parameters (``$?``, ``$$``, ``$1``), the shell's own variables
(``$PPID``, ``$SHLVL``, bash's ``$BASH_VERSION``), globs, other loops, ``case``, functions,
command groups (``{ ...; }``), subshells or background jobs (``cmd &``): ``kubectl exec`` says so
when a script uses them (in a probe's script they count as success, and the rest is taken
literally); the shell's builtins that change its state (``cd``, ``export``, ``set``...) are not
run: ``kubectl exec`` stops the script there, saying so (a probe's script goes on); no terminal;
every command finishes at once (no timeouts).

Upstream: containerd internal/cri/server/container_execsync.go and container_exec.go, runc exec;
the shell is BusyBox ash / dash
"""

from __future__ import annotations

import re

from k8slearn.kubelet.container_fs import ReadOnlyFileSystem
from k8slearn.kubelet.exec_common import Output, chunks_of
from k8slearn.kubelet.exec_env import expand_parameters, process_env, shell_variable, unknown_image_variables
from k8slearn.kubelet.exec_ps import start_process
from k8slearn.kubelet.exec_tools import (
    SHELL_BUILTINS,
    ExecContext,
    available,
    executable_at,
    not_simulated,
    reads_stdin,
    redirect_read_only_error,
    run_tool,
    write_file,
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

_OPERATORS = (";", "&&", "||", "\n", "|", "&")
# reserved words of the syntax the simulation does not run, and what it is called in the message
_KEYWORDS = {"for": "loops", "while": "loops", "until": "loops", "do": "loops", "done": "loops",
             "case": "case ... esac", "esac": "case ... esac", "function": "shell functions",
             "{": "command groups ({ ...; })", "}": "command groups ({ ...; })"}
_FUNCTION = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\(")  # f() { ...; }: a function definition
_IF_WORDS = ("if", "then", "elif", "else", "fi")
SHELLS = ("sh", "bash", "ash", "dash")


class QuotedWord(str):
    """A word of a script that had quotes or a backslash in it: its expansions make one field, even
    an empty one (an unquoted ``$(...)`` or ``$NAME`` that expands to nothing makes none)."""

    __slots__ = ()


class _Exited(Exception):
    """``exit`` inside an ``if``: the whole script ends, with what it printed so far."""

    def __init__(self, code: int, chunks: list) -> None:
        super().__init__(code)
        self.code, self.chunks = code, chunks


class ExecError(Exception):
    """The process could not be started (runc's message); ``str()`` is the reason."""


def exec_sync(argv: list[str], image: str, files: dict | None) -> tuple[int, str]:
    """ExecSync for a probe: (exit code, stdout then stderr), as the kubelet joins them."""
    code, out, err = run(argv, ExecContext(image, files if files is not None else {}))
    return code, out + err


def run(argv: list[str], ctx: ExecContext, stdin: str = "") -> Output:
    """Start ``argv`` in the container: its exit code and output (:class:`~k8slearn.kubelet.exec_tools.Output`,
    a tuple (exit code, stdout, stderr) with the chunks in the order written). Raises
    :class:`ExecError` when the executable does not exist in the image, with runc's reason: a
    name is looked up in PATH, a path with a slash is stat'ed."""
    if not argv:
        raise ExecError("exec: no command")
    exe = argv[0].rsplit("/", 1)[-1]
    if "/" in argv[0]:
        found = executable_at(argv[0], ctx)
        if found is False:
            raise ExecError(f'exec: "{argv[0]}": stat {argv[0]}: no such file or directory')
        if found is None:  # a file of the container: a script or a program the simulation cannot run
            return Output(*_plain(not_simulated(f"running {argv[0]}") if ctx.interactive else (0, "", "")))
    elif not available(exe, ctx):
        raise ExecError(f'exec: "{argv[0]}": executable file not found in $PATH')
    if exe in SHELLS:
        if len(argv) > 2 and argv[1] == "-c":
            if not _single_command(argv[2]):  # (one command alone: the shell execs it, in its own PID)
                ctx.processes.append((start_process(ctx), list(argv)))
            return script(argv[2], ctx, shell=exe, stdin=stdin)
        ctx.processes.append((start_process(ctx), list(argv)))
        if len(argv) > 1 and not argv[1].startswith("-"):
            return Output(*_plain(not_simulated(f"running the script file {argv[1]}") if ctx.interactive
                                  else (0, "", "")))
        return script(stdin, ctx, shell=exe)  # commands read from stdin (kubectl exec -i)
    return run_tool(list(argv), stdin, ctx)


def _single_command(text: str) -> bool:
    """Whether ``sh -c TEXT`` is one simple command, which BusyBox ash, dash and bash exec in place
    of themselves (the shell's process becomes the command's), rather than fork a child for it."""
    try:
        tokens = tokenize(text)
    except ValueError:
        return False
    return bool(tokens) and all(isinstance(t, str) and not _is_operator(t) and t not in _KEYWORDS
                                and t not in _IF_WORDS and "$" not in t for t in tokens)


def exec_replaced(argv: list[str]) -> list[str]:
    """The command line of the process ``argv`` becomes: ``sh -c 'sleep 1h'`` execs ``sleep 1h``
    (its one simple command), so that is PID 1's /proc/1/cmdline; any other ``argv`` stays.

    >>> exec_replaced(["sh", "-c", "sleep 1h"]), exec_replaced(["sh", "-c", "date; sleep 1h"])[2]
    (['sleep', '1h'], 'date; sleep 1h')
    """
    if len(argv) == 3 and argv[0].rsplit("/", 1)[-1] in SHELLS and argv[1] == "-c" and _single_command(argv[2]):
        return [str(word) for word in tokenize(argv[2])]
    return argv


def _plain(result: tuple) -> tuple[int, list]:
    return result[0], chunks_of(result)


def script(text: str, ctx: ExecContext, shell: str = "sh", stdin: str = "") -> Output:
    """A shell script: lists of pipelines joined by ``;``, ``&&``, ``||`` and newlines. ``stdin``
    goes to the first command that reads its standard input."""
    try:
        tokens = tokenize(text)
    except ValueError as err:
        return Output(2, [("stderr", f"{shell}: syntax error: {err}\n")])
    if "for" in tokens:  # for NAME in WORDS; do ...; done: one turn after the other, written out
        unrolled = unroll_for_loops(text)
        if unrolled is not None and unrolled != text:
            return script(unrolled, ctx, shell, stdin)
    syntax = _unsimulated_syntax(tokens)
    if syntax:
        return _refused(f"a script with {syntax}", ctx)
    if any(_is_operator(t, "&") for t in tokens):  # cmd &: the shell does not wait for it
        return _refused("running a command in the background (&)", ctx)
    internal = shell_variable(text, shell, ctx)
    if internal:
        return _refused(f"the shell's own variable {internal}", ctx)
    if assigns(text) or "$(" in protect_single_quoted(text):
        if re.search(r"\$\{?[?$!#@*0-9-]", protect_single_quoted(text)):  # $?, $$, $1...: not modelled
            return _refused("expanding shell variables and command substitution", ctx)
        return _script_with_shell(text, ctx, shell, stdin)
    expanded, refused = expand_parameters(text, ctx)
    if refused and ctx.interactive:
        return Output(*_plain(not_simulated(refused)))
    if not refused and expanded != text:
        text, tokens = expanded, tokenize(expanded)
    expansion = expansions(text)
    if expansion and ctx.interactive:
        return Output(*_plain(not_simulated(expansion)))
    return _run_tokens(tokens, ctx, shell, stdin=[stdin])


def _unsimulated_syntax(tokens: list) -> str:
    """What of the shell's grammar the script uses that the simulation does not run ("" if none):
    loops other than written-out ``for`` loops, ``case``, functions (``f() { ...; }``, ``function
    f``), command groups and subshells. A quoted word is never one (``echo '{'``).

    >>> _unsimulated_syntax(tokenize("f() { echo hi; }; f")), _unsimulated_syntax(tokenize("(cd /tmp; ls)"))
    ('shell functions', 'subshells ( ... )')
    >>> _unsimulated_syntax(tokenize("echo '{' f() done; [ -f /x ]"))
    ''
    """
    for j, token in enumerate(tokens):
        if type(token) is not str or not _at_command(tokens, j):
            continue
        if _FUNCTION.match(token) or tokens[j + 1:j + 2] == ["()"]:
            return "shell functions"
        if token in _KEYWORDS:
            return _KEYWORDS[token]
        if token.startswith("("):
            return "subshells ( ... )"
    return ""


def _refused(what: str, ctx: ExecContext) -> Output:
    """What the simulation does not run: ``kubectl exec`` says so; a probe's script is taken to succeed."""
    return Output(*_plain(not_simulated(what) if ctx.interactive else (0, "", "")))


def _run_tokens(tokens: list, ctx: ExecContext, shell: str, running: Shell | None = None,
                substituted_err: list | None = None, nested: bool = False, stdin: list | None = None) -> Output:
    """Run the lists of pipelines; with a ``running`` shell, each command's words are expanded
    when it runs (after the assignments before it) and ``NAME=value`` commands assign; what the
    command substitutions wrote to stderr (``substituted_err``) comes before the command's own.
    ``nested``: the tokens are a part of an ``if``, whose ``exit`` raises :class:`_Exited`.
    ``stdin``: a one-item list, what is left of the script's standard input."""
    code, joiner, chunks = 0, ";", []
    stdin = stdin if stdin is not None else [""]
    pipeline: list[list] = [[]]
    tokens = tokens + ["\n"]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "if" and pipeline == [[]]:  # if ...; then ...; [elif/else ...;] fi: one command
            end = _fi_at(tokens, i)
            if end is None or tokens[end + 1] not in (";", "&&", "||", "\n"):
                if end is None:
                    chunks.append(("stderr", f"{shell}: syntax error: unexpected end of file (expecting \"fi\")\n"))
                    return Output(2, chunks)
                return Output(1, chunks + chunks_of(not_simulated("a redirected or piped if")))
            if not ((joiner == "&&" and code != 0) or (joiner == "||" and code == 0)):
                try:
                    result = _run_if(tokens[i:end], ctx, shell, running, substituted_err, stdin)
                except _Exited as done:
                    if nested:
                        raise _Exited(done.code, chunks + done.chunks) from None
                    return Output(done.code, chunks + done.chunks)
                code = result[0]
                chunks += chunks_of(result)
            joiner, i = tokens[end + 1], end + 2
            continue
        if _is_operator(token, "|"):
            pipeline.append([])
            continue
        if not _is_operator(token):
            pipeline[-1].append(token)
            continue
        stages, pipeline = [s for s in pipeline if s], [[]]
        if stages and not ((joiner == "&&" and code != 0) or (joiner == "||" and code == 0)):
            if running is not None:
                try:
                    stages = _expanded(stages, running)
                except ShellError as failed:  # the shell reports it and stops
                    chunks += [("stderr", e) for e in substituted_err or ()]
                    return Output(2, chunks + [("stderr", f"{shell}: {failed}\n")])
                finally:
                    if substituted_err:
                        chunks += [("stderr", e) for e in substituted_err]
                        substituted_err.clear()
                if stages is None:  # only assignments
                    code = 0
                    joiner = token
                    continue
            first = stages[0]
            if first and first[0] == "exit":
                exit_code, problem = _exit_status(first[1:], code, shell, ctx)
                chunks += [("stderr", problem)] if problem else []
                if nested:
                    raise _Exited(exit_code, chunks)
                return Output(exit_code, chunks)
            if first and first[0] in SHELL_BUILTINS and ctx.interactive and len(stages) == 1:
                # export, cd, set...: the shell's own state, which what follows would depend on:
                # the script stops here, saying so (a probe's script goes on, as it always has; in
                # a pipeline the builtin runs in a subshell of its own, and the script goes on)
                chunks += chunks_of(not_simulated(f"the shell builtin '{first[0]}'"))
                if nested:
                    raise _Exited(1, chunks)
                return Output(1, chunks)
            result = _pipeline(stages, ctx, shell, stdin)
            code = result[0]
            chunks += result.chunks
        if stages or token in ("&&", "||"):
            joiner = token
    return Output(code, chunks)


def _exit_status(args: list, last: int, shell: str, ctx: ExecContext) -> tuple[int, str]:
    """``exit [N]``: the status (8 bits: ``exit 300`` is 44), or the shell's complaint and 2.

    >>> _exit_status(["300"], 0, "sh", ExecContext("busybox", files={})), _exit_status([], 3, "sh", None)
    ((44, ''), (3, ''))
    >>> _exit_status(["-1"], 0, "sh", ExecContext("nginx", files={}))
    (2, 'sh: 1: exit: Illegal number: -1\\n')
    """
    if not args:
        return last, ""
    word = str(args[0])
    if re.fullmatch(r"\d+", word):
        return int(word) % 256, ""
    if shell == "bash":
        if re.fullmatch(r"[+-]?\d+", word):
            return int(word) % 256, ""
        return 2, f"bash: line 1: exit: {word}: numeric argument required\n"
    if ctx.busybox:
        return 2, f"{shell}: exit: Illegal number: {word}\n"
    return 2, f"{shell}: 1: exit: Illegal number: {word}\n"


def _at_command(tokens: list, j: int) -> bool:
    """Whether ``tokens[j]`` is where a command starts (where ``if`` or ``done`` is a keyword)."""
    before = tokens[j - 1] if j else "\n"
    return _is_operator(before) or (type(before) is str and before in _IF_WORDS)


def _is_operator(token, *which: str) -> bool:
    """Whether a token is a control operator (one of ``which``), not a quoted word that reads like one."""
    return type(token) is str and token in (which or _OPERATORS)


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
            substituted_err: list | None, stdin: list) -> Output:
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
    chunks: list = []
    condition_met = False
    for kind, part in clauses:
        if kind in ("if", "elif") and not condition_met:
            try:
                result = _run_tokens(part, ctx, shell, running, substituted_err, nested=True, stdin=stdin)
            except _Exited as done:
                raise _Exited(done.code, chunks + done.chunks) from None
            chunks += result.chunks
            condition_met = result[0] == 0
        elif (kind == "then" and condition_met) or (kind == "else" and not condition_met):
            try:
                result = _run_tokens(part, ctx, shell, running, substituted_err, nested=True, stdin=stdin)
            except _Exited as done:
                raise _Exited(done.code, chunks + done.chunks) from None
            return Output(result[0], chunks + result.chunks)
    return Output(0, chunks)


def _script_with_shell(text: str, ctx: ExecContext, shell: str, stdin: str = "") -> Output:
    """A script with variables of its own or command substitution: the running shell
    (:mod:`k8slearn.kubelet.program_shell`) expands each command's words as it gets there;
    ``$(command)`` runs the command here."""
    variables = dict(process_env(ctx.image, ctx.hostname, ctx.envs))
    unknown = unknown_image_variables(ctx)
    assigned = set(re.findall(r"(?:^|[;&|\n(]|\s)([A-Za-z_][A-Za-z0-9_]*)=", text))
    protected = protect_single_quoted(text)  # a $ in single quotes is the shell's literal $
    for name in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", protected):
        if name not in variables and name not in assigned and (unknown is None or name in unknown):
            return _refused(f"the {ctx.image} image's own variable {name}", ctx)
    try:
        tokens = tokenize(protected)
    except ValueError as err:
        return Output(2, [("stderr", f"{shell}: syntax error: {err}\n")])
    substituted_err: list[str] = []

    def substitute(command: str) -> str:
        _, sub_out, sub_err = script(command, ctx, shell)
        substituted_err.append(sub_err)
        return sub_out

    result = _run_tokens(tokens, ctx, shell, Shell(variables, substitute), substituted_err, stdin=[stdin])
    return Output(result[0], [(stream, text.replace(QUOTED_DOLLAR, "$")) for stream, text in result.chunks])


def _expanded(stages: list[list], running: Shell) -> list[list] | None:
    """The pipeline's words expanded by the running shell; None for a command of assignments only.
    An unquoted word's expansion is split into fields at blanks (none if it is empty)."""
    if len(stages) == 1 and stages[0] and all(isinstance(w, str) and ASSIGNMENT.fullmatch(w) for w in stages[0]):
        for word in stages[0]:
            name, _, value = word.partition("=")
            running.assign(name, value)
        return None
    expanded = []
    for stage in stages:
        words: list = []
        for word in stage:
            if not isinstance(word, str):
                words.append(word)
                continue
            value = running.expand(word).replace(QUOTED_DOLLAR, "$")
            if "$" in word and not isinstance(word, QuotedWord):
                words.extend(value.split())  # field splitting (IFS: space, tab, newline)
            else:
                words.append(value)
        expanded.append(words)
    return expanded


def _pipeline(stages: list[list], ctx: ExecContext, shell: str, stdin: list | None = None) -> Output:
    """``a | b | c``: each stage's stdout is the next one's stdin; the exit code is the last one's.
    The first stage reads the script's stdin (``stdin[0]``) when it reads its standard input."""
    data, chunks, code = "", [], 0
    for i, stage in enumerate(stages):
        words, redirects = _split_redirects(stage)
        given = data if i else ""
        if not i and stdin is not None and stdin[0] and not any(kind == "<" for kind, _ in redirects) \
                and reads_stdin(words):
            given, stdin[0] = stdin[0], ""
        for kind, target in redirects:
            if kind == "<":
                result = run_tool(["cat", target], "", ctx, shell)
                if result[0]:
                    message = result[2].replace("cat: can't open", f"{shell}: can't open")
                    return Output(1, chunks + [("stderr", message)])
                given = result[1]
        result = run_tool(words, given, ctx, shell) if words else Output(0)
        code = result[0]
        # where fd 1 and fd 2 point, redirection by redirection: None is the pipe or the terminal
        targets: list = [None, None]
        for kind, target in redirects:
            if kind in (">", ">>"):
                targets[0] = _target(target, kind == ">>")
            elif kind == "2>":
                targets[1] = _target(target, False)
            elif kind == "2>&1":
                targets[1] = targets[0] or "stdout"
            elif kind == ">&2":
                targets[0] = targets[1] or "stderr"
        written: dict = {}  # a file's target -> what goes into it, in order
        passed = []
        for stream, text in result.chunks:
            where = targets[0 if stream == "stdout" else 1]
            if where is None:
                passed.append((stream, text))
            elif isinstance(where, str):
                passed.append((where, text))
            else:
                written.setdefault(id(where), [where, ""])[1] += text
        try:
            for (path, append), text in written.values():
                write_file(ctx, path, text, append)
            for target in targets:  # > file with nothing written still makes (or empties) the file
                if isinstance(target, tuple) and id(target) not in written:
                    write_file(ctx, target[0], "", target[1])
        except ReadOnlyFileSystem as failed:  # a redirection under a read-only mount
            code, e = redirect_read_only_error(shell or "sh", str(failed), ctx.busybox)
            return Output(code, chunks + [("stderr", e)])
        if i == len(stages) - 1:
            chunks += passed
        else:  # into the pipe: stdout is the next stage's stdin
            data = "".join(text for stream, text in passed if stream == "stdout")
            chunks += [(stream, text) for stream, text in passed if stream == "stderr"]
    return Output(code, chunks)


def _target(path: str, append: bool):
    """Where a redirection sends a stream: /dev/stdout and /dev/stderr are the streams themselves."""
    return {"/dev/stdout": "stdout", "/dev/stderr": "stderr"}.get(path) or (path, append)


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
    """Words (str; :class:`QuotedWord` for one with quotes or a backslash), control operators
    (str: ``; && || | & \\n``) and redirections (1-tuples).

    >>> tokenize("echo 'a;b' >/tmp/x 2>&1 && cat</tmp/x|wc -l")
    ['echo', 'a;b', ('>',), '/tmp/x', ('2>&1',), '&&', 'cat', ('<',), '/tmp/x', '|', 'wc', '-l']
    >>> tokenize("sleep 1 &")
    ['sleep', '1', '&']
    """
    tokens: list = []
    word, quoted, i = "", False, 0

    def flush() -> None:
        nonlocal word, quoted
        if word or quoted:
            tokens.append(QuotedWord(word) if quoted else word)
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
            word, quoted, i = word + text[i + 1], True, i + 2
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
        for op in ("2>&1", "1>&2", "2>", ">&2", ">>", ">", "<", "&&", "||", ";", "|", "\n", "&"):
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
