r"""The parser of Go's ``text/template``: the lexer's tokens to a tree of nodes.

>>> tree = parse('{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}', {"len"})
>>> str(tree.root)
'{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}'
>>> try:
...     parse("{{.metadata.name", set())
... except ParseError as exc:
...     print(exc)
template: output:1: unclosed action

Each node keeps ``pos``, its offset in the text: execution errors name it as
``output:LINE:COL`` and print the node back (``str(node)``) as Go's ``Node.String`` does.
``{{define}}``/``{{block}}`` bodies go into ``Tree.defines``.

Simplified: the delimiters are always ``{{ }}``; numbers are decimal, hexadecimal, octal,
binary, floats and character constants (no imaginary numbers); a tree holds characters, so
positions count characters (Go counts bytes: they differ only after non-ASCII text).

Upstream: Go's text/template/parse (parse.go, node.go)
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from k8slearn.kubectl.gofmt import GoInt
from k8slearn.kubectl.gotemplate_lex import Item, lex

__all__ = ["ParseError", "parse", "Tree"]

class ParseError(Exception):
    """``template: output:LINE: message`` (Tree.errorf)."""


@dataclass
class Node:
    pos: int


@dataclass
class Text(Node):
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Field(Node):
    ident: list[str]

    def __str__(self) -> str:
        return "".join("." + i for i in self.ident)


@dataclass
class Variable(Node):
    ident: list[str]

    def __str__(self) -> str:
        return ".".join(self.ident)


@dataclass
class Identifier(Node):
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass
class Constant(Node):
    """A bool, number, string or nil; ``value`` is what it evaluates to, ``text`` how it was written.
    ``kind`` is bool/number/string/nil/dot."""

    kind: str
    text: str
    value: Any = None

    def __str__(self) -> str:
        return self.text


@dataclass
class Chain(Node):
    node: Node
    fields: list[str]

    def __str__(self) -> str:
        inner = f"({self.node})" if isinstance(self.node, Pipe) else str(self.node)
        return inner + "".join("." + f for f in self.fields)


@dataclass
class Command(Node):
    args: list[Node] = field(default_factory=list)

    def __str__(self) -> str:
        return " ".join(f"({a})" if isinstance(a, Pipe) else str(a) for a in self.args)


@dataclass
class Pipe(Node):
    decl: list[Variable] = field(default_factory=list)
    is_assign: bool = False
    cmds: list[Command] = field(default_factory=list)

    def __str__(self) -> str:
        head = ""
        if self.decl:
            head = ", ".join(str(v) for v in self.decl) + (" = " if self.is_assign else " := ")
        return head + " | ".join(str(c) for c in self.cmds)


@dataclass
class Action(Node):
    pipe: Pipe

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


@dataclass
class ListNode(Node):
    nodes: list[Node] = field(default_factory=list)

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


@dataclass
class Control(Node):
    """``if``, ``range`` or ``with`` (BranchNode)."""

    keyword: str
    pipe: Pipe
    body: ListNode
    else_body: ListNode | None = None

    def __str__(self) -> str:
        text = "{{" + f"{self.keyword} {self.pipe}" + "}}" + str(self.body)
        if self.else_body is not None:
            text += "{{else}}" + str(self.else_body)
        return text + "{{end}}"


@dataclass
class TemplateCall(Node):
    name: str
    pipe: Pipe | None = None

    def __str__(self) -> str:
        from k8slearn.kubectl.gofmt import quote

        return "{{template " + quote(self.name) + (f" {self.pipe}" if self.pipe else "") + "}}"


@dataclass
class Jump(Node):
    """``{{break}}`` or ``{{continue}}``; ``{{end}}`` and ``{{else}}`` while parsing."""

    keyword: str

    def __str__(self) -> str:
        return "{{" + self.keyword + "}}"


@dataclass
class Tree:
    """What ``Parse`` leaves: the main template, its ``{{define}}``s, and the text (for positions)."""

    text: str
    root: ListNode
    defines: dict[str, ListNode]

    def location(self, node: Node) -> str:
        """ErrorContext's ``output:LINE:COL``."""
        before = self.text[:node.pos]
        newline = before.rfind("\n")
        col = node.pos if newline < 0 else node.pos - newline - 1
        return f"output:{1 + before.count(chr(10))}:{col}"


