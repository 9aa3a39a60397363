"""House rules that keep the package honest: the import boundary and a light `import k8slearn`."""

import ast
import pathlib
import subprocess
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "k8slearn"

# Components that run in the cluster. None may import another: they meet only at the API server.
COMPONENTS = ["scheduler", "controllers", "kubelet", "network", "kubectl", "apiserver", "etcd", "cicd"]
# What every component may use: shared object helpers, the loop, and the client library.
SHARED = {"api", "sim", "client"}
ALLOWED = {
    "apiserver": {"etcd"},  # the API server stores objects in etcd
    "kubelet": {"network.cni"},  # containerd executes the CNI plugins to wire a sandbox
}


def _subpackage(module: str) -> str:
    # CNI plugins are executables the container runtime runs, not a component: name them apart.
    return "network.cni" if module.startswith("k8slearn.network.cni") else module.split(".")[1]


def imported_subpackages(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("k8slearn."):
            found.add(_subpackage(node.module))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("k8slearn."):
                    found.add(_subpackage(alias.name))
    return found


def component_files():
    for component in COMPONENTS:
        folder = PACKAGE / component
        for path in sorted(folder.rglob("*.py")) if folder.exists() else []:
            yield pytest.param(component, path, id=f"{component}/{path.relative_to(folder)}")


@pytest.mark.parametrize("component, path", list(component_files()))
def test_components_talk_only_through_the_api_server(component, path):
    others = imported_subpackages(path) - SHARED - {component} - ALLOWED.get(component, set())
    forbidden = others & set(COMPONENTS) | ({"cluster", "viz", "course"} & others)
    assert not forbidden, f"{path.name} imports {sorted(forbidden)}; components meet only at the API server"


def test_the_model_never_imports_the_view():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name in ("viz", "course"):
            continue
        if "viz" in imported_subpackages(path):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_import_k8slearn_loads_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys, k8slearn; heavy = [m for m in ('matplotlib', 'ipywidgets', 'numpy') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
