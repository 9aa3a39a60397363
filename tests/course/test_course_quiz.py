"""Quiz: answers and feedback, driven through the model and through the widget's callbacks."""

import pytest

from k8slearn.course import MultipleChoice, PredictThenRun, Quiz

SCHEDULER = "What does the scheduler choose for a pod?"


def make_quiz(run=lambda: 3):
    return Quiz(
        [
            MultipleChoice(SCHEDULER, ["a node", "a container", "a namespace"], answer="a node",
                           explain="It filters and scores `nodes`."),
            PredictThenRun("How many pods does the ReplicaSet create?", ["1", "3", "4"], run=run,
                           explain="replicas: 3 means three pods."),
        ],
        title="Check yourself",
    )


def feedback_widgets(box):
    """The feedback HTML under each question of a quiz widget (the last child of each row)."""
    return [row.children[-1] for row in box.children[1:]]


MC_CASES = [
    ("the right option gets a tick and the explanation", "a node", True,
     ["✔ Right.", "<code>nodes</code>"]),
    ("a wrong option is named back to the student", "a container", False,
     ["✘ Not quite", "“a container”"]),
]


@pytest.mark.parametrize("name, option, correct, shown", MC_CASES, ids=[c[0] for c in MC_CASES])
def test_multiple_choice_feedback(name, option, correct, shown):
    quiz = make_quiz()
    feedback = quiz.choose(0, option)
    assert all(piece in feedback for piece in shown)
    assert quiz.answers[SCHEDULER] == (option, correct, None)
    assert quiz.feedback(0) == feedback


def test_an_unanswered_quiz_reads_back_as_nothing_chosen():
    quiz = make_quiz()
    assert list(quiz.answers.values()) == [(None, None, None), (None, None, None)]
    assert quiz.score == "0/2 correct"


def test_the_answer_may_be_given_as_an_index():
    assert MultipleChoice("q", ["x", "y"], answer=1).answer == "y"


def test_an_answer_that_is_not_an_option_is_refused():
    with pytest.raises(ValueError, match="not one of the options"):
        MultipleChoice("q", ["x", "y"], answer="z")


def test_a_question_needs_two_different_options():
    with pytest.raises(ValueError, match="at least two different options"):
        MultipleChoice("q", ["x", "x"], answer="x")


PREDICT_CASES = [
    ("a right prediction is confirmed after Run", "3", lambda: 3, True, "✔ Your prediction was right."),
    ("a wrong prediction is told what really happened", "1", lambda: 3, False,
     "✘ You predicted “1”; it was “3”."),
]


@pytest.mark.parametrize("name, prediction, run, correct, verdict", PREDICT_CASES,
                         ids=[c[0] for c in PREDICT_CASES])
def test_predict_then_run(name, prediction, run, correct, verdict):
    quiz = make_quiz(run)
    assert "Now click Run." in quiz.choose(1, prediction)
    assert quiz.answers["How many pods does the ReplicaSet create?"].correct is None
    feedback = quiz.run(1)
    assert verdict in feedback and "<pre>3</pre>" in feedback
    assert quiz.answers["How many pods does the ReplicaSet create?"] == (prediction, correct, "3")


def test_run_before_a_prediction_asks_for_one_and_runs_nothing():
    calls = []
    quiz = make_quiz(lambda: calls.append(1))
    assert "Pick a prediction first" in quiz.run(1)
    assert calls == []


def test_code_that_raises_is_shown_not_raised():
    def broken():
        raise RuntimeError(f"boom {object()!r}")

    quiz = make_quiz(broken)
    quiz.choose(1, "3")
    feedback = quiz.run(1)
    assert "The code raised an error:" in feedback and "RuntimeError: boom &lt;object object&gt;" in feedback
    assert "0x" not in feedback


def test_outcome_maps_a_rich_result_to_an_option():
    q = PredictThenRun("Where does web land?", ["node-1", "node-2"], run=lambda: {"nodeName": "node-2"},
                       outcome=lambda pod: pod["nodeName"])
    quiz = Quiz([q])
    quiz.choose(0, "node-2")
    assert "✔" in quiz.run(0)


