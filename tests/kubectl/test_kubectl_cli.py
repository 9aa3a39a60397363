"""The command line itself: Result, word splitting, pflag parsing, errors that never raise, magics."""

import pytest

from k8slearn.kubectl import Kubectl, Result
from k8slearn.kubectl.cli import suggestions_for
from k8slearn.kubectl.flags import FlagError, FlagSet


def test_result_reads_like_a_terminal():
    r = Result("out\n", "err\n", 1)
    assert (str(r), repr(r), r.code) == ("out\nerr\n", "out\nerr\n", 1)


def test_result_pretty_prints_its_text_in_ipython():
    printed = []

    class Printer:
        def text(self, value):
            printed.append(value)

    Result("NAME\n", "", 0)._repr_pretty_(Printer(), False)
    assert printed == ["NAME"]


def test_a_leading_kubectl_word_and_a_word_list_are_both_accepted():
    k = Kubectl(None, lambda: 0.0)
    assert str(k.run("kubectl config current-context")) == str(k.run(["config", "current-context"]))


def test_errors_never_raise_out_of_run():
    class Broken:
        def list(self, *args, **kwargs):
            raise RuntimeError("disk on fire")

    result = Kubectl(Broken(), lambda: 0.0).run("get pods")
    assert (result.code, result.stderr) == (1, "error: RuntimeError: disk on fire\n")


def test_an_unterminated_quote_is_an_error_not_an_exception():
    result = Kubectl(None, lambda: 0.0).run("get pods -l 'app")
    assert (result.code, result.stderr) == (1, "error: cannot parse the command line: No closing quotation\n")


SPEC = FlagSet([("n", "namespace", "''"), ("A", "all-namespaces", "false"), ("", "replicas", "1"),
                ("f", "filename", "[]"), ("", "from-literal", "[]"), ("", "dry-run", "'none'"),
                ("", "timeout", "0s")])

PARSES = [
    ("flags may follow the arguments", ["pods", "-n", "dev"], (["pods"], "namespace", "dev")),
    ("a shorthand may carry its value", ["-ndev"], ([], "namespace", "dev")),
    ("a shorthand may use an equals sign", ["-n=dev"], ([], "namespace", "dev")),
    ("a bare boolean means true", ["-A"], ([], "all-namespaces", True)),
    ("a bare --dry-run means unchanged, read as client", ["--dry-run"], ([], "dry-run", "unchanged")),
    ("string slices split at commas and accumulate", ["-f", "a.yaml,b.yaml", "-f", "c.yaml"],
     ([], "filename", ["a.yaml", "b.yaml", "c.yaml"])),
    ("string arrays keep commas", ["--from-literal=a=1,2"], ([], "from-literal", ["a=1,2"])),
    ("durations read Go syntax", ["--timeout=1m30s"], ([], "timeout", 90.0)),
    ("everything after -- is an argument", ["run", "--", "-n", "x"], (["run", "-n", "x"], "namespace", "")),
]


@pytest.mark.parametrize("argv,expected", [c[1:] for c in PARSES], ids=[c[0] for c in PARSES])
def test_flags_parse_like_pflag(argv, expected):
    parsed = SPEC.parse(argv)
    args, name, value = expected
    assert (parsed.args, parsed.values[name]) == (args, value)


FLAG_ERRORS = [
    ("an unknown long flag", ["--foo"], "unknown flag: --foo"),
    ("an unknown shorthand", ["-z"], "unknown shorthand flag: 'z' in -z"),
    ("a flag missing its value", ["--namespace"], "flag needs an argument: --namespace"),
    ("a shorthand missing its value", ["-n"], "flag needs an argument: 'n' in -n"),
    ("a bad integer", ["--replicas=x"], 'invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing '
                                        '"x": invalid syntax'),
    ("a bad boolean", ["-A=maybe"], 'invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: '
                                    'parsing "maybe": invalid syntax'),
]


@pytest.mark.parametrize("argv,message", [c[1:] for c in FLAG_ERRORS], ids=[c[0] for c in FLAG_ERRORS])
def test_flag_errors_use_pflag_wording(argv, message):
    with pytest.raises(FlagError) as info:
        SPEC.parse(argv)
    assert str(info.value) == message


SUGGESTIONS = [("gett", ["set", "get"]), ("dlete", ["delete"]), ("ps", ["get", "cp", "wait"]),
               ("v", ["cp", "version"])]


@pytest.mark.parametrize("typed,expected", SUGGESTIONS,
                         ids=[f"typing {t} suggests {', '.join(e)}" for t, e in SUGGESTIONS])
def test_unknown_commands_get_cobras_suggestions(typed, expected):
    assert suggestions_for(typed) == expected


class FakeIPython:
    def __init__(self):
        self.magics = {}

    def register_magic_function(self, fn, magic_kind, magic_name):
        self.magics[(magic_kind, magic_name)] = fn


def test_magics_print_stdout_then_stderr_and_pass_the_cell_as_stdin(monkeypatch, capsys):
    import k8slearn
    from k8slearn.kubectl import magic

    seen = []

    class Cluster:
        def kubectl(self, line, stdin=""):
            seen.append((line, stdin))
            return Result("pod/web created\n", "warning\n", 0)

    monkeypatch.setattr(k8slearn, "current", lambda: Cluster())
    ip = FakeIPython()
    magic.load_ipython_extension(ip)
    returned = ip.magics[("cell", "kubectl")]("apply -f -", "kind: Pod\n")
    out = capsys.readouterr()
    assert (returned, seen, out.out, out.err, magic.last_result.code) == (
        None, [("apply -f -", "kind: Pod\n")], "pod/web created\n", "warning\n", 0)


def test_the_magic_writes_the_streams_in_kubectls_order_one_write_per_run_of_a_stream(monkeypatch):
    import io
    import sys

    import k8slearn
    from k8slearn.kubectl import magic

    writes = []

    class Recorder(io.StringIO):
        def __init__(self, name):
            super().__init__()
            self.name = name

        def write(self, text):
            writes.append((self.name, text))
            return len(text)

    chunks = [("stdout", "evicting a\n"), ("stdout", "evicting b\n"), ("stderr", "error when evicting b\n"),
              ("stdout", "pod/a evicted\n")]
    result = Result("evicting a\nevicting b\npod/a evicted\n", "error when evicting b\n", 0, chunks)
    monkeypatch.setattr(k8slearn, "current", lambda: type("C", (), {"kubectl": lambda self, line, stdin="": result})())
    monkeypatch.setattr(sys, "stdout", Recorder("stdout"))
    monkeypatch.setattr(sys, "stderr", Recorder("stderr"))
    magic.kubectl_magic("drain node-1")
    assert writes == [("stdout", "evicting a\nevicting b\n"), ("stderr", "error when evicting b\n"),
                      ("stdout", "pod/a evicted\n")]
