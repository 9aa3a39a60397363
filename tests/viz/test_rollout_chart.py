"""The rollout chart: a colour per ReplicaSet that matters, the terminating pods it promises, its labels."""

import pytest

from k8slearn import Cluster
from k8slearn.viz.controllers_view import RolloutChart, draw_rollout, record_rollout
from k8slearn.viz.rollout_chart import replica_set_lines


def web_cluster():
    cluster = Cluster(workers=3, seed=0)
    cluster.kubectl("create deployment web --image=nginx:1.26 --replicas=4")
    cluster.settle()
    return cluster


@pytest.fixture(scope="module")
def five_revisions():
    """Revisions 1-4 of web, then the rollout to revision 5, sampled."""
    cluster = web_cluster()
    for image in ("nginx:1.27", "nginx:1.28", "nginx:1.29"):
        record_rollout(cluster, "web", image=image, step=0.25)
    return record_rollout(cluster, "web", image="nginx:1.30", step=0.25)


def test_the_old_replicaset_being_scaled_down_has_its_own_colour_and_idle_ones_share_a_pale_one(five_revisions):
    lines = [(label, colour) for _, label, colour, _ in replica_set_lines(five_revisions)]
    new, old = five_revisions[-1].replica_sets[-1].name, five_revisions[-1].replica_sets[-2].name
    assert lines == [("3 older revisions (1, 2, 3), 0 replicas", "#bdbdbd"), (f"{old} (revision 4)", "#e6a000"),
                     (f"{new} (revision 5)", "#1a9850")]
    top = draw_rollout(five_revisions).axes[0]
    assert [line.get_color() for line in top.get_lines()] == ["#bdbdbd", "#e6a000", "#1a9850"]


def test_the_chart_shows_the_moments_when_terminating_pods_make_more_than_the_controller_counts(five_revisions):
    more = [(round(s.time - five_revisions[0].time, 2), s.pods, sum(c.current for c in s.replica_sets))
            for s in five_revisions if s.pods > sum(c.current for c in s.replica_sets)]
    assert more[:3] == [(0.02, 6, 5), (1.9, 7, 5), (2.75, 5, 4)]
    low = draw_rollout(five_revisions).axes[1]
    dots = next(line for line in low.get_lines() if line.get_label() == "more than counted: terminating")
    assert list(dots.get_ydata()) == [pods for _, pods, _ in more]


def test_the_text_says_how_many_of_the_pods_are_terminating(five_revisions):
    moments = [(round(s.time - five_revisions[0].time, 2), s.pods, s.terminating) for s in five_revisions]
    assert moments[1:3] == [(0.02, 6, 1), (0.1, 5, 0)]
    text = RolloutChart(None, "web", five_revisions).text().splitlines()  # (samples given: no cluster read)
    assert text[2].endswith("pods 6 (1 terminating), available 3") and text[3].endswith("pods 5, available 3")


def test_with_max_unavailable_100_percent_no_label_sits_on_the_axis():
    cluster = web_cluster()
    chart = RolloutChart(cluster, "web")
    assert chart.roll_out("nginx:1.27", "100%", "100%").startswith("Rolled out nginx:1.27")
    low = chart.figure().axes[1]
    assert [t.get_text() for t in low.texts] == ["more pods than maxSurge allows"]


def test_a_stalled_rollout_is_sampled_until_the_deployment_controller_gives_up():
    cluster = web_cluster()
    samples = record_rollout(cluster, "web", image="nginx:doesnotexist", step=1.0)
    deployment = cluster.api.get("deployments", "web")
    progressing = next(c for c in deployment["status"]["conditions"] if c["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert 600 < samples[-1].time - samples[0].time < 610 and samples[-1].done
    assert [(s.done, s.stalled) for s in (samples[0], samples[-1])] == [(True, False), (True, True)]
    chart = RolloutChart(cluster, "web", samples)
    assert chart.text().splitlines()[-1].endswith("available 3  (stalled: ProgressDeadlineExceeded)")
    assert chart.text().splitlines()[1].endswith("(done)")          # the rollout before this one had finished
    assert chart.alt_text().endswith("available 3 of 4, stalled: ProgressDeadlineExceeded.")


def test_rolling_out_the_image_the_deployment_already_runs_keeps_the_chart_of_the_last_rollout():
    cluster = web_cluster()
    chart = RolloutChart(cluster, "web")
    chart.roll_out("nginx:1.27")
    samples = chart.samples
    assert chart.roll_out("nginx:1.27") == "Nothing to roll out: deployment web already runs nginx:1.27."
    assert chart.samples is samples and len(samples) > 2


def test_the_charts_legends_keep_their_whole_lines_inside_the_picture(five_revisions):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = draw_rollout(five_revisions)
    FigureCanvasAgg(figure).draw()
    legends = [ax.get_legend() for ax in figure.axes]
    assert [legend.get_title().get_text() for legend in legends] == ["ReplicaSets", "Pods"]
    assert all(legend.get_window_extent().x1 <= figure.bbox.x1 for legend in legends)


@pytest.mark.parametrize("setup, image, message", [
    pytest.param("rollout pause deployment/web", "nginx:1.27",
                 "Nothing rolled out: deployment web is paused (Progressing=Unknown, DeploymentPaused); "
                 "kubectl rollout resume deployment/web first.",
                 id="a paused deployment is left alone and the panel says how to resume it"),
    pytest.param("", "", "The Image box is empty: type an image such as nginx:1.27 first.",
                 id="an empty image box changes nothing"),
])
def test_a_roll_out_that_cannot_start_changes_nothing_and_says_why(setup, image, message):
    cluster = web_cluster()
    if setup:
        cluster.kubectl(setup)
    before = cluster.api.get("deployments", "web")
    chart = RolloutChart(cluster, "web")
    chart.widget  # noqa: B018 - builds the panel: its Image box, as a student fills it
    chart.target.value = image
    now = cluster.now
    assert chart.perform("Roll out", chart._roll) == message
    assert cluster.api.get("deployments", "web")["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    assert cluster.now == now and len(chart.samples) == 1


def test_a_recreate_rollout_is_drawn_without_the_rolling_update_corridor():
    cluster = web_cluster()
    recreate = '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'
    cluster.kubectl(["patch", "deployment", "web", "-p", recreate])
    samples = record_rollout(cluster, "web", image="nginx:1.27", step=0.25)
    chart = RolloutChart(cluster, "web", samples)
    figure = chart.figure()
    low = figure.axes[1]
    assert {s.strategy for s in samples} == {"Recreate"}
    assert figure._suptitle.get_text() == ("Recreate rollout of deployment web: 4 replicas, every old pod goes "
                                           "before the new ones start")
    assert list(low.texts) == [] and [t.get_text() for t in low.get_legend().get_texts()] == [
        "pods the controller counts", "all pods, terminating ones too", "more than counted: terminating",
        "available pods"]
    assert chart.text().splitlines()[0].startswith(
        "Rollout of deployment web: desired 4, strategy Recreate, every old pod goes before the new ones start; ")


def test_a_chart_of_one_sample_shows_that_moment_as_dots():
    chart = RolloutChart(web_cluster(), "web")
    top, low = chart.figure().axes
    assert [line.get_marker() for line in top.lines] == ["o"]
    assert (low.get_xlim(), [line.get_ydata().tolist() for line in top.lines]) == ((-0.1, 1.0), [[4]])
    assert chart.text().splitlines()[0].endswith("; 1 sample over 0.0 s")