# ---- parser (parse.go) -----------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, funcs: set[str]) -> None:
        self.items = lex(text)
        self.i = 0
        self.funcs = funcs
        self.vars = ["$"]
        self.range_depth = 0
        self.defines: dict[str, ListNode] = {}

    # token helpers
    def next(self) -> Item:
        item = self.items[min(self.i, len(self.items) - 1)]
        self.i += 1
        if item.typ == "error":
            self.error(item.val, item)
        return item

    def peek(self) -> Item:
        item = self.next()
        self.i -= 1
        return item

    def next_non_space(self) -> Item:
        item = self.next()
        while item.typ == "space":
            item = self.next()
        return item

    def peek_non_space(self) -> Item:
        item = self.next_non_space()
        self.i -= 1
        return item

    def error(self, message: str, item: Item | None = None) -> None:
        line = (item or self.items[min(self.i, len(self.items)) - 1]).line
        raise ParseError(f"template: output:{line}: {message}")

    def expect(self, typ: str, context: str) -> Item:
        item = self.next_non_space()
        if item.typ != typ:
            self.unexpected(item, context)
        return item

    def unexpected(self, item: Item, context: str) -> None:
        if item.typ == "error":
            self.error(item.val, item)
        self.error(f"unexpected {item} in {context}", item)

    # structure
    def parse(self) -> ListNode:
        root = ListNode(0)
        while self.peek().typ != "EOF":
            if self.peek().typ == "{{":
                mark = self.i
                self.next()
                if self.next_non_space().typ == "define":
                    self.define()
                    continue
                self.i = mark
            node = self.text_or_action()
            if isinstance(node, Jump) and node.keyword.split(" ")[0] in ("end", "else"):
                self.error("unexpected {{end}}" if node.keyword == "end" else "unexpected {{else}}")
            root.nodes.append(node)
        return root

    def define(self) -> None:
        name = self.expect_string("define clause")
        self.expect("}}", "define clause")
        saved, self.vars = self.vars, ["$"]
        body, end = self.item_list()
        if end.keyword != "end":
            self.error(f"unexpected {end} in define clause")
        self.vars = saved
        self.defines[name] = body

    def expect_string(self, context: str) -> str:
        item = self.next_non_space()
        if item.typ not in ("string", "rawString"):
            self.unexpected(item, context)
        return _unquote(item.val)

    def item_list(self) -> tuple[ListNode, Jump]:
        body = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().typ != "EOF":
            node = self.text_or_action()
            if isinstance(node, Jump) and node.keyword.split(" ")[0] in ("end", "else"):
                return body, node
            body.nodes.append(node)
        self.error("unexpected EOF")
        raise AssertionError

    def text_or_action(self) -> Node:
        item = self.next_non_space()
        if item.typ == "text":
            return Text(item.pos, item.val)
        if item.typ == "{{":
            return self.action()
        self.unexpected(item, "input")
        raise AssertionError

    def action(self) -> Node:
        item = self.next_non_space()
        if item.typ in ("if", "range", "with"):
            return self.control(item.typ, item)
        if item.typ in ("end", "else"):
            return self.end_or_else(item)
        if item.typ in ("break", "continue"):
            if not self.range_depth:
                self.error(f"{{{{{item.typ}}}}} outside {{{{range}}}}", item)
            self.expect("}}", item.typ)
            return Jump(item.pos, item.typ)
        if item.typ in ("template", "block"):
            return self.template_call(item)
        self.i -= 1
        return Action(item.pos, self.pipeline("command", "}}"))

    def end_or_else(self, item: Item) -> Jump:
        if item.typ == "else" and self.peek_non_space().typ in ("if", "with"):
            return Jump(item.pos, "else " + self.peek_non_space().typ)  # {{else if ...}}: the if stays pending
        self.expect("}}", item.typ)
        return Jump(item.pos, item.typ)

    def control(self, keyword: str, item: Item) -> Control:
        mark = len(self.vars)
        pipe = self.pipeline(keyword, "}}")
        self.range_depth += keyword == "range"
        body, nxt = self.item_list()
        self.range_depth -= keyword == "range"
        else_body = None
        if nxt.keyword == f"else {keyword}":  # {{else if ...}}: an if inside the else, ended by the same {{end}}
            inner = self.next_non_space()
            else_body = ListNode(inner.pos, [self.control(keyword, inner)])
        elif nxt.keyword.startswith("else"):  # ({{else with}} after an if leaves "with" for the list to refuse)
            else_body, end = self.item_list()
            if end.keyword != "end":
                self.error(f"expected end; found {end}")
        del self.vars[mark:]
        return Control(item.pos, keyword, pipe, body, else_body)

    def template_call(self, item: Item) -> Node:
        context = "template clause" if item.typ == "template" else "block clause"
        token = self.next_non_space()
        if token.typ not in ("string", "rawString"):
            self.unexpected(token, context)
        name = _unquote(token.val)
        pipe = None
        if self.next_non_space().typ != "}}":
            self.i -= 1
            pipe = self.pipeline(context, "}}")
        if item.typ == "block":
            saved, self.vars = self.vars, ["$"]
            body, end = self.item_list()
            if end.keyword != "end":
                self.error(f"unexpected {end} in block clause")
            self.vars = saved
            self.defines[name] = body
        return TemplateCall(token.pos, name, pipe)

    def pipeline(self, context: str, end: str) -> Pipe:
        pipe = Pipe(self.peek_non_space().pos)
        self.declarations(pipe, context)
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in ("bool", "charConstant", "dot", "field", "identifier", "number", "nil", "rawString",
                             "string", "variable", "("):
                self.i -= 1
                pipe.cmds.append(self.command())
            else:
                self.unexpected(token, context)

    def declarations(self, pipe: Pipe, context: str) -> None:
        """``$x :=``, ``$x =``, and range's ``$i, $v :=``."""
        start = self.i
        while True:
            var = self.peek_non_space()
            if var.typ != "variable":
                break
            self.next_non_space()
            after = self.peek_non_space()
            if after.typ in (":=", "=", ","):
                self.next_non_space()
                pipe.decl.append(Variable(var.pos, [var.val]))
                self.vars.append(var.val)
                pipe.is_assign = after.typ == "="
                if after.typ != ",":
                    return
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ not in ("variable", "}}", ")"):
                        self.error("range can only initialize variables")
                    continue
                self.error(f"too many declarations in {context}")
            break
        self.i = start

    def check_pipeline(self, pipe: Pipe, context: str) -> None:
        if not pipe.cmds:
            self.error(f"missing value for {context}")
        for i, cmd in enumerate(pipe.cmds[1:]):
            first = cmd.args[0]
            if isinstance(first, Constant):
                self.error(f"non executable command in pipeline stage {i + 2}")

    def command(self) -> Command:
        cmd = Command(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ == "space":
                continue
            if token.typ in ("}}", ")"):
                self.i -= 1
            elif token.typ != "|":
                self.unexpected(token, "operand")
            break
        if not cmd.args:
            self.error("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None or self.peek().typ != "field":
            return node
        chain = Chain(self.peek().pos, node, [])
        while self.peek().typ == "field":
            chain.fields.append(self.next().val[1:])
        if isinstance(node, Field):
            return Field(chain.pos, node.ident + chain.fields)
        if isinstance(node, Variable):
            return Variable(chain.pos, node.ident + chain.fields)
        if isinstance(node, Constant):
            self.error(f'unexpected . after term "{node}"')
        return chain

    def term(self) -> Node | None:
        token = self.next_non_space()
        if token.typ == "identifier":
            if token.val not in self.funcs:
                self.error(f'function "{token.val}" not defined', token)
            return Identifier(token.pos, token.val)
        if token.typ == "dot":
            return Constant(token.pos, "dot", ".")
        if token.typ == "nil":
            return Constant(token.pos, "nil", "nil")
        if token.typ == "variable":
            if token.val not in self.vars:
                self.error(f'undefined variable "{token.val}"', token)
            return Variable(token.pos, [token.val])
        if token.typ == "field":
            return Field(token.pos, [token.val[1:]])
        if token.typ == "bool":
            return Constant(token.pos, "bool", token.val, token.val == "true")
        if token.typ in ("number", "charConstant"):
            return Constant(token.pos, "number", token.val, self.number(token))
        if token.typ == "(":
            pipe = self.pipeline("parenthesized pipeline", ")")
            return pipe
        if token.typ in ("string", "rawString"):
            return Constant(token.pos, "string", token.val, _unquote(token.val))
        self.i -= 1
        return None

    def number(self, token: Item) -> Any:
        """newNumber + idealConstant: an ``int`` unless written as a float (``1.5``, ``1e6``)."""
        text = token.val
        if token.typ == "charConstant":
            return GoInt(ord(_unquote(text)))
        try:
            digits = text.replace("_", "")
            if not re.search(r"[.eEpP]", digits) or re.match(r"[+-]?0[xX][0-9a-fA-F]+$", digits):
                return GoInt(int(digits, 0))
            return float.fromhex(digits) if "x" in digits.lower() else float(digits)
        except ValueError:
            self.error(f'illegal number syntax: "{text}"', token)


def _unquote(text: str) -> str:
    """strconv.Unquote for "..." (Go's escapes are Python's, near enough), `raw` and 'c'."""
    if text.startswith("`"):
        return text[1:-1]
    return ast.literal_eval(text)


def parse(text: str, funcs: set[str]) -> Tree:
    """Template.Parse: the tree, or :class:`ParseError` with Go's message."""
    parser = _Parser(text, funcs)
    root = parser.parse()
    return Tree(text, root, parser.defines)
