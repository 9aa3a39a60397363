"""The ``kubectl`` command line: find the command, parse its flags, run it, print like a terminal.

``Kubectl(client, now).run("get pods -o wide")`` returns a :class:`Result` holding what the real
kubectl v1.32 would write to stdout and stderr and its exit code. Like cobra, the first words
that are not flags pick the command (``create deployment``), every other word is an argument,
and an unknown command gets cobra's "Did you mean this?" list. Nothing raises out of ``run``.

>>> k = Kubectl(client=None, now=lambda: 0.0)
>>> [line.strip() for line in k.run("gett pods").stderr.splitlines()]
['error: unknown command "gett" for "kubectl"', '', 'Did you mean this?', 'set', 'get']
>>> r = k.run(["kubectl", "get", "pods", "--foo"])
>>> r.code, r.stderr
(1, "error: unknown flag: --foo\\nSee 'kubectl get --help' for usage.\\n")

Simplified: the kubeconfig is in memory (one cluster, user ``kubernetes-admin``, contexts as
``kubectl config`` sets them: :mod:`k8slearn.kubectl.kubeconfig`), no plugins, no ``--watch``; commands that need a real container
runtime or network that is not simulated (``port-forward``, ``cp``...) say so instead of pretending.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/cmd.go (NewKubectlCommand), github.com/spf13/cobra
(command.go Find, SuggestionsFor; args.go legacyArgs)
"""

from __future__ import annotations

import shlex
from typing import Any, Callable

from k8slearn.kubectl import flagspec
from k8slearn.kubectl.errors import Aggregate, ExitSilently, KubectlError, render, usage_error
from k8slearn.kubectl.flags import FlagError, FlagSet, Parsed
from k8slearn.kubectl.record import DEPRECATION as RECORD_DEPRECATION
from k8slearn.kubectl.record import RECORD_COMMANDS, RecordingClient, change_cause

__all__ = ["Kubectl", "Result", "Context", "command", "HANDLERS"]

CONTEXT_NAME = "kubernetes-admin@kubernetes"

# command path ("kubectl get") -> handler(ctx, args); filled in by the command modules.
HANDLERS: dict[str, Callable[["Context", list[str]], Any]] = {}
# required flags per command path (cobra MarkFlagRequired)
REQUIRED: dict[str, list[str]] = {}


def command(path: str, required: tuple[str, ...] = ()) -> Callable:
    """Register ``fn(ctx, args)`` as the handler of ``kubectl <path>``."""
    def register(fn: Callable) -> Callable:
        HANDLERS["kubectl " + path] = fn
        if required:
            REQUIRED["kubectl " + path] = list(required)
        return fn
    return register


class Result:
    """What a terminal shows after one kubectl command: its stdout, its stderr and the exit code.
    ``str()`` and ``chunks`` keep the two streams in the order kubectl wrote them (a drain's retry
    errors between its eviction lines), as a terminal shows them."""

    def __init__(self, stdout: str = "", stderr: str = "", code: int = 0,
                 chunks: list[tuple[str, str]] | None = None) -> None:
        self.stdout, self.stderr, self.code = stdout, stderr, code
        self.chunks = chunks if chunks is not None else [(name, text) for name, text in
                                                        (("stdout", stdout), ("stderr", stderr)) if text]

    def __str__(self) -> str:
        return "".join(text for _, text in self.chunks)

    def __repr__(self) -> str:
        return str(self) if str(self) else f"<kubectl exit code {self.code}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self).rstrip("\n") if str(self) else repr(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Result):
            return (self.stdout, self.stderr, self.code) == (other.stdout, other.stderr, other.code)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class Context:
    """Everything one command run needs: the API client, the clock, flags, and the two streams."""

    def __init__(self, kubectl: "Kubectl", stdin: str) -> None:
        self.kubectl = kubectl
        self.client = kubectl.client
        self.cluster = kubectl.cluster
        self.stdin = stdin
        self.out: list[str] = []
        self.err: list[str] = []
        self.chunks: list[tuple[str, str]] = []  # both streams, in the order they were written
        self.path = "kubectl"
        self.flags: dict[str, Any] = {}
        self.changed: set[str] = set()
        self.args_at_dash = -1
        self.change_cause = ""  # --record: the command line written into kubernetes.io/change-cause
        self._warned: set[str] = set()
        if hasattr(self.client, "warning_handler"):  # the API server's warnings, on stderr, each once
            self.client.warning_handler = self._warning

    def _warning(self, text: str) -> None:
        """rest.WarningWriter with deduplication: ``Warning: <text>``."""
        if text not in self._warned:
            self._warned.add(text)
            self.eprint(f"Warning: {text}")

    def now(self) -> float:
        return self.kubectl.now()

    def print(self, text: str = "", end: str = "\n") -> None:
        self.out.append(text + end)
        if text or end:
            self.chunks.append(("stdout", text + end))

    def eprint(self, text: str = "", end: str = "\n") -> None:
        self.err.append(text + end)
        if text or end:
            self.chunks.append(("stderr", text + end))

    @property
    def namespace(self) -> str:
        """``-n``, else the namespace of the kubeconfig's context (``config set-context``), else default."""
        context = self.kubectl.kubeconfig.context(self.flags.get("context") or "") or {}
        return self.flags.get("namespace") or context.get("namespace") or "default"

    @property
    def explicit_namespace(self) -> bool:
        return bool(self.flags.get("namespace"))


