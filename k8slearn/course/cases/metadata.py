"""Cases for label values: which strings may be the value of a label?

A label value must be short and plain, because the API server indexes labels and selectors
compare them: at most 63 characters, only letters, digits, ``-``, ``_`` and ``.``, starting and
ending with a letter or digit; the empty string is allowed. Anything else (an e-mail address,
a URL, a sentence) belongs in an annotation, whose values may be any text.

>>> IS_VALID_LABEL_VALUE["an e-mail address is not a label value"].args
('alice@example.com',)

Simplified: only the value; label keys (an optional DNS-subdomain prefix, ``/``, a name of at
most 63 characters) follow similar rules.

Upstream: staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go (IsValidLabelValue)
"""

from __future__ import annotations

from k8slearn.course.cases.table import Case, CaseTable

IS_VALID_LABEL_VALUE = CaseTable(
    name="metadata.is_valid_label_value",
    signature="is_valid_label_value(value: str) -> bool",
    description="Whether the API server accepts this string as the value of a label.",
    cases=[
        Case("a plain lowercase word is a label value", ("web",), True),
        Case("letters digits dashes and dots are allowed", ("v1.27-rc.1",), True),
        Case("uppercase letters and underscores are allowed", ("Prod_EU",), True),
        Case("the empty string is a valid label value", ("",), True),
        Case("one letter or digit is a label value: it both starts and ends the value", ("7",), True),
        Case("sixty-three characters is the longest value", ("a" * 63,), True),
        Case("sixty-four characters is one too many", ("a" * 64,), False),
        Case("a value may not contain a space", ("hello world",), False),
        Case("an e-mail address is not a label value", ("alice@example.com",), False),
        Case("a url is not a label value", ("https://wiki.example.com/web",), False),
        Case("a value may not start with a dash", ("-web",), False),
        Case("a value may not end with a dot", ("web.",), False),
        Case("a trailing newline is not allowed either (a regex's $ would let it through)", ("web\n",), False),
    ],
)