def test_choosing_something_that_is_not_an_option_is_an_error():
    with pytest.raises(ValueError, match="'5' is not one of the options"):
        make_quiz().choose(1, "5")


def test_two_questions_with_the_same_prompt_are_refused():
    with pytest.raises(ValueError, match="same prompt"):
        Quiz([MultipleChoice("q", ["a", "b"], 0), MultipleChoice("q", ["a", "b"], 1)])


def test_run_on_a_multiple_choice_question_is_an_error():
    with pytest.raises(TypeError, match="multiple choice"):
        make_quiz().run(0)


def test_picking_in_the_widget_updates_the_feedback_html():
    quiz = make_quiz()
    box = quiz.widget()
    radio = box.children[1].children[1]
    radio.value = "a node"
    assert "✔ Right." in feedback_widgets(box)[0].value
    assert quiz.answers[SCHEDULER].correct is True


def test_clicking_run_in_the_widget_compares_with_the_prediction():
    quiz = make_quiz()
    box = quiz.widget()
    row = box.children[2]
    radio, button = row.children[1], row.children[2]
    radio.value = "4"
    button.click()
    assert "✘ You predicted “4”; it was “3”." in feedback_widgets(box)[1].value


def test_the_feedback_is_an_html_widget_not_an_output():
    import ipywidgets

    box = make_quiz().widget()
    assert all(type(w) is ipywidgets.HTML for w in feedback_widgets(box))
    assert not any(isinstance(w, ipywidgets.Output) for row in box.children[1:] for w in row.children)


def test_static_renderings_show_the_questions_without_the_answer_in_text():
    bundle = make_quiz()._repr_mimebundle_()
    assert bundle["text/plain"] == (
        "Check yourself (2 questions)\n"
        "1. What does the scheduler choose for a pod?\n"
        "   ( ) a node\n   ( ) a container\n   ( ) a namespace\n"
        "2. How many pods does the ReplicaSet create? [predict, then run]\n"
        "   ( ) 1\n   ( ) 3\n   ( ) 4"
    )
    html = bundle["text/html"]
    assert "<li>a container</li>" in html and "<details><summary>Answer</summary><b>a node</b>" in html
    assert make_quiz()._repr_mimebundle_() == bundle


def test_displaying_a_quiz_sends_the_widget_with_deterministic_text_and_html(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    quiz = make_quiz()
    quiz._ipython_display_()
    (bundle, raw), = shown
    assert raw is True
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == quiz._repr_mimebundle_()["text/plain"]
    assert bundle["text/html"] == quiz._repr_mimebundle_()["text/html"]


@pytest.mark.parametrize("index, message", [
    pytest.param(-1, "there is no question -1: the questions are numbered 0 to 1",
                 id="a negative index does not pick the last question"),
    pytest.param(9, "there is no question 9: the questions are numbered 0 to 1",
                 id="an index past the last question names the numbers there are"),
    pytest.param(True, "there is no question True: the questions are numbered 0 to 1",
                 id="a bool is not a question number"),
])
def test_run_checks_its_index_as_choose_does(index, message):
    quiz = make_quiz()
    for ask in (quiz.run, lambda i: quiz.choose(i, "3")):
        with pytest.raises(IndexError) as info:
            ask(index)
        assert str(info.value) == message
    assert list(quiz.answers.values()) == [(None, None, None), (None, None, None)]


def test_run_on_a_multiple_choice_question_names_it_by_its_index():
    with pytest.raises(TypeError) as info:
        make_quiz().run(0)
    assert str(info.value) == "question 0 is multiple choice; it has nothing to run"


def test_an_options_code_marks_are_left_out_of_its_radio_label_and_picking_it_records_the_option():
    quiz = Quiz([MultipleChoice("Who starts containers?", ["`docker run`, by hand", "the kubelet, over the CRI"],
                                answer=1)])
    radio = quiz.widget().children[1].children[1]
    assert radio._options_labels == ("docker run, by hand", "the kubelet, over the CRI")
    radio.value = "`docker run`, by hand"
    assert quiz.answers["Who starts containers?"].chosen == "`docker run`, by hand"
