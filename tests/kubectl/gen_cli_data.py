"""Regenerate k8slearn/kubectl/flagspec.py from the real kubectl v1.32 binary (run by hand).

    .venv/bin/python tests/kubectl/gen_cli_data.py /usr/lib/google-cloud-sdk/bin/kubectl.1.32

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


if __name__ == "__main__":
    main()
