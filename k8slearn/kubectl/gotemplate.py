r"""``kubectl -o go-template``: Go's ``text/template`` run over the object, as kubectl runs it.

kubectl turns the object into JSON and back into ``map[string]interface{}`` (whole numbers are
``int64``), then executes the template named ``output`` with Go's builtin functions plus two of
its own: ``exists`` and ``base64decode``. A missing map key prints ``<no value>``, or fails with
``--allow-missing-template-keys=false`` (the ``missingkey=error`` option).

>>> pods = {"items": [{"metadata": {"name": "web"}}, {"metadata": {"name": "db"}}]}
>>> print(execute('{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}', pods), end="")
web
db
>>> execute('{{.data.password | base64decode}} {{.nope}}', {"data": {"password": "czNjcjN0"}})
's3cr3t <no value>'
>>> execute('{{len .items}} {{index .items 1 "metadata" "name"}} {{printf "%05.1f" 3.14159}}', pods)
'2 db 003.1'

When execution fails, kubectl prints what was written so far, then a debugging dump (the template,
the JSON, the map) on stdout, and the error on stderr: :func:`print_obj` returns both.

Simplified: no methods, structs or ``call`` (the data is JSON); no range over integers or
functions (kubectl v1.32's Go cannot either over a constant); ``and``/``or`` evaluate lazily as
Go 1.18+ does.

Upstream: staging/src/k8s.io/cli-runtime/pkg/printers/template.go (NewGoTemplatePrinter, PrintObj,
exists, base64decode); Go's text/template (exec.go, funcs.go)
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.api.field import go_json
from k8slearn.kubectl.gofmt import GoInt, go_type, quote, sprint
from k8slearn.kubectl.gotemplate_funcs import FUNCS, MISSING, FuncError, truth
from k8slearn.kubectl.gotemplate_parse import (
    Action, Chain, Command, Constant, Control, Field, Identifier, Jump, ListNode, Node, ParseError, Pipe,
    TemplateCall, Text, Tree, Variable, parse,
)

__all__ = ["Template", "ExecError", "ParseError", "execute", "print_obj", "print_with_template", "template_of",
           "template_source", "GO_TEMPLATE_FORMATS", "FUNCS"]


class ExecError(Exception):
    """``template: output:1:11: executing "output" at <.metadata.nope>: map has no entry ...``."""


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Template:
    """A parsed template named ``output``; ``missing_key_error`` is Option("missingkey=error")."""

    def __init__(self, text: str, missing_key_error: bool = False) -> None:
        self.tree: Tree = parse(text, set(FUNCS))
        self.missing_key_error = missing_key_error

    def execute(self, data: Any, out: list[str]) -> None:
        """Writes into ``out``; raises :class:`ExecError` (what was written stays written)."""
        _State(self, out, data).walk(data, self.tree.root)


class _State:
    def __init__(self, template: Template, out: list[str], data: Any, name: str = "output") -> None:
        self.t = template
        self.out = out
        self.vars: list[tuple[str, Any]] = [("$", data)]
        self.name = name
        self.node: Node | None = None

    def at(self, node: Node) -> None:
        self.node = node

    def error(self, message: str) -> None:
        where = self.t.tree.location(self.node)
        raise ExecError(f'template: {where}: executing "{self.name}" at <{self.node}>: {message}')

    # statements
    def walk(self, dot: Any, node: Node) -> None:
        if isinstance(node, Text):
            self.out.append(node.text)
        elif isinstance(node, ListNode):
            for n in node.nodes:
                self.walk(dot, n)
        elif isinstance(node, Action):
            value = self.eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self.out.append("<no value>" if value is MISSING else sprint(value))
        elif isinstance(node, Control):
            (self.walk_range if node.keyword == "range" else self.walk_if_or_with)(dot, node)
        elif isinstance(node, TemplateCall):
            self.walk_template(dot, node)
        elif isinstance(node, Jump):
            raise _Break() if node.keyword == "break" else _Continue()

    def walk_if_or_with(self, dot: Any, node: Control) -> None:
        mark = len(self.vars)
        value = self.eval_pipeline(dot, node.pipe)
        if truth(value):
            self.walk(value if node.keyword == "with" else dot, node.body)
        elif node.else_body is not None:
            self.walk(dot, node.else_body)
        del self.vars[mark:]

    def walk_range(self, dot: Any, node: Control) -> None:
        self.at(node)
        mark = len(self.vars)
        value = self.eval_pipeline(dot, node.pipe)
        if isinstance(value, dict):
            pairs = [(k, value[k]) for k in sorted(value)]
        elif isinstance(value, list):
            pairs = [(GoInt(i), v) for i, v in enumerate(value)]
        elif value is MISSING or value is None:
            pairs = []
        else:
            self.error(f"range can't iterate over {sprint(value)}")
        for key, elem in pairs:
            self.set_range_vars(node.pipe, mark, key, elem)
            try:
                self.walk(elem, node.body)
            except _Continue:
                pass
            except _Break:
                break
        del self.vars[mark:]
        if not pairs and node.else_body is not None:
            self.walk(dot, node.else_body)

    def set_range_vars(self, pipe: Pipe, mark: int, key: Any, elem: Any) -> None:
        names = [v.ident[0] for v in pipe.decl]
        if pipe.is_assign:
            values = [key, elem] if len(names) > 1 else [elem]
            for name, value in zip(names, values):
                self.set_var(name, value)
            return
        if len(names) == 2:  # $i, $v := ... (the index first)
            self.vars[mark:mark + 2] = [(names[0], key), (names[1], elem)]
        elif names:
            self.vars[mark:mark + 1] = [(names[0], elem)]

    def walk_template(self, dot: Any, node: TemplateCall) -> None:
        self.at(node)
        body = self.t.tree.defines.get(node.name)
        if body is None:
            self.error(f'template "{node.name}" not defined')
        value = self.eval_pipeline(dot, node.pipe) if node.pipe else None
        inner = _State(self.t, self.out, value, node.name)
        inner.walk(value, body)

    # expressions
    def eval_pipeline(self, dot: Any, pipe: Pipe) -> Any:
        self.at(pipe)
        value: Any = MISSING
        final = _NO_FINAL
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, final)
            final = value
        if value is None:  # (a nil interface{} result becomes an invalid Value: "lovely!")
            value = MISSING
        for var in pipe.decl:
            if pipe.is_assign:
                self.set_var(var.ident[0], value)
            else:
                self.vars.append((var.ident[0], value))
        return value

    def set_var(self, name: str, value: Any) -> None:
        for i in range(len(self.vars) - 1, -1, -1):
            if self.vars[i][0] == name:
                self.vars[i] = (name, value)
                return
        self.error(f"undefined variable: {name}")

    def var_value(self, name: str) -> Any:
        for var, value in reversed(self.vars):
            if var == name:
                return value
        self.error(f"undefined variable: {name}")

    def eval_command(self, dot: Any, cmd: Command, final: Any) -> Any:
        first = cmd.args[0]
        if isinstance(first, Field):
            self.at(first)
            return self.eval_field_chain(dot, dot, first, first.ident, cmd.args, final, go_type(dot))
        if isinstance(first, Chain):
            return self.eval_chain(dot, first, cmd.args, final)
        if isinstance(first, Identifier):
            return self.eval_function(dot, first, cmd, final)
        if isinstance(first, Variable):
            self.at(first)
            value = self.var_value(first.ident[0])
            if len(first.ident) == 1:
                self.not_a_function(cmd.args, final)
                return value
            return self.eval_field_chain(dot, value, first, first.ident[1:], cmd.args, final, go_type(value))
        if isinstance(first, Pipe):
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, first)
        self.at(first)
        self.not_a_function(cmd.args, final)
        if first.kind == "nil":
            self.error("nil is not a command")
        return dot if first.kind == "dot" else first.value

    def not_a_function(self, args: list[Node], final: Any) -> None:
        if len(args) > 1 or final is not _NO_FINAL:
            self.error(f"can't give argument to non-function {args[0]}")

    def eval_chain(self, dot: Any, chain: Chain, args: list[Node], final: Any) -> Any:
        if isinstance(chain.node, Constant) and chain.node.kind == "nil":
            self.error(f"indirection through explicit nil in {chain}")
        receiver = self.eval_arg(dot, chain.node)
        return self.eval_field_chain(dot, receiver, chain, chain.fields, args, final, go_type(receiver))

    def eval_field_chain(self, dot: Any, receiver: Any, node: Node, idents: list[str], args: list[Node],
                         final: Any, receiver_type: str) -> Any:
        """``.a.b.c``: each name looks up a map key; values inside maps are ``interface {}``."""
        for n, name in enumerate(idents):
            last = n == len(idents) - 1
            receiver = self.eval_field(name, node, receiver, receiver_type,
                                       has_args=last and (len(args) > 1 or final is not _NO_FINAL))
            receiver_type = "interface {}"
        return receiver

    def eval_field(self, name: str, node: Node, receiver: Any, typ: str, has_args: bool) -> Any:
        if receiver is MISSING:
            if self.t.missing_key_error:
                self.error(f'nil data; no entry for key "{name}"')
            return MISSING
        if receiver is None:
            self.error(f"nil pointer evaluating {typ}.{name}")
        if isinstance(receiver, dict):
            if has_args:
                self.error(f"{name} is not a method but has arguments")
            if name not in receiver and self.t.missing_key_error:
                self.error(f'map has no entry for key "{name}"')
            return receiver.get(name, MISSING)
        self.error(f"can't evaluate field {name} in type {typ}")

    def eval_function(self, dot: Any, ident: Identifier, cmd: Command, final: Any) -> Any:
        self.at(ident)
        function, fixed, variadic = FUNCS[ident.name]
        arg_nodes = cmd.args[1:]
        given = len(arg_nodes) + (final is not _NO_FINAL)
        if variadic and given < len(fixed):
            self.error(f"wrong number of args for {ident.name}: want at least {len(fixed)} got {given}")
        if not variadic and given != len(fixed):
            self.error(f"wrong number of args for {ident.name}: want {len(fixed)} got {given}")
        if ident.name in ("and", "or"):
            return self.and_or(dot, ident.name, arg_nodes, final)
        values = [self.eval_arg(dot, a) for a in arg_nodes]
        if final is not _NO_FINAL:
            values.append(final)
        for n, wanted in enumerate(fixed):
            if wanted is str and not isinstance(values[n], str):
                self.at(arg_nodes[n] if n < len(arg_nodes) else cmd)
                if n < len(arg_nodes) and isinstance(arg_nodes[n], Constant):  # (evalString)
                    self.error(f"expected string; found {arg_nodes[n]}")
                if values[n] is MISSING:
                    self.error("invalid value; expected string")
                self.error(f"wrong type for value; expected string; got {go_type(values[n])}")
        self.at(cmd)
        try:
            return function(*values)
        except FuncError as exc:
            self.error(f"error calling {ident.name}: {exc}")

    def and_or(self, dot: Any, name: str, arg_nodes: list[Node], final: Any) -> Any:
        value: Any = MISSING
        for node in arg_nodes:
            value = self.eval_arg(dot, node)
            if truth(value) == (name == "or"):
                return value
        return final if final is not _NO_FINAL else value

    def eval_arg(self, dot: Any, node: Node) -> Any:
        """An argument: a missing value passed to a function is nil."""
        self.at(node)
        if isinstance(node, Field):
            value = self.eval_field_chain(dot, dot, node, node.ident, [node], _NO_FINAL, go_type(dot))
        elif isinstance(node, Variable):
            value = self.var_value(node.ident[0])
            if len(node.ident) > 1:
                value = self.eval_field_chain(dot, value, node, node.ident[1:], [node], _NO_FINAL, go_type(value))
        elif isinstance(node, Pipe):
            value = self.eval_pipeline(dot, node)
        elif isinstance(node, Chain):
            value = self.eval_chain(dot, node, [node], _NO_FINAL)
        elif isinstance(node, Identifier):
            value = self.eval_function(dot, node, Command(node.pos, [node]), _NO_FINAL)
        elif node.kind == "dot":
            value = dot
        else:
            value = node.value
        return value


_NO_FINAL = object()  # evalCommand's missingVal: no value piped in from the previous command


def execute(text: str, data: Any, missing_key_error: bool = False) -> str:
    """Parse and execute; raises :class:`ParseError` or :class:`ExecError`."""
    out: list[str] = []
    Template(text, missing_key_error).execute(data, out)
    return "".join(out)


def print_obj(raw_template: str, obj: dict, allow_missing_keys: bool = True,
              raw_data: str | None = None) -> tuple[str, str | None]:
    """GoTemplatePrinter.PrintObj: ``(stdout, error)``. On failure stdout ends with kubectl's
    debugging dump and ``error`` is ``error executing template "...": <why>``. The template must
    parse (see :func:`parse_error`). ``raw_data`` is the object's JSON when kubectl holds a Go
    struct (fields in struct order); by default a map's JSON, keys sorted."""
    out: list[str] = []
    try:
        Template(raw_template, not allow_missing_keys).execute(obj, out)
    except ExecError as exc:
        out.append(f"Error executing template: {exc}. Printing more information for debugging the template:\n"
                   f"\ttemplate was:\n\t\t{raw_template}\n\traw data was:\n\t\t{raw_data or go_json(obj)}\n"
                   f"\tobject given to template engine was:\n\t\t{sprint(obj)}\n\n")
        return "".join(out), f"error executing template {quote(raw_template)}: {exc}"
    return "".join(out), None


