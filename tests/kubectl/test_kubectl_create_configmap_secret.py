"""kubectl create configmap / create secret generic: keys from files, directories, literals and env files.

The expected objects and error texts are what kubectl v1.32 prints (create_configmap.go, create_secret.go,
pkg/util/util.go, pkg/cmd/util/env_file.go, pkg/util/hash/hash.go); each file a case needs is written
into pytest's tmp_path, and ``{d}`` in a command stands for that directory.
"""

import base64
import os

import pytest

from k8slearn import Cluster
from k8slearn.kubectl.generators import config_map_hash, secret_hash

ENV_KEY_RULE = ("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
                "and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', "
                "regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")
CONFIG_KEY_RULE = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  "
                   "or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")

# An env file with everything the parser handles: a UTF-8 BOM, a comment, blank lines, leading blanks,
# a CRLF ending, a bare KEY read from the environment (set and unset), an empty value, '=' in a value,
# an indented comment and a last line without a newline.
FULL_ENV = (b"\xef\xbb\xbf# comment\n\n   \t  spaced=  v  \r\nFROM_ENV\nMISSING_ENV\nempty=\nurl=a=b\n"
            b"  # indented comment\nlast=x")
BINARY = b"\xff\xfe\x00binary"


class Link(str):
    """A symbolic link to this target (a directory source skips it)."""


