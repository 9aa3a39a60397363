"""Shared plumbing of the controller pictures: figures as PNG, and panels with buttons.

``figure_png`` draws a matplotlib figure on an Agg canvas and encodes it as PNG (the same picture
gives the same bytes, so strict nbval and static HTML export keep it); ``Panel`` is the base of the
button panels: every click runs one action, redraws, and shows any error in the panel instead of
raising into the browser, in the words a student knows (``failure_text``): what kubectl prints for
an API error (``Error from server (NotFound): nodes "x" not found``, ``kubectl.errors.render``), what
kubectl printed for a command the panel ran (``KubectlFailed``), and a plain sentence for input the
panel itself refuses (``Refused``: an empty box, no node chosen).

A panel shown in a notebook is one output holding three views of it (``picture_bundle``): the live
widget, a PNG of its picture as it is at that moment, and its words as text/plain. JupyterLab
shows the widget (its renderer ranks before images); a page or a deck built from the saved
notebook can show the PNG instead. It should: the widget state saved with the notebook is the
panel's *last* state, after every later cell that clicked its buttons, not the state the cell
showed. (nbval does not compare image/png, and the PNG is the same bytes on every run.)

Every picture also says what it shows, in words: its alternative text goes into the output's
metadata as ``{"image/png": {"alt": ...}}`` (``picture_metadata``), where IPython's own
``Image(alt=...)`` puts it too. nbconvert's ``get_metadata(output, "alt", "image/png")`` filter
finds it there (or at the metadata's top level); the deck template
(templates/reveal_local) writes it into the ``<img alt>``. JupyterLab 4's image renderer
(``renderImage`` in @jupyterlab/rendermime) reads no alt key, and a live panel's ``ipywidgets.Image``
has none: in JupyterLab the words are those a panel prints beside its picture (the cluster
panels' line under it, a journey's sentence, the scheduler's decision). nbval does not compare
output metadata.

One action at a time, in the whole kernel: ipykernel 7 hands a widget message that arrives while
another callback runs to a second thread (a subshell), so the two clicks of a double click would
run at once. ``ACTION_LOCK`` stops that: a click that comes while any panel's action runs is
dropped (a double click is one click), and the action holds ``cluster.lock`` while it runs, so a
notebook cell that steps the same cluster from another thread waits for it.

Upstream: none (teaching views).
"""

from __future__ import annotations

import base64
import html
import io
import threading
from collections.abc import Callable
from typing import Any

from k8slearn.kubectl.errors import KubectlError, render
from k8slearn.viz import style
from k8slearn.viz.snapshot import holding

TABLE_STYLE = "text-align:left;padding:1px 8px;vertical-align:top;font-size:12px"
ACTION_LOCK = threading.Lock()      # held while a panel's action runs: see the module docstring


def figure_png(figure: Any) -> bytes:
    """A figure as PNG bytes: drawn on an Agg canvas, encoded by PIL with fast compression (the
    pictures are flat colours). The same picture gives the same bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def new_figure(figure: Any, width: float, height: float) -> Any:
    """Reuse ``figure`` (cleared, resized) or make a new one on an Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if figure is None:
        figure = Figure(figsize=(width, height), dpi=style.DPI, facecolor="white")
        FigureCanvasAgg(figure)
    else:
        figure.clear()
        figure.set_size_inches(width, height)
    return figure


def picture_bundle(widget: Any, png: bytes) -> dict:
    """A widget's own mimebundle (its view and its text/plain) plus ``png``, the picture it shows
    now, as image/png: a static renderer (nbconvert, GitHub, a deck) can show this moment's
    picture, where the saved widget state would show the panel's last one."""
    bundle = dict(widget._repr_mimebundle_() or {})
    if png:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    return bundle


def picture_metadata(alt: str) -> dict:
    """The output metadata that carries a picture's alternative text (none for empty words).

    >>> picture_metadata("Cluster: 3 worker nodes")
    {'image/png': {'alt': 'Cluster: 3 worker nodes'}}
    """
    return {"image/png": {"alt": alt}} if alt else {}


def display_bundles(bundles: list) -> None:
    """Show each bundle as one output. A bundle is a mime bundle, or a ``(data, metadata)`` pair as
    IPython's ``_repr_mimebundle_`` may return (the metadata: ``picture_metadata``)."""
    from IPython.display import display

    for bundle in bundles:
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, None)
        display(data, raw=True, metadata=metadata or None)


class Refused(ValueError):
    """Input the panel itself refuses (an empty box, no node chosen); its message is a whole sentence
    telling the student what to do, shown as it is."""


