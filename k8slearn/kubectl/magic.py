"""The notebook magics: ``%kubectl get pods`` and ``%%kubectl apply -f -`` (cell body on stdin).

They run on the current cluster (``k8slearn.cluster.current()``) and print what a terminal would
show, stdout and stderr in the order they were written, returning nothing so the cell shows clean text. A failed command
also prints nothing extra: the exit code is in ``k8slearn.kubectl.magic.last_result``.

Upstream: none (IPython's magic API); the commands are k8slearn.kubectl's.
"""

from __future__ import annotations

import itertools
import sys
from typing import Any

__all__ = ["kubectl_magic", "load_ipython_extension", "last_result"]

last_result: Any = None


def kubectl_magic(line: str, cell: str | None = None) -> None:
    """Run ``kubectl <line>`` with the cell body (if any) as stdin, and print the output."""
    global last_result
    import k8slearn  # late: the cluster module wires every component; kubectl must not import it

    result = k8slearn.current().kubectl(line, stdin=cell or "")
    last_result = result
    for name, texts in itertools.groupby(result.chunks, key=lambda chunk: chunk[0]):
        stream = sys.stdout if name == "stdout" else sys.stderr  # in the order kubectl wrote them
        stream.write("".join(text for _, text in texts))
        stream.flush()


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%kubectl`` (line) and ``%%kubectl`` (cell) with IPython."""
    ipython.register_magic_function(lambda line: kubectl_magic(line), magic_kind="line", magic_name="kubectl")
    ipython.register_magic_function(lambda line, cell: kubectl_magic(line, cell), magic_kind="cell",
                                    magic_name="kubectl")