def write_files(root, files):
    """Write each file (None: a directory; Link: a symbolic link)."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.mkdir(exist_ok=True)
        elif isinstance(content, Link):
            path.symlink_to(str(content))
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode())


def run(tmp_path, files, command, env=None, monkeypatch=None):
    write_files(tmp_path, files)
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    c = Cluster(workers=1, seed=0)
    result = c.kubectl([part.replace("{d}", str(tmp_path)) for part in command.split()])
    return c, result


CONFIGMAPS = [
    ("an env file gives one key per KEY=value line",
     {"game.env": "enemies=aliens\nlives=3\n"}, "create configmap g --from-env-file={d}/game.env",
     {"enemies": "aliens", "lives": "3"}, None),
    ("the env-file parser skips BOM, comments and blanks and takes a bare KEY from the environment",
     {"full.env": FULL_ENV}, "create configmap g --from-env-file={d}/full.env",
     {"FROM_ENV": "hello", "MISSING_ENV": "", "empty": "", "last": "x", "spaced": "  v  ", "url": "a=b"}, None),
    ("--from-env-file repeats, each file adding its keys",
     {"a.env": "a=1\n", "b.env": "b=2\n"}, "create configmap g --from-env-file={d}/a.env --from-env-file={d}/b.env",
     {"a": "1", "b": "2"}, None),
    ("a directory gives one key per regular file, subdirectories and symlinks skipped",
     {"cmdir/game.properties": "a=1\n", "cmdir/ui.properties": "color=red\n", "cmdir/sub": None,
      "cmdir/sub/deep.txt": "no", "cmdir/link": Link("game.properties")},
     "create configmap game-config --from-file={d}/cmdir/",
     {"game.properties": "a=1\n", "ui.properties": "color=red\n"}, None),
    ("a file's key is its base name, or the name given before '='",
     {"a.txt": "A", "b.txt": "B"}, "create configmap m --from-file={d}/a.txt --from-file=bee={d}/b.txt",
     {"a.txt": "A", "bee": "B"}, None),
    ("--from-file splits its value at commas like a string slice",
     {"a.txt": "A", "b.txt": "B"}, "create configmap m --from-file={d}/a.txt,{d}/b.txt",
     {"a.txt": "A", "b.txt": "B"}, None),
    ("/dev/null is a file named null with an empty value",
     {}, "create configmap n --from-file=/dev/null", {"null": ""}, None),
    ("content that is not UTF-8 goes to binaryData",
     {"key.bin": BINARY}, "create configmap b --from-file=key={d}/key.bin --from-literal=x=1",
     {"x": "1"}, {"key": "//4AYmluYXJ5"}),
    ("a literal value keeps every '=' after the first",
     {}, "create configmap m --from-literal=url=a=b --from-literal=empty=", {"url": "a=b", "empty": ""}, None),
]


@pytest.mark.parametrize("description, files, command, data, binary", CONFIGMAPS, ids=[c[0] for c in CONFIGMAPS])
def test_create_configmap_stores_the_keys_kubectl_would(tmp_path, monkeypatch, description, files, command, data,
                                                        binary):
    monkeypatch.setenv("FROM_ENV", "hello")
    monkeypatch.delenv("MISSING_ENV", raising=False)
    c, result = run(tmp_path, files, command)
    name = command.split()[2]
    assert (result.stdout, result.stderr, result.code) == (f"configmap/{name} created\n", "", 0)
    cm = c.api.get("configmaps", name)
    assert cm.get("data") == data
    assert cm.get("binaryData") == binary


SECRETS = [
    ("an env file's values are stored base64-encoded",
     {"full.env": FULL_ENV}, "create secret generic e --from-env-file={d}/full.env",
     {"FROM_ENV": "hello", "MISSING_ENV": "", "empty": "", "last": "x", "spaced": "  v  ", "url": "a=b"}),
    ("--from-env-file repeats for a secret too",
     {"a.env": "a=1\n", "b.env": "b=2\n"},
     "create secret generic e --from-env-file={d}/a.env --from-env-file={d}/b.env",
     {"a": "1", "b": "2"}),
    ("binary file content is kept byte for byte",
     {"key.bin": BINARY}, "create secret generic k --from-file=key={d}/key.bin", {"key": BINARY}),
    ("a directory gives one key per regular file",
     {"keys/id_rsa": "private", "keys/id_rsa.pub": "public", "keys/old": None},
     "create secret generic k --from-file={d}/keys", {"id_rsa": "private", "id_rsa.pub": "public"}),
    ("literals and files combine",
     {"id_rsa": "private"}, "create secret generic k --from-file=ssh-privatekey={d}/id_rsa --from-literal=pass=top",
     {"ssh-privatekey": "private", "pass": "top"}),
]


@pytest.mark.parametrize("description, files, command, data", SECRETS, ids=[s[0] for s in SECRETS])
def test_create_secret_generic_stores_the_values_base64_encoded(tmp_path, monkeypatch, description, files, command,
                                                                data):
    monkeypatch.setenv("FROM_ENV", "hello")
    monkeypatch.delenv("MISSING_ENV", raising=False)
    c, result = run(tmp_path, files, command)
    name = command.split()[3]
    assert (result.stdout, result.stderr, result.code) == (f"secret/{name} created\n", "", 0)
    secret = c.api.get("secrets", name)
    assert secret["type"] == "Opaque"
    expected = {k: base64.b64encode(v if isinstance(v, bytes) else v.encode()).decode() for k, v in data.items()}
    assert secret["data"] == expected


ERRORS = [
    ("a missing --from-file says the file does not exist",
     {}, "create configmap m --from-file={d}/missing.txt", "error reading {d}/missing.txt: no such file or directory"),
    ("a missing --from-file for a secret says the same",
     {}, "create secret generic m --from-file={d}/missing.txt",
     "error reading {d}/missing.txt: no such file or directory"),
    ("a missing --from-env-file says the file does not exist",
     {}, "create secret generic m --from-env-file={d}/nope.env",
     "error reading {d}/nope.env: no such file or directory"),
    ("a key name cannot be given for a directory",
     {"cmdir/a": "1"}, "create configmap m --from-file=k={d}/cmdir", "cannot give a key name for a directory path"),
    ("a file source without a key before '=' is refused",
     {}, "create configmap m --from-file==x", "key name for file path x missing"),
    ("a file source without a path after '=' is refused",
     {}, "create configmap m --from-file=x=", "file path for key name x missing"),
    ("a file source with two '=' is refused",
     {}, "create configmap m --from-file=a=b=c", "key names or file paths cannot contain '='"),
    ("a literal without '=' is refused",
     {}, "create configmap m --from-literal=a", "invalid literal source a, expected key=value"),
    ("a literal starting with '=' is refused",
     {}, "create secret generic m --from-literal==a", "invalid literal source =a, expected key=value"),
    ("a repeated literal key names the ConfigMap, both quoted",
     {}, "create configmap x --from-literal=a=1 --from-literal=a=2",
     'cannot add key "a", another key by that name already exists in Data for ConfigMap "x"'),
    ("a literal repeating a file's key clashes, files being read first",
     {"a.txt": "A"}, "create configmap ab --from-literal=a.txt=dup --from-file={d}/a.txt",
     'cannot add key "a.txt", another key by that name already exists in Data for ConfigMap "ab"'),
    ("a key repeating a binary file's key clashes in BinaryData",
     {"key.bin": BINARY, "a.txt": "A"}, "create configmap bb --from-file=k={d}/key.bin --from-file=k={d}/a.txt",
     'cannot add key "k", another key by that name already exists in BinaryData for ConfigMap "bb"'),
    ("a repeated secret key is named without quotes",
     {}, "create secret generic s --from-literal=a=1 --from-literal=a=2",
     "cannot add key a, another key by that name already exists"),
    ("a key repeated across env files clashes",
     {"a.env": "a=1\n", "b.env": "b=2\na=3\n"},
     "create configmap e --from-env-file={d}/a.env --from-env-file={d}/b.env",
     'cannot add key "a", another key by that name already exists in Data for ConfigMap "e"'),
    ("an invalid ConfigMap key gives the config-key rule",
     {}, "create configmap m --from-literal=bad/key=1",
     f'"bad/key" is not a valid key name for a ConfigMap: {CONFIG_KEY_RULE}'),
    ("an invalid Secret key gives the rule after no colon",
     {}, "create secret generic m --from-literal=bad/key=1",
     f'"bad/key" is not valid key name for a Secret {CONFIG_KEY_RULE}'),
    ("a file in a directory whose name is not a valid key is refused",
     {"bad/has space": "x"}, "create configmap d --from-file={d}/bad",
     f'"has space" is not a valid key name for a ConfigMap: {CONFIG_KEY_RULE}'),
    ("an env-file key must be an environment variable name",
     {"bad.env": "a=1\n1bad=2\n"}, "create configmap e --from-env-file={d}/bad.env",
     f'"1bad" is not a valid key name: {ENV_KEY_RULE}'),
    ("an env-file key keeps the blank before '='",
     {"bad.env": "KEY =2\n"}, "create configmap e --from-env-file={d}/bad.env",
     f'"KEY " is not a valid key name: {ENV_KEY_RULE}'),
    ("an env-file key cannot start with '..'",
     {"dd.env": "..a=1\n"}, "create configmap e --from-env-file={d}/dd.env",
     "\"..a\" is not a valid key name: must not start with '..'"),
    ("a BOM after the first line is part of the key",
     {"bom.env": b"\xef\xbb\xbfa=1\n\xef\xbb\xbfb=2\n"}, "create configmap e --from-env-file={d}/bom.env",
     f'"\\ufeffb" is not a valid key name: {ENV_KEY_RULE}'),
    ("an env file that is not UTF-8 shows the line's bytes",
     {"bin.env": b"a=1\nb=\xff\xfe\n"}, "create configmap e --from-env-file={d}/bin.env",
     "env file {d}/bin.env contains invalid utf8 bytes at line 2: [98 61 255 254]"),
    ("an env file cannot be a directory for a ConfigMap",
     {"cmdir": None}, "create configmap e --from-env-file={d}/cmdir", "env config file cannot be a directory"),
    ("an env file cannot be a directory for a Secret",
     {"cmdir": None}, "create secret generic e --from-env-file={d}/cmdir", "env secret file cannot be a directory"),
    ("env files do not combine with literals",
     {"a.env": "a=1\n"}, "create configmap m --from-env-file={d}/a.env --from-literal=b=2",
     "from-env-file cannot be combined with from-file or from-literal"),
]


@pytest.mark.parametrize("description, files, command, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_sources_fail_with_kubectls_message_and_create_nothing(tmp_path, description, files, command, message):
    c, result = run(tmp_path, files, command)
    assert (result.stdout, result.stderr, result.code) == ("", f"error: {message.replace('{d}', str(tmp_path))}\n", 1)
    assert [cm["metadata"]["name"] for cm in c.api.list("configmaps", "default")] == ["kube-root-ca.crt"]
    assert c.api.list("secrets", "default") == []


HASHED = [
    ("a configmap's hash covers its data", {}, "create configmap h --from-literal=a=1 --append-hash",
     "configmap/h-h5t56b2k8g"),
    ("an empty configmap still gets a hash", {}, "create configmap h --append-hash", "configmap/h-9927b88h56"),
    ("binaryData and HTML characters enter the hash as Go's JSON encodes them",
     {"key.bin": BINARY}, "create configmap h --from-literal=a=<&> --from-file=key={d}/key.bin --append-hash",
     "configmap/h-2k922d527b"),
    ("a secret's hash covers its data", {}, "create secret generic h --from-literal=a=1 --append-hash",
     "secret/h-kfk7g62b7c"),
    ("an empty secret still gets a hash", {}, "create secret generic h --append-hash", "secret/h-64td2dhm9t"),
    ("a secret's hash covers its type", {"key.bin": BINARY},
     "create secret generic h --from-literal=a=<&> --type=my-type --from-file=key={d}/key.bin --append-hash",
     "secret/h-htddd7f498"),
]


@pytest.mark.parametrize("description, files, command, created", HASHED, ids=[h[0] for h in HASHED])
def test_append_hash_names_the_object_after_its_content(tmp_path, description, files, command, created):
    c, result = run(tmp_path, files, command)
    assert (result.stdout, result.stderr, result.code) == (f"{created} created\n", "", 0)
    kind, name = created.split("/")
    assert c.api.get(kind + "s", name)["metadata"]["name"] == name


@pytest.mark.parametrize("description, computed, expected", [
    ("an empty configmap", config_map_hash("", {}, {}), "42745tchd9"),
    ("one configmap key", config_map_hash("", {"one": ""}, {}), "9g67k2htb6"),
    ("configmap keys in any order", config_map_hash("", {"two": "2", "one": "", "three": "3"}, {}), "f5h7t85m9b"),
    ("a string and a binary key", config_map_hash("", {"one": ""}, {"two": b""}), "698h7c7t9m"),
    ("an empty secret", secret_hash("", "my-type", {}), "t75bgf6ctb"),
    ("secret keys in any order", secret_hash("", "my-type", {"two": b"2", "one": b"", "three": b"3"}), "dgcb6h9tmk"),
])
def test_the_hash_matches_the_upstream_hash_test_table(description, computed, expected):
    assert computed == expected


def test_a_binary_configmap_prints_binary_data_before_data_in_a_client_dry_run(tmp_path):
    _, result = run(tmp_path, {"key.bin": BINARY, "a.txt": "A"},
                    "create configmap b --from-file=key={d}/key.bin --from-file={d}/a.txt --dry-run=client -o yaml")
    assert result.stdout == ("apiVersion: v1\nbinaryData:\n  key: //4AYmluYXJ5\ndata:\n  a.txt: A\nkind: ConfigMap\n"
                             "metadata:\n  creationTimestamp: null\n  name: b\n")
    assert result.code == 0


def test_the_environment_of_kubectl_fills_a_bare_key(tmp_path, monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", "s3cret")
    c, result = run(tmp_path, {"creds.env": "DB_PASSWORD\nDB_USER=app\n"},
                    "create secret generic creds --from-env-file={d}/creds.env")
    assert result.code == 0, result.stderr
    assert c.api.get("secrets", "creds")["data"] == {"DB_PASSWORD": "czNjcmV0", "DB_USER": "YXBw"}


def test_an_unreadable_file_gives_the_open_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    write_files(tmp_path, {"locked.txt": "x"})
    (tmp_path / "locked.txt").chmod(0)
    _, result = run(tmp_path, {}, "create configmap m --from-file={d}/locked.txt")
    assert result.stderr == f"error: open {tmp_path}/locked.txt: permission denied\n"