class KubectlFailed(ValueError):
    """A kubectl command the panel ran exited non-zero; its message is what kubectl printed on
    stderr (``Error from server (NotFound): nodes "x" not found``), shown as it is."""


def failure_text(err: Exception) -> str:
    """What a failed action shows, in the words the student would see at a terminal.

    An API error and a kubectl error read as kubectl prints them (``kubectl.errors.render``, which
    models cmdutil.CheckErr in staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go); a kubectl run
    by the panel or a refusal by the panel shows its own words; any other ValueError is bad input
    to the model, printed as kubectl prints an error of its own (``error: ...``). Only a fault of
    the panel's code keeps Python's name for it, to be reported.

    >>> from k8slearn.api.errors import ApiError
    >>> failure_text(ApiError({"reason": "NotFound", "code": 404, "message": 'nodes "x" not found'}))
    'Error from server (NotFound): nodes "x" not found'
    >>> failure_text(Refused("The YAML box is empty: paste a manifest into it first."))
    'The YAML box is empty: paste a manifest into it first.'
    >>> failure_text(ValueError("node node-1 already exists")), failure_text(KeyError("node-9"))
    ('error: node node-1 already exists', "KeyError: 'node-9'")
    """
    if isinstance(err, (Refused, KubectlFailed)):
        return str(err).strip()
    if isinstance(getattr(err, "status", None), dict) or isinstance(err, (KubectlError, ValueError)):
        return render(err).rstrip("\n")
    return f"{type(err).__name__}: {err}"


class Trouble(str):
    """An action's message that the panel shows in red: the action ran, but what it asked for did
    not happen (a rollout that stalled)."""


class Panel:
    """Buttons that act on ``self.cluster``, a status line, and a redraw after every action."""

    buttons: dict
    cluster: Any

    def _handler(self, name: str, action: Callable[[], str]) -> Callable[[Any], None]:
        def on_click(_button: Any = None) -> None:
            self.perform(name, action)
        return on_click

    def perform(self, name: str, action: Callable[[], str]) -> str:
        """Run one action and redraw; never let an exception reach the frontend. Returns the message.

        While another action runs (in this panel or any other), the click is dropped: nothing
        runs, the panel keeps the running action's words, and the message returned says so."""
        if not ACTION_LOCK.acquire(blocking=False):
            return f"{name} ignored: another action is still running."
        try:
            with holding(self.cluster):
                message, colour = self._run_and_redraw(name, action)
        finally:
            ACTION_LOCK.release()
        self._say(message, colour)
        return message

    def _run_and_redraw(self, name: str, action: Callable[[], str]) -> tuple[str, str]:
        """The action's message and its colour (green, or red for an error), after a redraw."""
        for button in self.buttons.values():
            button.disabled = True
        colour = "#1b5e20"
        self._say(f"{name}…", "#e65100")
        try:
            message = action()
            colour = "#b71c1c" if isinstance(message, Trouble) else colour
        except Exception as exc:  # noqa: BLE001 - shown in the panel, not as a traceback in the browser
            text = failure_text(exc)
            message = text if isinstance(exc, Refused) else f"{name} failed: {text}"
            colour = "#b71c1c"
        try:
            self.refresh()
        except Exception as exc:  # noqa: BLE001 - same: the panel says what went wrong
            message, colour = f"{message}; redraw failed: {failure_text(exc)}", "#b71c1c"
        finally:
            for button in self.buttons.values():
                button.disabled = False
        return message, colour

    def _say(self, message: str, colour: str = "#1b5e20") -> None:
        self.status.value = f"<span style='color:{colour};font-size:13px'>{html.escape(message)}</span>"

    def refresh(self) -> None:  # pragma: no cover - every panel defines it
        raise NotImplementedError

    def text(self) -> str:  # pragma: no cover - every panel defines it
        raise NotImplementedError

    def alt_text(self) -> str:  # pragma: no cover - every panel defines it
        """What the picture in ``self.image`` shows, in a few words, as of its last redraw."""
        raise NotImplementedError

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """The live panel, a PNG of its picture now (``self.image``), and a deterministic
        text/plain (the panel's words) for nbval and readers."""
        widget = self.widget                # built first: a panel may build its widget when first shown
        return {**picture_bundle(widget, self.image.value), "text/plain": self.text()}

    def _ipython_display_(self) -> None:
        """One output: ``_repr_mimebundle_``, with the picture's alt text in its metadata."""
        bundle = self._repr_mimebundle_()
        display_bundles([(bundle, picture_metadata(self.alt_text()))])