class Kubectl:
    """A kubectl bound to one API server client and one simulated clock."""

    def __init__(self, client: Any, now: Callable[[], float], cluster: Any = None) -> None:
        from k8slearn.kubectl.kubeconfig import KubeConfig

        self.client = client
        self.now = now
        self.cluster = cluster
        self.kubeconfig = KubeConfig()

    def run(self, command: str | list[str], stdin: str = "") -> Result:
        """Run one command line (a string split like a shell, or a list of words)."""
        _load_commands()
        if not isinstance(command, (str, list, tuple)):
            raise TypeError(f"a kubectl command is a string or a list of words, not {type(command).__name__}")
        if isinstance(command, str):
            try:
                argv = shlex.split(_without_comment(command))
            except ValueError as exc:
                return Result("", f"error: cannot parse the command line: {exc}\n", 1)
        else:
            argv = [str(a) for a in command]
        if argv and argv[0] == "kubectl":
            argv = argv[1:]
        ctx = Context(self, stdin)
        code = 0
        try:
            code = dispatch(ctx, argv) or 0
        except ExitSilently as exc:
            code = exc.code
        except (KubectlError, Aggregate) as exc:
            ctx.eprint(render(exc), end="")
            code = getattr(exc, "code", 1)
        except LookupError as exc:  # UnknownResourceError / NoKindMatchError from the resource table
            ctx.eprint(render(KubectlError(str(exc))), end="")
            code = 1
        except Exception as exc:  # an ApiError, or a bug: still a terminal-like answer
            if hasattr(exc, "status"):
                ctx.eprint(render(exc), end="")
            else:
                ctx.eprint(f"error: {type(exc).__name__}: {exc}")
            code = 1
        return Result("".join(ctx.out), "".join(ctx.err), code, ctx.chunks)


def _without_comment(line: str) -> str:
    """The line without a shell comment: ``#`` at the start of a word, outside quotes, and the rest.

    >>> _without_comment("get pods -o wide   # every pod"), _without_comment("get cm -o 'jsonpath={.a#b}' #x")
    ('get pods -o wide   ', "get cm -o 'jsonpath={.a#b}' ")
    """
    quote = ""
    for i, c in enumerate(line):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


# --- the command tree ---------------------------------------------------------------------------

_GLOBAL = flagspec.GLOBAL_FLAGS
_FLAGSETS: dict[str, FlagSet] = {}


def _flagset(path: str) -> FlagSet:
    if path not in _FLAGSETS:
        hidden = [("", "record", "false")] if path in RECORD_COMMANDS else []  # deprecated: not in --help
        local = list(flagspec.COMMAND_FLAGS.get(path, [])) + hidden
        names = {flag[1] for flag in local}  # a local flag hides the global one (debug's --profile)
        _FLAGSETS[path] = FlagSet(local + [flag for flag in _GLOBAL if flag[1] not in names])
    return _FLAGSETS[path]


