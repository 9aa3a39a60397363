"""Every solution a chapter gives in its "Solutions" box passes the check the chapter runs on it."""

import re
from pathlib import Path

import nbformat
import pytest

from k8slearn.course import check

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"""\bcheck\((\w+),\s*["']([\w.]+)["']\)""")
SOLUTION_CODE = re.compile(r"<summary>Solutions?</summary>.*?</details>", re.S)
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def solved_checks():
    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        code = "\n".join(PYTHON_BLOCK.findall("\n".join(
            box for c in cells if c.cell_type == "markdown" for box in SOLUTION_CODE.findall(c.source))))
        imports = "\n".join(line for c in cells if c.cell_type == "code" for line in c.source.splitlines()
                            if re.match(r"(import|from) \w", line))  # what the chapter imported for the student
        for cell in cells:
            if cell.cell_type == "code":
                for name, table in CHECK_CALL.findall(cell.source):
                    if re.search(rf"^def {name}\(", code, re.M):
                        yield pytest.param(imports, code, name, table, id=f"{path.stem}: {name}")


def test_the_solutions_of_every_chapter_with_function_exercises_are_found():
    assert {p.id.split(":")[0] for p in solved_checks()} >= {
        "01_why_kubernetes", "03_architecture", "04_pod_creation_flow", "05_pods_labels_annotations",
        "06_scheduling", "07_controllers_daemonsets"}


@pytest.mark.parametrize("imports, code, name, table", list(solved_checks()))
def test_the_chapters_solution_passes_its_check(imports, code, name, table):
    namespace = {}
    exec(compile(imports + "\n" + code, f"<solutions of {name}>", "exec"), namespace)  # noqa: S102
    result = check(namespace[name], table)
    assert result.passed == len(result.outcomes), str(result)


def solution_namespace(stem):
    """The names chapter `stem`'s Solutions box defines."""
    cells = nbformat.read(next(p for p in NOTEBOOKS if p.stem == stem), as_version=4).cells
    code = "\n".join(PYTHON_BLOCK.findall("\n".join(
        box for c in cells if c.cell_type == "markdown" for box in SOLUTION_CODE.findall(c.source))))
    namespace = {}
    exec(compile(code, f"<solutions of {stem}>", "exec"), namespace)  # noqa: S102
    return namespace


def test_chapter_04s_answers_order_and_prediction_are_right():
    from k8slearn import Cluster
    from k8slearn.course import pod_flow

    solved = solution_namespace("04_pod_creation_flow")
    who = check(solved["answers"].get, "pod_flow.who_does")
    assert who.passed == len(who.outcomes), str(who)
    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    order = pod_flow.check_order(solved["my_order"], cluster.trace)
    assert order.passed == len(order.outcomes) == len(solved["my_order"]) - 1, str(order)
    lab = Cluster(workers=2, seed=0)  # the chapter's exercise 3
    lab.add_node("node-3", cpu="4", memory="8Gi")
    lab.settle()
    for name in ("first", "second"):
        lab.kubectl(f"run {name} --image=nginx")
        lab.settle()
    assert lab.api.get("pods", "second")["spec"]["nodeName"] == solved["prediction"] == "node-3"


def test_chapter_05s_selectors_pass_and_the_answers_that_only_happen_to_fit_do_not():
    from k8slearn import Cluster
    from k8slearn.course import labels_lab

    cells = nbformat.read(next(p for p in NOTEBOOKS if p.stem == "05_pods_labels_annotations"), as_version=4).cells
    (wanted_cell,) = [c for c in cells if c.cell_type == "code" and c.source.startswith("wanted = {")]
    wanted = {}
    exec(wanted_cell.source, {}, wanted)  # noqa: S102
    cluster = Cluster(workers=2, seed=0)
    for name, labels in [("web", "app=web,env=prod,tier=frontend"), ("web-canary", "app=web,env=prod,canary=true"),
                         ("api", "app=api,env=prod"), ("db", "app=db,env=dev"), ("toolbox", "app=toolbox"),
                         ("ui", "app=ui,env=staging,tier=frontend"), ("toolbox-2", "app=toolbox,env=dev"),
                         ("web-2", "app=web,env=prod"), ("scratch", "app=scratch")]:
        cluster.kubectl(f"run {name} --image=nginx --labels={labels}")  # the pods at the exercise
    cluster.settle()
    solved = solution_namespace("05_pods_labels_annotations")["my_selectors"]
    result = labels_lab.check_selectors(cluster, solved, wanted["wanted"])
    assert result.passed == len(result.outcomes) == 3, str(result)
    lucky = {"the web pods that are not canaries": "tier=frontend", "the pods with no env label": "app=toolbox",
             "the pods in prod or staging, whatever their app": "env=prod"}
    assert labels_lab.check_selectors(cluster, lucky, wanted["wanted"]).passed == 0
    overfitted = {"the web pods that are not canaries": "app=web,tier=frontend",
                  "the pods with no env label": "app=toolbox,!env",
                  "the pods in prod or staging, whatever their app": "env in (prod,staging),app!=scratch"}
    assert labels_lab.check_selectors(cluster, overfitted, wanted["wanted"]).passed == 1  # (the last one is right)
