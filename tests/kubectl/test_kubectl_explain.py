"""kubectl explain over the shipped v1.32 schemas (byte-for-byte cases are in golden.json)."""

import pytest
from kubectl_kit import new_server

from k8slearn.api.resources import RESOURCES
from k8slearn.kubectl.explain import explain, schemas, word_wrap


@pytest.mark.parametrize("plural", sorted(r.plural for r in RESOURCES.values()))
def test_every_served_kind_has_its_schema_and_explains_recursively(plural):
    text, error = explain(plural, recursive=True)
    assert error == ""
    assert "\nFIELDS:\n" in text and "\n  apiVersion\t<string>\n" in text
    assert "\n  metadata\t<ObjectMeta>" in text and "\n    annotations\t<map[string]string>\n" in text


@pytest.mark.parametrize("text, limit, wrapped", [
    ("words fit on one line", 40, "words fit on one line"),
    ("the quick brown fox", 9, "the quick\nbrown fox"),
    ("a word longer than the limit stays whole: https://example.com/x/y/z", 20,
     "a word longer than\nthe limit stays\nwhole:\nhttps://example.com/x/y/z"),
    ("newlines are kept\n\n - and lines restart after them", 12,
     "newlines are\nkept\n\n - and lines\nrestart\nafter them"),
], ids=["short text is unchanged", "breaks at the last space that fits", "a long word gets its own line",
        "newlines are kept and restart the count"])
def test_word_wrap_breaks_as_go_wordwrap(text, limit, wrapped):
    assert word_wrap(text, limit) == wrapped


def test_enum_values_come_only_where_the_v1_32_text_matches():
    container = schemas()["io.k8s.api.core.v1.Container"]["properties"]
    assert container["imagePullPolicy"]["enum"] == ["Always", "IfNotPresent", "Never"]
    assert "enum" not in container["name"]
    assert "enum" not in schemas()["io.k8s.api.core.v1.Pod"]["properties"]["apiVersion"]


def test_the_openapi_v2_template_is_refused_with_a_reason():
    result = new_server()[2].run("explain pods -o plaintext-openapiv2")
    assert (result.stdout, result.code) == ("", 1)
    assert result.stderr.startswith("error: -o plaintext-openapiv2 is not available in this simulated cluster")
