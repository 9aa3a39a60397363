"""Questionnaires at the end of a chapter: multiple choice, and predict-then-run.

A :class:`Quiz` keeps the student's answers; the widget only forwards clicks to
:meth:`Quiz.choose` and :meth:`Quiz.run` and shows the feedback they return in an
``ipywidgets.HTML`` (never an Output widget, so strict nbval stays clean). Shown as the last
expression of a cell, a quiz is a live widget in JupyterLab and, in static exports and slides,
the questions as HTML.

>>> quiz = Quiz([
...     MultipleChoice("What does the scheduler pick for a pod?", ["a node", "a container"],
...                    answer="a node", explain="It filters and scores nodes."),
...     PredictThenRun("How many letters does `etcd` have?", ["3", "4"], run=lambda: len("etcd")),
... ])
>>> _ = quiz.choose(0, "a container"); _ = quiz.choose(1, "4"); _ = quiz.run(1)
>>> quiz.answers["What does the scheduler pick for a pod?"]
Answer(chosen='a container', correct=False, result=None)
>>> quiz.score
'1/2 correct'

Upstream: none (course machinery)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Sequence

__all__ = ["Answer", "MultipleChoice", "PredictThenRun", "Quiz"]

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+|0x[0-9a-fA-F]{6,}")
_GOOD, _BAD, _INFO = "#1a7f37", "#b35900", "#555555"


def _inline(text: str) -> str:
    """Escape text for HTML and show `backticked` words as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _options(options: Sequence[Any]) -> tuple[str, ...]:
    opts = tuple(str(o) for o in options)
    if len(opts) < 2 or len(set(opts)) != len(opts):
        raise ValueError(f"a question needs at least two different options, got {list(opts)}")
    return opts


@dataclass(frozen=True)
class MultipleChoice:
    """A question with one right option; ``answer`` is the option (or its index)."""

    prompt: str
    options: Sequence[str]
    answer: str | int
    explain: str = ""

    def __post_init__(self) -> None:
        opts = _options(self.options)
        if isinstance(self.answer, int) and not isinstance(self.answer, bool) and not 0 <= self.answer < len(opts):
            raise ValueError(f"the answer index {self.answer} is not the index of an option (0 to {len(opts) - 1})")
        answer = opts[self.answer] if isinstance(self.answer, int) else str(self.answer)
        if answer not in opts:
            raise ValueError(f"the answer {answer!r} is not one of the options {list(opts)}")
        object.__setattr__(self, "options", opts)
        object.__setattr__(self, "answer", answer)


@dataclass(frozen=True)
class PredictThenRun:
    """Predict one of ``options``, then ``run()`` the code and compare. ``outcome`` turns the
    result into an option (default: ``str(result)``)."""

    prompt: str
    options: Sequence[str]
    run: Callable[[], Any]
    explain: str = ""
    outcome: Callable[[Any], str] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", _options(self.options))

    def option_for(self, result: Any) -> str:
        return str(self.outcome(result) if self.outcome else result).strip()


class Answer(NamedTuple):
    """What the student chose, whether it was right (None: not yet known) and, for a
    predict-then-run question, what the code gave."""

    chosen: str | None
    correct: bool | None
    result: str | None = None


def _feedback(colour: str, text: str, extra: str = "") -> str:
    return f"<div style='color:{colour}'>{text}</div>{extra}"


