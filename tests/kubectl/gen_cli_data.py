"""Regenerate k8slearn/kubectl/flagspec.py from the real kubectl v1.32 binary (run by hand).

    .venv/bin/python tests/kubectl/gen_cli_data.py /usr/lib/google-cloud-sdk/bin/kubectl.1.32
    .venv/bin/python tests/kubectl/gen_cli_data.py /usr/lib/google-cloud-sdk/bin/kubectl.1.32 --help-texts

Reads every command's ``--help`` (the Options section: shorthand, name, default) and
``kubectl options`` (global flags), and the command list with its order (which is also the
order of cobra's "Did you mean this?" suggestions).
"""

import pprint
import re
import subprocess
import sys

KUBECTL = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"
ROOT_ORDER = """create expose run set explain get edit delete rollout scale autoscale certificate cluster-info
top cordon uncordon drain taint describe logs attach exec port-forward proxy cp auth debug events diff apply
patch replace wait kustomize label annotate completion config plugin version api-versions api-resources
options""".split()
OPTION = re.compile(r"^    (?:-(\S), )?--([A-Za-z0-9-]+)=(.*):$")


def help_text(path):
    return subprocess.run([KUBECTL, *path, "--help"], capture_output=True, text=True).stdout


def subcommands(text):
    block = text.split("Available Commands:\n", 1)
    if len(block) < 2:
        return []
    names = []
    for line in block[1].splitlines():
        if not line.strip():
            break
        names.append(line.split()[0])
    return names


def flags(text):
    out = []
    section = text.split("\nOptions:\n", 1)
    if len(section) < 2:
        return out
    for line in section[1].split("\nUsage:\n")[0].splitlines():
        m = OPTION.match(line)
        if m:
            out.append((m.group(1) or "", m.group(2), m.group(3)))
    return out


def walk(path, table):
    text = help_text(path)
    table[" ".join(["kubectl", *path])] = flags(text)
    for sub in subcommands(text):
        walk([*path, sub], table)


def main():
    table = {}
    for name in ROOT_ORDER:
        walk([name], table)
    opts = subprocess.run([KUBECTL, "options"], capture_output=True, text=True).stdout
    global_flags = flags("\nOptions:\n" + opts.split("\n", 2)[2])
    with open("k8slearn/kubectl/flagspec.py", "w") as out:
        out.write('"""The flags of every kubectl v1.32 command: (shorthand, name, default as --help shows it).\n\n')
        out.write("Generated from the real binary by tests/kubectl/gen_cli_data.py; do not edit by hand.\n\n")
        out.write("Upstream: the Options section of ``kubectl <command> --help`` and ``kubectl options`` (v1.32)\n")
        out.write('"""\n\n')
        out.write("ROOT_COMMANDS = " + pprint.pformat(ROOT_ORDER, width=100, compact=True) + "\n\n")
        out.write("GLOBAL_FLAGS = " + pprint.pformat(global_flags, width=100) + "\n\n")
        out.write("COMMAND_FLAGS = " + pprint.pformat(table, width=100) + "\n")


if __name__ == "__main__" and not (len(sys.argv) > 2 and sys.argv[2] == "--help-texts"):
    main()


def write_help(paths):
    """Regenerate k8slearn/kubectl/helptext.py: ``--help`` of the commands k8slearn implements."""
    texts = {}
    for path in paths:
        words = path.split()[1:]
        texts[path] = subprocess.run([KUBECTL, *words, "--help"], capture_output=True, text=True).stdout
    with open("k8slearn/kubectl/helptext.py", "w") as out:
        out.write('"""``kubectl <command> --help``: the help texts of kubectl v1.32 for the commands k8slearn runs.\n\n')
        out.write("Generated from the real binary by tests/kubectl/gen_cli_data.py; do not edit by hand.\n\n")
        out.write("Upstream: the Long, Example and flag usage strings of staging/src/k8s.io/kubectl/pkg/cmd (v1.32)\n")
        out.write('"""\n\n')
        out.write("HELP = {\n")
        for path, text in texts.items():
            out.write(f"    {path!r}: {text!r},\n")
        out.write("}\n\n\n")
        out.write("def help_for(path: str) -> str:\n")
        out.write('    """The help text of ``path`` (``"kubectl get"``), or a one-line pointer for the others."""\n')
        out.write("    if path in HELP:\n        return HELP[path]\n")
        out.write("    return f\"{path}: see the Kubernetes documentation (help text not included in k8slearn)\\n\"\n")


if __name__ == "__main__" and len(sys.argv) > 2 and sys.argv[2] == "--help-texts":
    sys.path.insert(0, ".")
    from k8slearn.kubectl.cli import HANDLERS, _load_commands  # noqa: E402

    _load_commands()
    groups = ["kubectl", "kubectl auth", "kubectl create", "kubectl create secret", "kubectl create service",
              "kubectl rollout",
              "kubectl set", "kubectl config", "kubectl top", "kubectl apply"]
    write_help(sorted(set(HANDLERS) | set(groups)))