def parse_error(raw_template: str) -> str | None:
    """GoTemplatePrintFlags.ToPrinter's ``error parsing template TEMPLATE, template: output:1: ...``."""
    try:
        Template(raw_template)
    except ParseError as exc:
        return f"error parsing template {raw_template}, {exc}"
    return None


GO_TEMPLATE_FORMATS = ("go-template", "go-template-file", "template", "templatefile")


def template_source(kind: str, value: str) -> str:
    """GoTemplatePrintFlags.ToPrinter: the template text (read from the file for ``-file`` formats),
    checked to parse; a missing file or a bad template is a :class:`KubectlError` with kubectl's text."""
    from k8slearn.kubectl.errors import KubectlError

    if not value:
        raise KubectlError("template format specified but no template given")
    if kind in ("go-template-file", "templatefile"):
        try:
            with open(value, encoding="utf-8", errors="replace") as handle:
                value = handle.read()
        except OSError as exc:
            why = {2: "no such file or directory", 13: "permission denied", 21: "is a directory"}.get(
                exc.errno or 0, exc.strerror or str(exc))
            verb = "read" if exc.errno == 21 else "open"
            raise KubectlError(f"error reading --template {value}, {verb} {value}: {why}") from None
    error = parse_error(value)
    if error:
        raise KubectlError(error)
    return value


def template_of(ctx: Any, kind: str, output: str) -> str:
    """The checked template of ``-o KIND=TEMPLATE`` or ``--template`` (which wins), for ``get``."""
    return template_source(kind, ctx.flags.get("template") or output.partition("=")[2])


def print_with_template(ctx: Any, template: str, obj: dict, typed: bool = False) -> None:
    """Print ``obj`` through the (parsed, checked) template for a kubectl command: the output and,
    if execution fails, kubectl's dump on stdout, then the error (``--allow-missing-template-keys``
    chooses whether a missing key is one). ``typed``: kubectl holds the object as a Go struct."""
    from k8slearn.kubectl.errors import KubectlError
    from k8slearn.kubectl.output import GO_FIELDS, go_struct_order

    raw = None
    if typed:
        kind = obj.get("kind")
        ordered = json.dumps(go_struct_order(obj, kind if kind in GO_FIELDS else None), separators=(",", ":"),
                             ensure_ascii=False)
        raw = ordered.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    printed, error = print_obj(template, obj, ctx.flags.get("allow-missing-template-keys", True), raw)
    ctx.print(printed, end="")
    if error:
        raise KubectlError(error)