def _children(path: str) -> list[str]:
    """Subcommand names of ``path`` in cobra's order."""
    if path == "kubectl":
        return list(flagspec.ROOT_COMMANDS)
    depth = path.count(" ") + 1
    return [p.split(" ")[depth] for p in flagspec.COMMAND_FLAGS
            if p.startswith(path + " ") and p.count(" ") == depth]


def _first_word(argv: list[str], flags: FlagSet) -> tuple[int, str | None]:
    """cobra stripFlags: the index of the first argument that is not a flag or a flag's value."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return -1, None
        if word.startswith("--") and "=" not in word:
            flag = flags.flags.get(word[2:])
            if flag is not None and flag.kind != "bool" and flag.no_opt is None:
                i += 1
        elif word.startswith("-") and len(word) == 2:
            flag = flags.shorthands.get(word[1])
            if flag is not None and flag.kind != "bool" and flag.no_opt is None:
                i += 1
        elif not word.startswith("-"):
            return i, word
        i += 1
    return -1, None


# cobra Aliases of subcommands
ALIASES = {
    "kubectl create": {"ns": "namespace", "cm": "configmap", "deploy": "deployment", "sa": "serviceaccount",
                       "svc": "service", "pc": "priorityclass", "cj": "cronjob", "resourcequota": "quota",
                       "pdb": "poddisruptionbudget", "ing": "ingress"},
    "kubectl top": {"pods": "pod", "po": "pod", "nodes": "node", "no": "node"},
    "kubectl config": {"use": "use-context"},
    "kubectl set": {"sa": "serviceaccount"},
}


def dispatch(ctx: Context, argv: list[str]) -> int:
    path, rest = "kubectl", list(argv)
    while True:
        children = _children(path)
        index, word = _first_word(rest, _flagset(path))
        word = ALIASES.get(path, {}).get(word, word) if word else word
        if word is None or word not in children:
            break
        path = f"{path} {word}"
        rest = rest[:index] + rest[index + 1:]
    ctx.path = path
    flags = _flagset(path)
    try:
        parsed = flags.parse(rest)
    except FlagError as exc:
        if path == "kubectl diff":  # NewCmdDiff's FlagErrorFunc: CheckDiffErr(UsageErrorf(...)), exit code 2
            error = usage_error(path, str(exc))
            error.code = 2
            raise error from None
        raise KubectlError(f"{exc}\nSee '{path} --help' for usage.") from None
    if path == "kubectl":
        return _root(ctx, parsed)
    ctx.flags, ctx.changed, ctx.args_at_dash = parsed.values, parsed.changed, parsed.args_at_dash
    if "record" in parsed.changed:
        ctx.eprint(RECORD_DEPRECATION)
        if parsed.values["record"]:
            ctx.change_cause = change_cause(argv, flags)
            ctx.client = RecordingClient(ctx.client, ctx.change_cause)
    if parsed.help:
        from k8slearn.kubectl.helptext import help_for

        ctx.print(help_for(path), end="")
        return 0
    if ctx.flags.get("kubeconfig"):
        raise KubectlError("--kubeconfig is not available in this simulated cluster (its kubeconfig is in memory: "
                           "see kubectl config)")
    if not path.startswith("kubectl config"):
        from k8slearn.kubectl.kubeconfig import check_context

        check_context(ctx)
        _check_request_timeout(ctx, path)
    handler = HANDLERS.get(path)
    if handler is None:
        if _children(path):
            return _group(ctx, parsed.args)
        raise KubectlError(f"{path[len('kubectl '):]} is not available in this simulated cluster")
    missing = [f'"{name}"' for name in REQUIRED.get(path, []) if name not in parsed.changed]
    if missing:
        raise KubectlError(f"required flag(s) {', '.join(missing)} not set")
    if path.split(" ")[1] in _PRINTER_FIRST and "output" in ctx.flags:
        from k8slearn.kubectl.apply import print_flags_format

        print_flags_format(ctx)  # their Complete builds the printer before any request
    return handler(ctx, parsed.args) or 0


def _check_request_timeout(ctx: Context, path: str) -> None:
    """DirectClientConfig.ClientConfig: ``--request-timeout`` is read with clientcmd.ParseTimeout when
    the REST config is built, after the context checks and before any request (``version
    --client`` builds none)."""
    from k8slearn.kubectl.flags import parse_timeout

    value = ctx.flags.get("request-timeout")
    if not value or (path == "kubectl version" and ctx.flags.get("client")):
        return
    try:
        parse_timeout(str(value))
    except ValueError as exc:
        raise KubectlError(str(exc)) from None


# The commands whose Complete builds the -o printer first (label, taint, patch, apply and rollout
# build it when they print, after their request).
_PRINTER_FIRST = {"annotate", "run", "create", "scale", "expose", "set", "replace"}


def _root_usage(help_text: str) -> str:
    """The root command's usage: its help text from the first command group on (cobra prints the
    Long description, then the usage template, which starts with two newlines)."""
    return help_text[help_text.index("\n\nBasic Commands"):]


def _root(ctx: Context, parsed: Parsed) -> int:
    from k8slearn.kubectl.helptext import help_for

    if parsed.args[:1] == ["help"]:  # cobra's help command: the help of the command it names
        path = "kubectl"
        for word in parsed.args[1:]:  # Command.Find: the deepest command named; words after it are left
            word = ALIASES.get(path, {}).get(word, word)
            if word not in _children(path):
                break
            path = f"{path} {word}"
        if path == "kubectl" and parsed.args[1:]:  # legacyArgs: only the root refuses words it does not know
            topic = " ".join(f"`{w}`" for w in parsed.args[1:])
            ctx.eprint(f"Unknown help topic [{topic}]")
            ctx.eprint(_root_usage(help_for(path)), end="")  # c.Root().Usage(): the help without its Long text
            return 0
        ctx.print(help_for(path), end="")
        return 0
    if parsed.args:
        word = parsed.args[0]
        suggestions = suggestions_for(word)
        text = f'unknown command "{word}" for "kubectl"'
        if suggestions:
            text += "\n\nDid you mean this?\n\t" + "\n\t".join(suggestions) + "\n"
        raise KubectlError(text)
    from k8slearn.kubectl.helptext import help_for

    ctx.print(help_for("kubectl"), end="")
    return 0


# The groups whose DefaultSubCommandRun writes the help to stdout (the others: to stderr)
_GROUP_HELP_TO_STDOUT = {"kubectl rollout"}


def _group(ctx: Context, args: list[str]) -> int:
    """cmdutil.DefaultSubCommandRun: a group command run without a known subcommand."""
    if args:
        raise KubectlError(f'unknown command "{" ".join(args)}"\nSee \'{ctx.path} -h\' for help and examples')
    from k8slearn.kubectl.helptext import help_for

    write = ctx.print if ctx.path in _GROUP_HELP_TO_STDOUT else ctx.eprint
    write(help_for(ctx.path), end="")
    raise ExitSilently(1)


_SUGGEST_FOR = {"get": ("list", "ps"), "wait": ("list", "ps")}  # cobra SuggestFor of these commands


def suggestions_for(typed: str) -> list[str]:
    """cobra SuggestionsFor: Levenshtein distance <= 2 (ignoring case) or a prefix match."""
    out = []
    for name in flagspec.ROOT_COMMANDS:
        if _levenshtein(typed.lower(), name.lower()) <= 2 or name.lower().startswith(typed.lower()):
            out.append(name)
        elif any(typed.lower() == s for s in _SUGGEST_FOR.get(name, ())):
            out.append(name)
    return out


def _levenshtein(s: str, t: str) -> int:
    d = list(range(len(t) + 1))
    for i, cs in enumerate(s, 1):
        prev, d[0] = d[0], i
        for j, ct in enumerate(t, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (cs != ct))
    return d[len(t)]


_LOADED = False


def _load_commands() -> None:
    """Import the command modules (each registers its handlers with @command)."""
    global _LOADED
    if _LOADED:
        return
    from k8slearn.kubectl import (  # noqa: F401
        apply, apply_last_applied, auth, debug, delete, describers, diff, drain, edit, events, exec, explain,
        generators, get, kubeconfig, misc, patch, rollout, run_expose, set_env, set_resources, set_selector,
        set_serviceaccount, taint, wait,
    )

    _LOADED = True
