"""How kubectl reports bad ``-f`` files and bad flags, as the real kubectl v1.32.5 printed them.

Each expected (stdout, stderr, exit code) was printed by the real binary against the recording
server (kubectl_realserver.py) serving the "cluster" world, with the same files; ``{d}`` stands for
the folder that holds them.

Upstream: staging/src/k8s.io/cli-runtime/pkg/resource/builder.go (Path, visitByPaths:
singleItemImplied, EagerVisitorList), staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (Run,
printGeneric), describe/describe.go (Run), util/helpers.go (checkErr), diff/diff.go (NewCmdDiff's
FlagErrorFunc), apply/apply.go (ToOptions), create/create.go (Complete).
"""

import pytest

import kubectl_worlds
from kubectl_kit import kubectl_at

FILES = {
    "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n",
    "notes.txt": "hi\n",
    "broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  bad: [\n",
    "foo.yaml": "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n",
}
DECODE = ('unable to decode "{d}/notes.txt": json: cannot unmarshal string into Go value of type '
          "unstructured.detector\n")
BROKEN = ("error parsing {d}/broken.yaml: error converting YAML to JSON: yaml: line 5: did not find expected "
          "node content\n")
VALIDATE = ('error: invalid - validate option "bogus"; must be one of: strict (or true), warn, ignore '
            "(or false)\n")

CASES = [
    ("get with a table prints a file's decode error without error:",
     "get -f {d}/notes.txt", "", DECODE, 1),
    ("describe prints a file's decode error without error:",
     "describe -f {d}/notes.txt", "", DECODE, 1),
    ("get with a table prints an unknown kind's mapping error without error:",
     "get -f {d}/foo.yaml", "",
     'resource mapping not found for name: "x" namespace: "" from "{d}/foo.yaml": no matches for kind '
     '"Foo" in version "v1"\nensure CRDs are installed first\n', 1),
    ("get -o name prints a file's decode error as one error, with error:",
     "get -f {d}/notes.txt -o name", "", "error: " + DECODE, 1),
    ("a YAML syntax error ends its own file only: get goes on to the next file",
     "get -f {d}/broken.yaml -f {d}/cm.yaml", "NAME   DATA   AGE\ncfg    2      6m40s\n", BROKEN, 1),
    ("a YAML syntax error ends its own file only: get -o name goes on to the next file",
     "get -f {d}/broken.yaml -f {d}/cm.yaml -o name", "configmap/cfg\n", "error: " + BROKEN, 1),
    ("a YAML syntax error ends its own file only: delete goes on to the next file",
     "delete -f {d}/broken.yaml -f {d}/cm.yaml --dry-run=client", 'configmap "cfg" deleted (dry run)\n',
     "error: " + BROKEN, 1),
    ("get -o yaml of one file that fails prints no empty List",
     "get -f {d}/broken.yaml -o yaml", "", "error: " + BROKEN, 1),
    ("apply checks --validate before it reads the objects",
     "apply -f {d}/cm.yaml --validate=bogus", "", VALIDATE, 1),
    ("create -f checks --validate before it reads the objects",
     "create -f {d}/notes.txt --validate=bogus", "", VALIDATE, 1),
    ("diff reports an unknown flag as a usage error with exit code 2",
     "diff -f {d}/cm.yaml --foo", "",
     "error: unknown flag: --foo\nSee 'kubectl diff -h' for help and examples\n", 2),
    ("diff reports an unknown shorthand flag as a usage error with exit code 2",
     "diff -Z", "",
     "error: unknown shorthand flag: 'Z' in -Z\nSee 'kubectl diff -h' for help and examples\n", 2),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("manifests")
    for name, text in FILES.items():
        (d / name).write_text(text)
    return str(d)


@pytest.mark.parametrize("command, stdout, stderr, code", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_output_matches_real_kubectl(folder, command, stdout, stderr, code):
    T = 1_764_000_000  # any whole second: the world is built around it
    k = kubectl_at(kubectl_worlds.WORLDS["cluster"](T), kubectl_worlds.ts(T, 0))
    result = k.run(command.replace("{d}", folder))
    expected = (stdout, stderr.replace("{d}", folder), code)
    assert (result.stdout, result.stderr, result.code) == expected
