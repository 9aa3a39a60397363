"""k8slearn.kubectl.gotemplate: Go's text/template as kubectl v1.32 runs it for -o go-template.

Every expected string below was printed by the real kubectl v1.32 for the same template over the
same data (see kubectl_capture.py for the golden cases that replay whole commands).
"""

import pytest

from k8slearn.kubectl.gofmt import GoInt, format_float, sprint, sprintf
from k8slearn.kubectl.gotemplate import ExecError, ParseError, execute, parse_error, print_obj

DEPLOY = {
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}, "generation": 1},
    "spec": {"replicas": 2, "paused": False,
             "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
             "template": {"metadata": {"creationTimestamp": None},
                          "spec": {"containers": [{"name": "nginx", "ports": [{"containerPort": 80}]}]}}},
    "data": {"password": "czNjcjN0"},
}

RENDERS = [
    ("a field path prints the value", "{{.metadata.name}}", "web"),
    ("a whole number from JSON prints as an int64", "{{.spec.replicas}}", "2"),
    ("a missing key prints <no value>", "{{.metadata.nope}} {{.nope.deeper}}", "<no value> <no value>"),
    ("a JSON null prints <no value> on its own and <nil> inside a map",
     "{{.spec.template.metadata.creationTimestamp}} {{.spec.template.metadata}}",
     "<no value> map[creationTimestamp:<nil>]"),
    ("maps print with sorted keys and lists with spaces", "{{.metadata.labels}} {{.spec.template.spec.containers}}",
     "map[app:web] [map[name:nginx ports:[map[containerPort:80]]]]"),
    ("range over a list with the index and the element", "{{range $i, $c := .spec.template.spec.containers}}"
     "{{$i}}={{$c.name}} {{end}}", "0=nginx "),
    ("range over a map visits keys in sorted order", "{{range $k, $v := .spec.strategy.rollingUpdate}}{{$k}}={{$v}};"
     "{{end}}", "maxSurge=25%;maxUnavailable=25%;"),
    ("range over nothing runs its else", "{{range .nope}}x{{else}}empty{{end}}", "empty"),
    ("else if chains and with sets dot", "{{if .spec.paused}}p{{else if eq .spec.replicas 2}}two{{end}} "
     "{{with .spec}}{{.replicas}}{{end}}", "two 2"),
    ("else with tries the next value", "{{with .metadata.nope}}a{{else with .metadata.name}}b{{.}}{{else}}c{{end}}",
     "bweb"),
    ("variables, $ and assignment", "{{$.kind}} {{$v := 3}}{{$v}} {{$v = 4}}{{$v}}", "Deployment 3 4"),
    ("define, template and block", '{{define "x"}}[{{.}}]{{end}}{{template "x" .kind}}'
     '{{block "y" .metadata.name}}<{{.}}>{{end}}', "[Deployment]<web>"),
    ("trim markers eat the spaces around an action and comments print nothing",
     "a  {{- /* c */ -}}  b {{- .kind -}} \n c{{/* only */}}d", "abDeploymentcd"),
    ("pipelines pass the value as the last argument", '{{.metadata.name | printf "%s-x" | len}}', "5"),
    ("comparisons between an int64 and an int constant", "{{eq .spec.replicas 2}} {{lt .spec.replicas 5}} "
     '{{eq .kind "Deployment" "x"}} {{ne 1 2}}', "true true true true"),
    ("and and or return one of their arguments", '{{and 1 0 2}} {{or 0 "" .kind}} {{not .spec.paused}}',
     "0 Deployment true"),
    ("index reaches a key with dots and returns nil for a missing one",
     '{{index .metadata.labels "app"}} {{index .metadata.labels "nope"}}', "web <no value>"),
    ("slice cuts strings and lists", "{{slice .metadata.name 1 2}} {{len (slice .spec.template.spec.containers 0 1)}}",
     "e 1"),
    ("kubectl's base64decode and exists", '{{.data.password | base64decode}} {{exists .metadata "name"}} '
     '{{exists .metadata "nope"}} {{exists .spec.template.spec.containers 0 "name"}}', "s3cr3t true false true"),
    ("print, println and the escapers", '{{println 1 "a" 2}}{{print 1 2 "a" "b" 3}}{{html "<a&\'\\"b>"}} '
     '{{js "a\'b\\"<>=&"}} {{urlquery "a b&c=d/é"}}',
     "1 a 2\n1 2ab3&lt;a&amp;&#39;&#34;b&gt; a\\'b\\\"\\u003C\\u003E\\u003D\\u0026 a+b%26c%3Dd%2F%C3%A9"),
    ("number constants in every base", "{{ 1.5e3 }} {{ 0b101 }} {{ 0o17 }} {{ 1_000 }} {{ .5 }} {{ 'é' }} {{0x10}}",
     "1500 5 15 1000 0.5 233 16"),
    ("a float constant prints as Go's %v", "{{1e6}} {{0.5}}", "1e+06 0.5"),
    ("break and continue inside range", "{{range $i, $c := .spec.template.spec.containers}}{{$c.name}}{{break}}"
     "{{end}}{{range .spec.template.spec.containers}}{{continue}}x{{end}}", "nginx"),
    ("a trailing pipe is allowed", "{{.kind | }}", "Deployment"),
]


