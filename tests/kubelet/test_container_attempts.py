"""A pod's container attempts, kept as one flat tuple, read exactly as the dict the kubelet kept."""

import pytest

from k8slearn.kubelet.container_attempts import NO_ATTEMPTS


@pytest.mark.parametrize(
    "starts",
    [
        pytest.param([], id="no container created yet reads as an empty dict"),
        pytest.param([("app", "c1")], id="one container's first attempt"),
        pytest.param([("app", "c1"), ("app", "c2"), ("app", "c3")], id="a container restarted twice"),
        pytest.param([("init", "i1"), ("app", "a1"), ("sidecar", "s1"), ("app", "a2")],
                     id="several containers keep the order of their first attempts"),
        pytest.param([("b", "1"), ("a", "2"), ("b", "3")], id="names out of alphabetical order stay in theirs"),
    ],
)
def test_attempts_read_as_the_plain_dict(starts):
    attempts, plain = NO_ATTEMPTS, {}
    for name, container_id in starts:
        before = attempts
        attempts = attempts.with_id(name, container_id)
        plain[name] = plain.get(name, ()) + (container_id,)  # the kubelet's dict, as it was
        assert before is not attempts and dict(before.items()) != plain  # a value never changes
    assert list(attempts) == list(plain) and list(attempts.items()) == list(plain.items())
    assert len(attempts) == len(plain) and attempts == plain
    for name in ("app", "init", "sidecar", "a", "b", "missing"):
        assert attempts.get(name, ()) == plain.get(name, ()) and attempts.get(name, []) == plain.get(name, [])
        assert (name in attempts) == (name in plain)
        if name in plain:
            assert attempts[name] == plain[name]
        else:
            with pytest.raises(KeyError):
                attempts[name]
    assert repr(attempts) == repr(plain)
