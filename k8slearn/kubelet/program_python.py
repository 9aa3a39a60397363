"""The short ``python3 -c`` scripts of the Job page's examples: print a line, then exit with a code
chosen from the pod's ``JOB_COMPLETION_INDEX``.

The Job page's backoffLimitPerIndex, FailIndex and successPolicy examples run scripts like this in
the ``python`` image, so that some indexes fail and others succeed:

>>> script = '''import os, sys
... print("Hello world")
... if int(os.environ.get("JOB_COMPLETION_INDEX")) % 2 == 0:
...   sys.exit(1)
... '''
>>> python_script(script, {"JOB_COMPLETION_INDEX": "2"}), python_script(script, {"JOB_COMPLETION_INDEX": "3"})
(([('print', 'Hello world'), ('exit', 1)], ''), ([('print', 'Hello world'), ('exit', 0)], ''))
>>> python_script("import time; time.sleep(5)", {})
(None, "'import time' in the script")

The script is read with :mod:`ast` (never run): ``import os``/``sys``, ``print`` of constants and
names, ``NAME = EXPRESSION``, ``if``/``elif``/``else`` and ``sys.exit(N)`` (or ``exit``), with
expressions of constants, names, ``int(...)``, ``str(...)``, ``os.environ.get("NAME"[, default])``,
``os.environ["NAME"]``, arithmetic, comparisons, ``and``/``or``/``not``. Anything else is not
modelled (the caller keeps the old behaviour).

Simplified: it runs in no time; an error Python would raise (``int(None)`` when the variable is not
set, a name never assigned) is not modelled rather than printed as a traceback.

Upstream: none in Kubernetes (this is the workload); Python 3's ``-c``, ``print`` and ``sys.exit``
"""

from __future__ import annotations

import ast
import operator
import re

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Mod: operator.mod,
           ast.FloorDiv: operator.floordiv}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b}


_INTEGER = re.compile(r"\s*[-+]?\d+\s*")  # what int() reads (its underscores and bases: not modelled)


class NotModelled(Exception):
    """A part of the script the model does not run (``str()`` says which)."""


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def python_script(script: str, env: dict[str, str] | None) -> tuple[list[tuple] | None, str]:
    """The steps of ``python3 -c SCRIPT`` in a process whose environment is ``env`` (print and
    exit, as :mod:`k8slearn.kubelet.process` runs them) and "", or None and what is not modelled.
    With ``env`` None (not known) a script that reads ``os.environ`` is not modelled."""
    try:
        tree = ast.parse(script)
    except SyntaxError:
        return None, "a script Python cannot parse"
    run = _Run(env)
    try:
        run.block(tree.body)
        code = 0
    except _Exit as done:
        code = done.code
    except NotModelled as problem:
        return None, str(problem)
    return run.steps + [("exit", code)], ""


class _Run:
    """One run of a script: its variables and what it printed."""

    def __init__(self, env: dict[str, str] | None) -> None:
        self.env = env
        self.variables: dict[str, object] = {}
        self.steps: list[tuple] = []

    def block(self, statements: list[ast.stmt]) -> None:
        for statement in statements:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        call = node.value if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) else None
        if isinstance(node, ast.Import) and all(a.name in ("os", "sys") and not a.asname for a in node.names):
            return
        if isinstance(node, ast.If):
            self.block(node.body if self.value(node.test) else node.orelse)
        elif isinstance(node, ast.Assign) and [type(target) for target in node.targets] == [ast.Name]:
            self.variables[node.targets[0].id] = self.value(node.value)
        elif call is not None and _called(call) == "print" and not call.keywords:
            self.steps.append(("print", " ".join(str(self.value(arg)) for arg in call.args)))
        elif call is not None and _called(call) in ("sys.exit", "exit") and len(call.args) <= 1:
            code = self.value(call.args[0]) if call.args else 0
            if type(code) not in (int, bool):  # sys.exit("message"): not modelled
                raise NotModelled(f"'{ast.unparse(node)}' in the script")
            raise _Exit(int(code) % 256)
        else:
            raise NotModelled(f"'{ast.unparse(node).splitlines()[0]}' in the script")

    def value(self, node: ast.expr) -> object:
        """The value of an expression the model knows (else :class:`NotModelled`)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, str, bool, type(None))):
            return node.value
        if isinstance(node, ast.Name) and node.id in self.variables:
            return self.variables[node.id]
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ" and self.env:
            name = node.slice.value if isinstance(node.slice, ast.Constant) else None
            if name in self.env:  # (a KeyError is not modelled)
                return self.env[name]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = self.value(node.left), self.value(node.right)
            dividing = isinstance(node.op, ast.Mod | ast.FloorDiv)
            if type(left) is int and type(right) is int and (right or not dividing):
                return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
            left, right = self.value(node.left), self.value(node.comparators[0])
            if type(left) is type(right) or isinstance(node.ops[0], ast.Eq | ast.NotEq):
                return _COMPARE[type(node.ops[0])](left, right)
        if isinstance(node, ast.BoolOp):
            values = [self.value(v) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.value(node.operand)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = self.value(node.operand)
            if type(operand) is int:
                return -operand
        raise NotModelled(f"'{ast.unparse(node)}' in the script")

    def call(self, node: ast.Call) -> object:
        name, args = _called(node), [self.value(arg) for arg in node.args]
        if node.keywords:
            raise NotModelled(f"'{ast.unparse(node)}' in the script")
        if name == "os.environ.get" and self.env is not None and args and isinstance(args[0], str):
            default = args[1] if len(args) == 2 else None
            if len(args) <= 2:
                return self.env.get(args[0], default)
        number = args[0] if len(args) == 1 else None
        if name == "int" and (type(number) is int or isinstance(number, str) and _INTEGER.fullmatch(number)):
            return int(number)
        if name == "str" and len(args) == 1:
            return str(args[0])
        raise NotModelled(f"'{ast.unparse(node)}' in the script")


def _called(node: ast.Call) -> str:
    """``sys.exit`` for ``sys.exit(1)``: the dotted name a call calls."""
    return ast.unparse(node.func)