@pytest.mark.parametrize("template,expected", [c[1:] for c in RENDERS], ids=[c[0] for c in RENDERS])
def test_template_prints_what_kubectl_prints(template, expected):
    assert execute(template, DEPLOY) == expected


PARSE_ERRORS = [
    ("an action left open", "{{.metadata.name", "unclosed action"),
    ("a function kubectl v1.32 does not have (no sprig)", "{{upper .metadata.name}}", 'function "upper" not defined'),
    ("an if with nothing to test", "{{if}}", "missing value for if"),
    ("a range with nothing to range over", "{{range}}{{end}}", "missing value for range"),
    ("an end with nothing to end", "{{end}}", "unexpected {{end}}"),
    ("an else outside any if", "{{.kind}}{{else}}", "unexpected {{else}}"),
    ("an if never ended", "{{if .kind}}", "unexpected EOF"),
    ("a variable never declared", "{{$x}}", 'undefined variable "$x"'),
    ("a single closing brace", "{{.kind}", "bad character U+007D '}'"),
    ("a string never closed", '{{"unterminated}}', "unterminated quoted string"),
    ("a constant as a later pipeline stage", "{{3 | printf}}{{ .kind | 3}}",
     "non executable command in pipeline stage 2"),
    ("three range variables", "{{range $i, $v, $w := .x}}{{end}}", "too many declarations in range"),
    ("a field path ending in a dot", "{{.a.}}", "unexpected <.> in operand"),
    ("a right paren with no left one", "{{.metadata)}}", "unexpected right paren"),
    ("else with after an if", "{{if 1}}{{else with 2}}{{end}}", "unexpected <with> in input"),
    ("a stray backslash where a command starts", "{{\\n}}", 'unexpected "\\\\" in command'),
    ("a stray character after an operand", '{{printf "%s" .kind @}}', 'unexpected "@" in operand'),
    ("a stray character after a pipe", "{{.kind | ;}}", 'unexpected ";" in command'),
    ("a field followed by a character that cannot end it", "{{.kind;}}", "bad character U+003B ';'"),
    ("a variable assigned without spaces", "{{$x=1}}", "bad character U+003D '='"),
    ("an identifier followed by a character that cannot end it", "{{len;}}", "bad character U+003B ';'"),
    ("a control character in an action", "{{\x01}}", "unrecognized character in action: U+0001"),
]


@pytest.mark.parametrize("template,message", [c[1:] for c in PARSE_ERRORS], ids=[c[0] for c in PARSE_ERRORS])
def test_template_that_does_not_parse_gets_gos_message(template, message):
    with pytest.raises(ParseError) as info:
        execute(template, DEPLOY)
    assert str(info.value) == f"template: output:1: {message}"


EXEC_ERRORS = [
    ("a missing key with missingkey=error", "{{.metadata.nope}}", True,
     'output:1:11: executing "output" at <.metadata.nope>: map has no entry for key "nope"'),
    ("index past the end of a list", "{{index .spec.template.spec.containers 5}}", False,
     'output:1:2: executing "output" at <index .spec.template.spec.containers 5>: error calling index: '
     "index out of range: 5"),
    ("index of a map with a number", "{{index .metadata 1}}", False,
     'output:1:2: executing "output" at <index .metadata 1>: error calling index: value has type int; should be string'),
    ("a field of a string", "{{.metadata.name.foo}}", False,
     'output:1:11: executing "output" at <.metadata.name.foo>: can\'t evaluate field foo in type interface {}'),
    ("comparing a number with a string", '{{lt .spec.replicas "a"}}', False,
     'output:1:2: executing "output" at <lt .spec.replicas "a">: error calling lt: incompatible types for comparison'),
    ("an int64 compared with a float constant", "{{eq .spec.replicas 2.0}}", False,
     'output:1:2: executing "output" at <eq .spec.replicas 2.0>: error calling eq: incompatible types for comparison'),
    ("ranging over a string", "{{range .kind}}{{.}}{{end}}", False,
     'output:1:8: executing "output" at <.kind>: range can\'t iterate over Deployment'),
    ("len of a number", "{{len .spec.replicas}}", False,
     'output:1:2: executing "output" at <len .spec.replicas>: error calling len: len of type int64'),
    ("nil used as a command", "{{nil}}", False, 'output:1:2: executing "output" at <nil>: nil is not a command'),
    ("arguments given to a string", '{{"a" "b"}}', False,
     'output:1:2: executing "output" at <"a">: can\'t give argument to non-function "a"'),
    ("a template never defined", '{{template "nope"}}', False,
     'output:1:11: executing "output" at <{{template "nope"}}>: template "nope" not defined'),
    ("base64decode of a bad string", '{{base64decode "!!"}}', False,
     'output:1:2: executing "output" at <base64decode "!!">: error calling base64decode: base64 decode failed: '
     "illegal base64 data at input byte 0"),
    ("base64decode of a number constant", "{{base64decode 3}}", False,
     'output:1:15: executing "output" at <3>: expected string; found 3'),
    ("assigning a variable never declared", "{{$y = 1}}", False,
     'output:1:7: executing "output" at <1>: undefined variable: $y'),
    ("an error on the third line counts columns from the line's start", "line1\n{{.kind}}\n  {{.nope.x}}", True,
     'output:3:9: executing "output" at <.nope.x>: map has no entry for key "nope"'),
]


