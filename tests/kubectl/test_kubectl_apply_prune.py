"""kubectl apply -l and --prune: applying the selected objects, deleting the ones the files dropped."""

import pytest

from kubectl_kit import new_server


def configmap(name, app="shop"):
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels:\n    app: {app}\n"


def deployment(name):
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:\n    app: shop\n"
            f"spec:\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n"
            f"      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: app\n"
            "        image: nginx\n")


def shop():
    """A server where apply made Deployments web and api and ConfigMap cfg (all app=shop), and
    ``create`` made ConfigMap manual (app=shop, no last-applied annotation)."""
    _, client, k = new_server()
    k.run("apply -f -", stdin="---\n".join([deployment("web"), deployment("api"), configmap("cfg")]))
    k.run("create -f -", stdin=configmap("manual"))
    return client, k


@pytest.mark.parametrize("flags, stdout, left", [
    ("-l app=shop", "deployment.apps/web unchanged\nconfigmap/cfg pruned\ndeployment.apps/api pruned\n",
     (["manual"], ["web"])),
    ("-l app=shop --dry-run=client",
     "deployment.apps/web configured (dry run)\nconfigmap/cfg pruned (dry run)\n"
     "deployment.apps/api pruned (dry run)\n",
     (["cfg", "manual"], ["api", "web"])),
    ("-l app=shop --dry-run=server",
     "deployment.apps/web unchanged (server dry run)\nconfigmap/cfg pruned (server dry run)\n"
     "deployment.apps/api pruned (server dry run)\n", (["cfg", "manual"], ["api", "web"])),
    ("--all --prune-allowlist=core/v1/ConfigMap", "deployment.apps/web unchanged\nconfigmap/cfg pruned\n",
     (["manual"], ["api", "web"])),
    ("-l app=other", "", (["cfg", "manual"], ["api", "web"])),
], ids=[
    "objects apply made that the file dropped are pruned, in the allowlist's order",
    "a client dry run says what it would prune and deletes nothing",
    "a server dry run asks the server to delete and keeps everything",
    "an allowlist limits pruning to its kinds",
    "a selector that matches none of the files' objects applies and prunes nothing",
])
def test_prune_deletes_only_applied_objects_the_files_no_longer_have(flags, stdout, left):
    client, k = shop()
    result = k.run(f"apply --prune -f - {flags}", stdin=deployment("web"))
    names = tuple(sorted(o["metadata"]["name"] for o in client.list(r, "default"))
                  for r in ("configmaps", "deployments"))
    assert (result.stdout, names) == (stdout, left)


@pytest.mark.parametrize("flags, stderr", [
    ("", "error: all resources selected for prune without explicitly passing --all. To prune all resources, "
         "pass the --all flag. If you did not mean to prune all resources, specify a label selector\n"),
    ("--all --force", "error: --force cannot be used with --prune\n"),
    ("--all --prune-allowlist=core/v1", "error: invalid GroupVersionKind format: core/v1, please follow "
                                        "<group/version/kind>\n"),
    ("--all --prune-allowlist=core/v1/Foo", 'error: no matches for kind "Foo" in version "v1"\n'),
], ids=["pruning everything must be asked for with --all", "--force and --prune do not go together",
        "an allowlist entry needs group, version and kind", "an allowlist kind must exist"])
def test_bad_prune_flags_change_nothing(flags, stderr):
    client, k = shop()
    result = k.run(f"apply --prune -f - {flags}", stdin=deployment("web"))
    assert (result.stdout, result.stderr, result.code, len(client.list("deployments", "default"))) == (
        "", stderr, 1, 2)


def test_a_selector_applies_only_the_files_objects_it_matches():
    client, k = shop()
    result = k.run("apply -l app=new -f -", stdin=configmap("a", "old") + "---\n" + configmap("b", "new"))
    assert (str(result), [o["metadata"]["name"] for o in client.list("configmaps", "default")]) == (
        "configmap/b created\n", ["b", "cfg", "manual"])


def test_a_selector_that_matches_nothing_in_the_files_is_no_objects():
    _, k = shop()
    result = k.run("apply -l app=none -f -", stdin=configmap("a"))
    assert (result.stderr, result.code) == ("error: no objects passed to apply\n", 1)
