"""``kubectl get`` with ``-o custom-columns``/``custom-columns-file`` and ``--sort-by``, as kubectl
v1.32 behaves (checked against the real binary): CustomColumnsPrinter writes its header before it
parses the columns, the file form has its own errors, and --sort-by sorts the server's Table
objects themselves once there are two of them (get.go Run, RuntimeSorter) while one Table's rows are
sorted by SortingPrinter, whose errors kubectl ignores."""

import pytest

from k8slearn import Cluster


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0)
    c.settle()
    for name in ("b", "a", "c"):
        c.kubectl(f"create configmap {name} --from-literal=k={name}")
    c.kubectl("create secret generic s --from-literal=k=v")
    c.settle()
    return c


def _run(cluster, command):
    result = cluster.kubectl(command)
    return result.stdout, result.stderr, result.code


CUSTOM_COLUMN_ERRORS = [
    ("a column whose path does not parse leaves the header printed before the error",
     "get cm -o custom-columns=NAME:.metadata.name,X:.data[",
     ("NAME   X\n", "error: unterminated array\n", 1)),
    ("with --no-headers nothing is printed before the error",
     "get cm -o custom-columns=NAME:.metadata.name,X:.data[ --no-headers",
     ("", "error: unterminated array\n", 1)),
    ("an empty list still prints the header before the error",
     "get cm -l app=nope -o custom-columns=A:.x[", ("A\n", "error: unterminated array\n", 1)),
    ("the error follows a missing object's, both listed without error: before them",
     "get cm nope a -o custom-columns=A:.x[",
     ("A\n", 'Error from server (NotFound): configmaps "nope" not found\nunterminated array\n', 1)),
]


@pytest.mark.parametrize("command,expected", [c[1:] for c in CUSTOM_COLUMN_ERRORS],
                         ids=[c[0] for c in CUSTOM_COLUMN_ERRORS])
def test_custom_columns_print_the_header_before_a_path_that_does_not_parse(cluster, command, expected):
    assert _run(cluster, command) == expected


def test_custom_columns_file_takes_headers_from_its_first_line_and_paths_from_its_second(cluster, tmp_path):
    spec = tmp_path / "columns.txt"
    spec.write_text("  NAME\tVALUE  \n  .metadata.name   {.data.k}\nignored\n")
    expected = "NAME   VALUE\na      a\nb      b\nc      c\n"
    assert _run(cluster, f"get cm a b c -o custom-columns-file={spec}") == (expected, "", 0)
    # (the file's printer has no --no-headers)
    assert _run(cluster, f"get cm a b c -o custom-columns-file={spec} --no-headers") == (expected, "", 0)


FILE_ERRORS = [
    ("an empty file has no header line", "",
     "error: invalid template, missing header line. Expected format is one line of space separated headers, "
     "one line of space separated column specs.\n"),
    ("a file of one line has no spec line", "NAME\n",
     "error: invalid template, missing spec line. Expected format is one line of space separated headers, "
     "one line of space separated column specs.\n"),
    ("a file with more headers than paths", "NAME NODE\n.metadata.name\n",
     "error: number of headers (2) and field specifications (1) don't match\n"),
]


@pytest.mark.parametrize("text,stderr", [c[1:] for c in FILE_ERRORS], ids=[c[0] for c in FILE_ERRORS])
def test_custom_columns_file_refuses_a_file_without_matching_headers_and_paths(cluster, tmp_path, text,
                                                                              stderr):
    spec = tmp_path / "columns.txt"
    spec.write_text(text)
    assert _run(cluster, f"get cm -o custom-columns-file={spec}") == ("", stderr, 1)


def test_custom_columns_file_that_cannot_be_opened_names_the_file(cluster, tmp_path):
    missing = tmp_path / "nope"
    assert _run(cluster, f"get cm -o custom-columns-file={missing}") == (
        "", f"error: error reading template {missing}, open {missing}: no such file or directory\n", 1)
    assert _run(cluster, f"get cm -o custom-columns-file={tmp_path}")[1].startswith(
        "error: invalid template, missing header line.")
    assert _run(cluster, "get cm -o custom-columns-file=") == (
        "", "error: custom-columns format specified but no custom columns given\n", 1)


SORTS = [
    ("two types in tables: kubectl sorts the Tables, which have no metadata.name",
     "get cm,secret --sort-by=.metadata.name",
     ("", 'error: couldn\'t find any field with path "{.metadata.name}" in the list of objects\n', 1)),
    ("two names in tables: two Tables, the same error", "get cm a b --sort-by=.metadata.name",
     ("", 'error: couldn\'t find any field with path "{.metadata.name}" in the list of objects\n', 1)),
    ("two types even when both lists are empty", "get cm,secret -l app=nope --sort-by=.metadata.name",
     ("", 'error: couldn\'t find any field with path "{.metadata.name}" in the list of objects\n', 1)),
    ("two types and a path that does not parse", "get cm,secret --sort-by=.metadata.name[",
     ("", "error: unterminated array\n", 1)),
    ("one list and a path that does not parse: no rows and no error",
     "get cm --sort-by=.metadata.name[", ("", "No resources found in default namespace.\n", 0)),
    ("one object and a path that does not parse, with -o name: nothing is sorted",
     "get cm a -o name --sort-by=.metadata.name[", ("configmap/a\n", "", 0)),
    ("one object and a path it lacks, with -o name: nothing is sorted",
     "get cm a -o name --sort-by=.nope", ("configmap/a\n", "", 0)),
    ("several objects with -o name are sorted as objects", "get cm a b c -o name --sort-by=.metadata.name",
     ("configmap/a\nconfigmap/b\nconfigmap/c\n", "", 0)),
]