@pytest.mark.parametrize("template,strict,message", [c[1:] for c in EXEC_ERRORS], ids=[c[0] for c in EXEC_ERRORS])
def test_template_that_fails_while_running_gets_gos_message(template, strict, message):
    with pytest.raises(ExecError) as info:
        execute(template, DEPLOY, missing_key_error=strict)
    assert str(info.value) == f"template: {message}"


def test_a_failing_template_prints_its_output_so_far_then_kubectls_debugging_dump():
    out, error = print_obj("{{.kind}} {{.nope}}", {"kind": "Pod", "n": 1.5}, allow_missing_keys=False)
    assert out == ('Pod Error executing template: template: output:1:12: executing "output" at <.nope>: map has no '
                   'entry for key "nope". Printing more information for debugging the template:\n'
                   '\ttemplate was:\n\t\t{{.kind}} {{.nope}}\n\traw data was:\n\t\t{"kind":"Pod","n":1.5}\n'
                   "\tobject given to template engine was:\n\t\tmap[kind:Pod n:1.5]\n\n")
    assert error == ('error executing template "{{.kind}} {{.nope}}": template: output:1:12: executing "output" at '
                     '<.nope>: map has no entry for key "nope"')


def test_a_template_that_does_not_parse_is_reported_with_the_template_text():
    assert parse_error("{{nofunc 1}}") == 'error parsing template {{nofunc 1}}, template: output:1: function "nofunc" ' \
                                          "not defined"
    assert parse_error("{{.kind}}") is None


FMT = [
    ("printf with widths, flags and a wrong verb", "%d %5s|%-4v|%x %t %v %s",
     [2, "Deployment", 2, GoInt(255), True, {"app": "web"}, 2], "2 Deployment|2   |ff true map[app:web] %!s(int64=2)"),
    ("printf with too many arguments", "%s", [GoInt(1), GoInt(2), "Deployment"],
     "%!s(int=1)%!(EXTRA int=2, string=Deployment)"),
    ("printf of floats and a character", "%v %.2f %e %g %08.3f %+d %x %q",
     [1.0, 2.5, 12345.678, 0.000012, 3.14159, GoInt(5), "hi", GoInt(65)],
     "1 2.50 1.234568e+04 1.2e-05 0003.142 +5 6869 'A'"),
]


@pytest.mark.parametrize("fmt,args,expected", [c[1:] for c in FMT], ids=[c[0] for c in FMT])
def test_sprintf_formats_as_go(fmt, args, expected):
    assert sprintf(fmt, args) == expected


@pytest.mark.parametrize("value,expected", [(1e6, "1e+06"), (123456.0, "123456"), (1234567.0, "1.234567e+06"),
                                            (0.0001, "0.0001"), (0.00001, "1e-05"), (-0.5, "-0.5"), (12.0, "12")])
def test_a_float_prints_as_gos_shortest_v(value, expected):
    assert format_float(value) == expected


def test_sprint_puts_spaces_only_between_operands_that_are_not_strings():
    assert sprint(GoInt(1), GoInt(2), "a", "b", GoInt(3)) == "1 2ab3"


def test_kubectl_against_the_simulated_cluster_decodes_a_secret_with_a_go_template():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create secret generic db-user-pass --from-literal=password=s3cr3t")
    r = c.kubectl(["get", "secret", "db-user-pass", "-o", "go-template={{.data.password | base64decode}}"])
    assert (r.stdout, r.stderr, r.code) == ("s3cr3t", "", 0)


@pytest.mark.parametrize("args, expected", [
    (["get", "deploy", "-w", "-o", 'go-template={{.metadata.name}} {{.spec.replicas}}{{"\\n"}}'], "web 2\n"),
    (["get", "deploy", "-w", "--output-watch-events", '--template={{.type}} {{.object.metadata.name}}{{"\\n"}}'],
     "ADDED web\n"),
    (["get", "deploy", "-w", "-o", "go-template={{.metadata.name"], ""),
], ids=["a watch prints each object through the template", "with --output-watch-events the template sees the event",
        "a template that does not parse is refused before the watch starts"])
def test_a_watch_prints_through_a_go_template(args, expected):
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    c.settle()
    r = c.kubectl(args + ["--request-timeout=5s"])
    assert r.stdout == expected
    assert (r.code, r.stderr.startswith("error: error parsing template")) == ((1, True) if not expected else (0, False))
