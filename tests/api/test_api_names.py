"""Name rules: the exact apimachinery messages for DNS labels, subdomains and qualified names."""

import pytest

from k8slearn.api.names import (
    is_config_map_key, is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_qualified_name,
    is_valid_label_value, is_valid_port_name, mask_trailing_dash,
)

SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                 "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
             "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
               "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
               "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
NAME_PART_MSG = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                 "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                 "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")

CASES = [
    (is_dns1123_subdomain, "web.example.com", [], "a dotted lowercase name is a valid subdomain"),
    (is_dns1123_subdomain, "My_Pod", [SUBDOMAIN_MSG], "uppercase and underscore break the subdomain rule"),
    (is_dns1123_subdomain, "a" * 254, ["must be no more than 253 characters"],
     "254 characters is too long for a subdomain"),
    (is_dns1123_label, "web-1", [], "a lowercase hyphenated name is a valid label"),
    (is_dns1123_label, "Web", [LABEL_MSG], "an uppercase letter breaks the label rule"),
    (is_dns1123_label, "dev.team", ["must not contain dots"],
     "a valid subdomain is reported as containing dots"),
    (is_dns1123_label, "a" * 64, ["must be no more than 63 characters"],
     "64 characters is too long for a label"),
    (is_dns1035_label, "1web", [DNS1035_MSG], "a DNS-1035 label may not start with a digit"),
    (is_dns1035_label, "web", [], "a lowercase word is a valid DNS-1035 label"),
    (is_qualified_name, "app.kubernetes.io/name", [], "a prefixed key is a valid qualified name"),
    (is_qualified_name, "app:web", [NAME_PART_MSG], "a colon breaks the name part"),
    (is_qualified_name, "/app", ["prefix part must be non-empty"], "an empty prefix is reported"),
    (is_qualified_name, "Example.com/app", ["prefix part " + SUBDOMAIN_MSG],
     "an uppercase prefix breaks the subdomain rule"),
    (is_qualified_name, "", ["name part must be non-empty", NAME_PART_MSG],
     "an empty key is empty and unmatched"),
    (is_qualified_name, "a" * 64, ["name part must be no more than 63 characters"],
     "a 64-character name part is too long"),
    (is_valid_label_value, "", [], "an empty label value is valid"),
    (is_valid_label_value, "v1.2_beta", [], "dots and underscores are allowed in label values"),
    (is_config_map_key, "..data", ["must not start with '..'"], "a config key may not start with two dots"),
    (is_valid_port_name, "http", [], "http is a valid port name"),
    (is_valid_port_name, "8080", ["must contain at least one letter (a-z)"],
     "a numeric port name needs a letter"),
]


@pytest.mark.parametrize("fn,value,expected", [c[:3] for c in CASES], ids=[c[3] for c in CASES])
def test_name_rules_report_apimachinerys_messages(fn, value, expected):
    assert fn(value) == expected


def test_a_qualified_name_with_two_slashes_gets_the_whole_name_message():
    [msg] = is_qualified_name("a/b/c")
    assert msg.startswith("a qualified name must consist of alphanumeric characters")
    assert msg.endswith("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")


MASKS = [("web-", "wea", "a trailing dash drops two characters and adds an a"),
         ("web", "web", "a name without a trailing dash is unchanged")]


@pytest.mark.parametrize("name,masked", [m[:2] for m in MASKS], ids=[m[2] for m in MASKS])
def test_generate_name_prefixes_are_masked_like_upstream(name, masked):
    assert mask_trailing_dash(name) == masked