@pytest.mark.parametrize("command,expected", [c[1:] for c in SORTS], ids=[c[0] for c in SORTS])
def test_sort_by_fails_or_is_skipped_where_kubectl_fails_or_skips_it(cluster, command, expected):
    assert _run(cluster, command) == expected


def test_sort_by_leaves_a_table_of_one_row_alone_even_when_the_row_lacks_the_field(cluster):
    stdout, stderr, code = _run(cluster, "get cm -l nope!=x --field-selector=metadata.name=a --sort-by=.nope")
    assert (stdout.splitlines()[1].split()[:2], stderr, code) == (["a", "1"], "", 0)


def test_sort_by_sorts_the_rows_of_one_table(cluster):
    stdout, _, code = _run(cluster, "get cm --sort-by=.data.k --no-headers")
    names = [line.split()[0] for line in stdout.splitlines()]
    assert (names, code) == (["kube-root-ca.crt", "a", "b", "c"], 0)


def test_jsonpath_prints_a_null_value_as_null(cluster):
    result = cluster.kubectl("create configmap x --dry-run=client -o jsonpath={.metadata.creationTimestamp}")
    assert (result.stdout, result.code) == ("null", 0)


JSONPATH_PARSE_ERRORS = [
    ("a string never closed at the end", '{.kind}{"}', "unterminated quoted string"),
    ("a string never closed before another action", '{"a}{.kind}', "unterminated quoted string"),
    ("an action never closed", "{.kind", "unclosed action"),
]


@pytest.mark.parametrize("template,reason", [c[1:] for c in JSONPATH_PARSE_ERRORS],
                         ids=[c[0] for c in JSONPATH_PARSE_ERRORS])
def test_jsonpath_parse_errors_name_what_is_left_open(template, reason):
    from k8slearn.kubectl.jsonpath import JSONPathError, jsonpath

    with pytest.raises(JSONPathError) as caught:
        jsonpath(template, {"kind": "Pod"})
    assert str(caught.value) == f"error parsing jsonpath {template}, {reason}"


LOAD_BALANCERS = [
    ("no ingress yet is pending", [], [], "<pending>"),
    ("the ingress addresses are sorted and each shown once",
     [{"ip": "10.0.0.9"}, {"hostname": "lb.example.com"}, {"ip": "10.0.0.10"}, {"ip": "10.0.0.9"}], [],
     "10.0.0.10,10.0.0.9,lb.example.com"),
    ("external IPs follow the ingress addresses", [{"ip": "10.0.0.9"}], ["192.0.2.1"], "10.0.0.9,192.0.2.1"),
]


@pytest.mark.parametrize("ingress,external,cell", [c[1:] for c in LOAD_BALANCERS],
                         ids=[c[0] for c in LOAD_BALANCERS])
def test_a_load_balancer_services_external_ip_cell_is_its_sorted_ingress_set(ingress, external, cell):
    from k8slearn.kubectl.printers import service_row

    spec = {"type": "LoadBalancer", "clusterIPs": ["10.96.0.5"], "externalIPs": external,
            "ports": [{"port": 80, "protocol": "TCP"}]}
    svc = {"metadata": {"name": "lb"}, "spec": spec, "status": {"loadBalancer": {"ingress": ingress}}}
    assert service_row(svc, 0.0)[3] == cell


NO_TYPE = ('You must specify the type of resource to get. Use "kubectl api-resources" for a complete '
           "list of supported resources.\n\nerror: Required resource not specified.\n"
           'Use "kubectl explain <resource>" for a detailed description of that resource '
           "(e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n")
WATCH_EVENTS = "error: --output-watch-events option can only be used with --watch or --watch-only\n"
CHECK_ORDER = [
    ("a missing type is reported before an unknown output format", "get -o foo", NO_TYPE),
    ("a missing type is reported before --show-labels with yaml", "get --show-labels -o yaml", NO_TYPE),
    ("--show-labels is refused before the output format is looked up", "get cm --show-labels -o foo",
     "error: --show-labels option cannot be used with foo printer\n"),
    ("--output-watch-events needs --watch", "get cm --output-watch-events", WATCH_EVENTS),
    ("--output-watch-events is refused before the output format is looked up",
     "get cm --output-watch-events -o go-template", WATCH_EVENTS),
]


@pytest.mark.parametrize("command,stderr", [c[1:] for c in CHECK_ORDER], ids=[c[0] for c in CHECK_ORDER])
def test_get_checks_its_flags_in_kubectls_order(cluster, command, stderr):
    assert _run(cluster, command) == ("", stderr, 1)


def test_server_print_false_prints_only_name_and_age_as_kubectls_own_printer_does(cluster):
    stdout, stderr, code = _run(cluster, "get cm a -o wide --server-print=false -L k --show-labels")
    assert (stdout.splitlines()[0].split(), stdout.splitlines()[1].split()[0], code) == (
        ["NAME", "AGE", "K", "LABELS"], "a", 0)
