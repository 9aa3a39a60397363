"""kubectl's human-readable table printer: headers, hidden wide columns, and the extra columns.

The server sends every column; kubectl upper-cases the names, drops priority-1 columns unless
``-o wide``, prefixes NAMESPACE for ``-A``, prefixes each name with ``kind/`` when several kinds
are shown, appends ``-L`` label columns and a LABELS column, and prints nothing at all (not
even the header) for an empty table. A tabwriter (min width 6, padding 3) aligns the cells.

>>> from k8slearn.kubectl.printers import Column, Table
>>> t = Table([Column("Name"), Column("Age"), Column("IP", 1)], [["web", "5s", "10.244.1.2"]])
>>> objs = [{"metadata": {"namespace": "default", "labels": {"app": "web"}}}]
>>> print(render_table([(t, objs, "", True)], show_labels=True), end="")
NAMESPACE   NAME   AGE   LABELS
default     web    5s    app=web

Upstream: staging/src/k8s.io/cli-runtime/pkg/printers/tableprinter.go (printTable, decorateTable,
formatLabelHeaders, appendLabelCells)
"""

from __future__ import annotations

from typing import Any

from k8slearn.kubectl import tabwriter
from k8slearn.kubectl.printers import Table, format_labels

__all__ = ["render_table", "table_cells"]


def _cells(table: Table, objects: list[dict], *, wide: bool, with_namespace: bool, kind_prefix: str,
           label_columns: list[str], show_labels: bool) -> tuple[list[str], list[list[str]]]:
    keep = [i for i, c in enumerate(table.columns) if wide or c.priority == 0]
    header = (["NAMESPACE"] if with_namespace else []) + [table.columns[i].name.upper() for i in keep]
    header += [key.split("/")[-1].upper() for key in label_columns]
    if show_labels:
        header.append("LABELS")
    name_column = next((i for i, c in enumerate(table.columns) if c.name == "Name"), -1)
    rows = []
    for row, obj in zip(table.rows, objects):
        cells = list(row)
        if kind_prefix and name_column >= 0:
            cells[name_column] = f"{kind_prefix}/{cells[name_column]}"
        meta = obj.get("metadata", {})
        out = ([meta.get("namespace", "")] if with_namespace else []) + [cells[i] for i in keep]
        labels = meta.get("labels") or {}
        out += [labels.get(key, "") for key in label_columns]
        if show_labels:
            out.append(format_labels(labels))
        rows.append([_first_line(c) for c in out])
    return header, rows


def table_cells(table: Table, objects: list[dict], *, wide: bool, with_namespace: bool, kind_prefix: str,
                label_columns: list[str], show_labels: bool) -> tuple[list[str], list[list[str]]]:
    """The header and the rows' cells, before alignment (``kubectl get -w`` aligns them itself)."""
    return _cells(table, objects, wide=wide, with_namespace=with_namespace, kind_prefix=kind_prefix,
                  label_columns=label_columns, show_labels=show_labels)


def _first_line(cell: str) -> str:
    """printTable truncates a cell at its first line break and marks it with ``...``."""
    for i, ch in enumerate(cell):
        if ch in "\f\n\r":
            return cell[:i] + "..."
    return cell


def render_table(groups: list[tuple[Table, list[dict], str, bool]], *, wide: bool = False,
                 label_columns: list[str] | None = None, show_labels: bool = False,
                 no_headers: bool = False) -> str:
    """Print tables one after another, a blank line between groups, as ``kubectl get`` does.

    Each group is (table, objects, kind prefix or "", whether to add the NAMESPACE column).
    """
    out: list[str] = []
    written = False
    for table, objects, prefix, with_namespace in groups:
        if not table.rows:
            continue
        header, rows = _cells(table, objects, wide=wide, with_namespace=with_namespace, kind_prefix=prefix,
                              label_columns=label_columns or [], show_labels=show_labels)
        lines = ([] if no_headers else ["\t".join(header)]) + ["\t".join(r) for r in rows]
        text = tabwriter.render("\n".join(lines) + "\n", **tabwriter.TABLE)
        if written and not no_headers:
            out.append("\n")
        out.append(text)
        written = True
    return "".join(out)


def kind_prefix(resource: Any) -> str:
    """``pod``, ``deployment.apps``: lower-cased GroupKind, as printed before ``/name``."""
    return resource.group_kind.lower()
