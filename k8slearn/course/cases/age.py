"""Cases for the AGE column: how kubectl writes a duration for humans.

kubectl never prints ``7384s``: it keeps two units while the bigger one is small and one
unit after that. Seconds up to 119 (``119s``), then minutes and seconds below 10 minutes
(``2m5s``), whole minutes below 3 hours (``179m``), hours and minutes below 8 hours
(``3h5m``), whole hours below 2 days (``47h``), days and hours below 8 days (``2d3h``), whole
days below 2 years, years and days below 8 years, then whole years. Fractions are cut, not
rounded, and a clock up to one second in the future still reads ``0s``.

>>> [c.expected for c in HUMAN_DURATION.cases[:4]]
['0s', '59s', '59s', '119s']

Simplified: the input is a number of seconds (Go passes a time.Duration).

Upstream: staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go (HumanDuration)
"""

from __future__ import annotations

from k8slearn.course.cases.table import Case, CaseTable

MINUTE, HOUR, DAY, YEAR = 60, 3600, 86400, 365 * 86400

HUMAN_DURATION = CaseTable(
    name="age.human_duration",
    signature="human_duration(seconds: float) -> str",
    description="The AGE string kubectl prints for an object created that many seconds ago.",
    cases=[
        Case("a brand-new object is 0s old", (0,), "0s"),
        Case("under two minutes the age is in seconds", (59,), "59s"),
        Case("fractions of a second are cut, not rounded", (59.9,), "59s"),
        Case("even 119 seconds is still written in seconds", (119,), "119s"),
        Case("two minutes exactly is 2m", (2 * MINUTE,), "2m"),
        Case("under ten minutes the seconds are kept", (2 * MINUTE + 5,), "2m5s"),
        Case("just under ten minutes keeps both units", (9 * MINUTE + 59,), "9m59s"),
        Case("from ten minutes on only minutes are shown", (10 * MINUTE + 30,), "10m"),
        Case("two hours are still written as minutes", (2 * HOUR,), "120m"),
        Case("three hours exactly is 3h", (3 * HOUR,), "3h"),
        Case("under eight hours the minutes are kept", (3 * HOUR + 5 * MINUTE,), "3h5m"),
        Case("from eight hours on only hours are shown", (8 * HOUR + 59 * MINUTE,), "8h"),
        Case("under two days the age is in hours", (47 * HOUR,), "47h"),
        Case("two days exactly is 2d", (2 * DAY,), "2d"),
        Case("under eight days the hours are kept", (2 * DAY + 3 * HOUR,), "2d3h"),
        Case("from eight days on only days are shown", (8 * DAY + 5 * HOUR,), "8d"),
        Case("under two years the age is in days", (400 * DAY,), "400d"),
        Case("two years exactly is 2y", (2 * YEAR,), "2y"),
        Case("under eight years the days are kept", (2 * YEAR + 5 * DAY,), "2y5d"),
        Case("from eight years on only years are shown", (9 * YEAR + 100 * DAY,), "9y"),
        Case("a creation time one second in the future still reads 0s", (-1,), "0s"),
        Case("a creation time further in the future is invalid", (-5,), "<invalid>"),
    ],
)