class Quiz:
    """A list of questions and the student's answers to them."""

    def __init__(self, questions: Sequence[MultipleChoice | PredictThenRun], title: str = "Questionnaire"):
        self.questions = list(questions)
        prompts = [q.prompt for q in self.questions]
        if len(set(prompts)) != len(prompts):
            raise ValueError("two questions of a quiz have the same prompt")
        self.title = title
        self._answers = [Answer(None, None) for _ in self.questions]
        self._feedback = ["" for _ in self.questions]
        self._views: list[list[Any]] = []  # per widget shown: one feedback HTML per question

    # -- the model: the widget calls these; tests call them directly ----------------------------

    def choose(self, index: int, option: str | None) -> str:
        """Record the option picked for question ``index``; returns the feedback HTML."""
        q = self.questions[self._index(index)]
        if option is not None and option not in q.options:
            raise ValueError(f"{option!r} is not one of the options {list(q.options)}")
        if option is None:
            self._set(index, Answer(None, None), "")
        elif isinstance(q, MultipleChoice):
            right = option == q.answer
            text = "✔ Right." if right else f"✘ Not quite: you picked “{_inline(option)}”."
            explain = f"<div>{_inline(q.explain)}</div>" if q.explain else ""
            self._set(index, Answer(option, right), _feedback(_GOOD if right else _BAD, text, explain))
        else:
            note = _feedback(_INFO, f"Prediction: “{_inline(option)}”. Now click Run.")
            self._set(index, Answer(option, None), note)
        return self._feedback[index]

    def run(self, index: int) -> str:
        """Run a predict-then-run question's code and compare it with the prediction (``index``
        counts from 0, as in :meth:`choose`)."""
        q = self.questions[self._index(index)]
        if not isinstance(q, PredictThenRun):
            raise TypeError(f"question {index} is multiple choice; it has nothing to run")
        chosen = self._answers[index].chosen
        if chosen is None:
            self._set(index, Answer(None, None), _feedback(_INFO, "Pick a prediction first, then click Run."))
            return self._feedback[index]
        try:
            result = q.run()
        except Exception as exc:  # noqa: BLE001 - shown to the student, never raised
            shown = _ADDRESS.sub("", f"{type(exc).__name__}: {exc}")
            note = _feedback(_BAD, "The code raised an error:", f"<pre>{html.escape(shown)}</pre>")
            self._set(index, Answer(chosen, None, shown), note)
            return self._feedback[index]
        shown = _ADDRESS.sub("", str(result))
        actual = _ADDRESS.sub("", q.option_for(result))
        right = actual == chosen
        verdict = (
            "✔ Your prediction was right."
            if right
            else f"✘ You predicted “{_inline(chosen)}”; it was “{_inline(actual)}”."
        )
        extra = f"<pre>{html.escape(shown)}</pre>" + (f"<div>{_inline(q.explain)}</div>" if q.explain else "")
        self._set(index, Answer(chosen, right, shown), _feedback(_GOOD if right else _BAD, verdict, extra))
        return self._feedback[index]

    def _set(self, index: int, answer: Answer, feedback: str) -> None:
        self._answers[index] = answer
        self._feedback[index] = feedback
        for view in self._views:
            view[index].value = feedback

    def feedback(self, index: int) -> str:
        """The feedback HTML currently shown under question ``index``."""
        return self._feedback[self._index(index)]

    def _index(self, index: int) -> int:
        """A question's number, counted from 0 (a negative one would pick from the end by mistake)."""
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(self.questions):
            raise IndexError(f"there is no question {index!r}: the questions are numbered 0 to "
                             f"{len(self.questions) - 1}")
        return index

    @property
    def answers(self) -> dict[str, Answer]:
        """Question prompt → :class:`Answer`, in question order."""
        return {q.prompt: a for q, a in zip(self.questions, self._answers)}

    @property
    def score(self) -> str:
        right = sum(a.correct is True for a in self._answers)
        return f"{right}/{len(self.questions)} correct"

    # -- the view ----------------------------------------------------------------------------------

    def widget(self):
        """A live ipywidgets panel for this quiz (ipywidgets is imported only here)."""
        import ipywidgets as w

        feedbacks, rows = [], [w.HTML(f"<b>{_inline(self.title)}</b>")]
        for i, q in enumerate(self.questions):
            chosen = self._answers[i].chosen
            # an option's label is plain text: its `code` marks would show as backticks
            labels = [(option.replace("`", ""), option) for option in q.options]
            radio = w.RadioButtons(options=labels, value=chosen, layout=w.Layout(width="auto"))
            radio.observe(lambda change, i=i: self.choose(i, change["new"]), names="value")
            feedback = w.HTML(self._feedback[i])
            feedbacks.append(feedback)
            parts = [w.HTML(f"<b>{i + 1}.</b> {_inline(q.prompt)}"), radio]
            if isinstance(q, PredictThenRun):
                button = w.Button(description="Run", icon="play")
                button.on_click(lambda _button, i=i: self.run(i))
                parts.append(button)
            rows.append(w.VBox([*parts, feedback]))
        self._views.append(feedbacks)
        return w.VBox(rows)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        bundle = self._repr_mimebundle_()
        try:
            view = self.widget()._repr_mimebundle_() or {}
        except ImportError:  # no ipywidgets: the static questions are all we can show
            view = {}
        bundle = {**view, **bundle}  # the widget view, with our deterministic text and HTML
        display(bundle, raw=True)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self._text(), "text/html": self._html()}

    def _text(self) -> str:
        lines = [f"{self.title} ({len(self.questions)} questions)"]
        for i, q in enumerate(self.questions):
            kind = "" if isinstance(q, MultipleChoice) else " [predict, then run]"
            lines.append(f"{i + 1}. {q.prompt}{kind}")
            lines.extend(f"   ( ) {option}" for option in q.options)
        return "\n".join(lines)

    def _html(self) -> str:
        items = []
        for q in self.questions:
            options = "".join(f"<li>{_inline(o)}</li>" for o in q.options)
            if isinstance(q, MultipleChoice):
                kind, answer = "", f"<b>{_inline(q.answer)}</b>. {_inline(q.explain)}"
            else:
                kind = " <i>(predict, then run)</i>"
                answer = f"Run the code to find out. {_inline(q.explain)}"
            items.append(
                f"<li>{_inline(q.prompt)}{kind}<ul style='list-style:circle'>{options}</ul>"
                f"<details><summary>Answer</summary>{answer}</details></li>"
            )
        return f"<div><b>{_inline(self.title)}</b><ol>{''.join(items)}</ol></div>"

    def __repr__(self) -> str:
        return f"<Quiz {self.title!r}: {len(self.questions)} questions, {self.score}>"
