"""``--record``: the deprecated flag that writes the command line into ``kubernetes.io/change-cause``.

kubectl v1.32 still accepts ``--record`` on the commands that change objects (pflag prints
``Flag --record has been deprecated, --record will be removed in the future`` whenever it is used).
With ``--record=true`` the object gets the annotation ``kubernetes.io/change-cause`` holding the
command: ``kubectl``, the arguments that are not flags, then every flag as ``--name=value`` in
the order given (a shorthand under its long name, a bool given alone as ``=true``). A Deployment
copies it to its new ReplicaSet, and ``kubectl rollout history`` shows it as the CHANGE-CAUSE:

>>> from k8slearn.kubectl.flags import FlagSet
>>> flags = FlagSet([("f", "filename", "[]"), ("", "record", "false"), ("n", "namespace", "''")])
>>> change_cause(["set", "image", "deployment/web", "nginx=nginx:1.16.1", "--record"], flags)
'kubectl set image deployment/web nginx=nginx:1.16.1 --record=true'
>>> change_cause(["apply", "-f", "web.yaml", "--record", "-n", "dev"], flags)
'kubectl apply --filename=web.yaml --record=true --namespace=dev'

Simplified: a ``patch`` records in the same request as the change (kubectl sends its own merge
patch after it); a scale (a patch of the scale subresource) or a JSON patch records in a merge patch
of the object right after it, as kubectl does.

Upstream: staging/src/k8s.io/cli-runtime/pkg/genericclioptions/record_flags.go (RecordFlags,
ChangeCauseRecorder, parseCommandArguments)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import thaw

CHANGE_CAUSE = "kubernetes.io/change-cause"
DEPRECATION = "Flag --record has been deprecated, --record will be removed in the future"
# The commands that have RecordFlags (the flag is hidden from --help once deprecated)
RECORD_COMMANDS = frozenset(f"kubectl {c}" for c in (
    "annotate", "apply", "autoscale", "create", "edit", "expose", "label", "patch", "replace", "run", "scale",
    "set env", "set image", "set resources", "set selector", "set serviceaccount", "set subject"))


def change_cause(argv: list[str], flags: Any) -> str:
    """parseCommandArguments: ``kubectl`` + the words that are no flags + ``--name=value`` of each flag."""
    words: list[str] = []
    given: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if word == "--":
            words += argv[i:]
            break
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            flag = flags.flags.get(name)
        elif word.startswith("-") and len(word) > 1:
            flag = flags.shorthands.get(word[1])
            eq, value = ("=", word[3:] if word[2:3] == "=" else word[2:]) if len(word) > 2 else ("", "")
        else:
            words.append(word)
            continue
        if flag is None:
            continue
        if not eq:
            if flag.kind == "bool" or flag.no_opt is not None:
                value = flag.no_opt or "true"
            elif i < len(argv):
                value, i = argv[i], i + 1
        given.append(f" --{flag.name}={value}")
    return "kubectl" + "".join(" " + w for w in words) + "".join(given)


def annotated(obj: dict, cause: str) -> dict:
    """A copy of ``obj`` with the change-cause annotation (ChangeCauseRecorder.Record)."""
    obj = thaw(obj)
    meta = obj.setdefault("metadata", {})
    meta["annotations"] = {**(meta.get("annotations") or {}), CHANGE_CAUSE: cause}
    return obj


class RecordingClient:
    """The API client of a command run with ``--record``: what it creates, updates or patches
    carries the change-cause annotation (ChangeCauseRecorder.Record / MakeRecordMergePatch)."""

    def __init__(self, client: Any, cause: str) -> None:
        self._client, self.cause = client, cause

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def create(self, obj: dict, *args: Any, **kwargs: Any) -> dict:
        return self._client.create(annotated(obj, self.cause), *args, **kwargs)

    def update(self, obj: dict, *args: Any, **kwargs: Any) -> dict:
        return self._client.update(annotated(obj, self.cause), *args, **kwargs)

    def patch(self, resource: str, name: str, patch: Any, *args: Any, **kwargs: Any) -> dict:
        patch_type = kwargs.get("patch_type", args[1] if len(args) > 1 else "strategic")
        record = {"metadata": {"annotations": {CHANGE_CAUSE: self.cause}}}
        if isinstance(patch, dict) and patch_type in ("strategic", "merge") and not kwargs.get("subresource"):
            patch = thaw(patch)
            meta = patch.setdefault("metadata", {}) if isinstance(patch.get("metadata", {}), dict) else None
            if meta is not None:
                meta["annotations"] = {**(meta.get("annotations") or {}), CHANGE_CAUSE: self.cause}
                return self._client.patch(resource, name, patch, *args, **kwargs)
        result = self._client.patch(resource, name, patch, *args, **kwargs)
        if kwargs.get("dry_run"):
            return result
        namespace = kwargs.get("namespace", args[0] if args else "default")
        return self._client.patch(resource, name, record, namespace=namespace, patch_type="merge")
