"""How kubectl turns an error into the text on stderr (``cmdutil.CheckErr``).

* an API ``Invalid`` error: ``The Pod "x" is invalid: <field>: <message>``, or with several
  causes ``The Deployment "web" is invalid: `` then one ``* field: message`` line per cause (with
  neither a kind, a name nor causes: ``The request is invalid: <the server's message>``);
* any other API error: ``Error from server (NotFound): pods "x" not found``;
* several errors at once (one per document or per name): each on its own line, no prefix;
* anything else: ``error: <message>``. The exit code is 1.

>>> from k8slearn.api.errors import ApiError
>>> nf = ApiError({"status": "Failure", "reason": "NotFound", "code": 404, "message": 'pods "x" not found'})
>>> print(render(nf), end="")
Error from server (NotFound): pods "x" not found
>>> print(render(Aggregate([nf, KubectlError("boom")])), end="")
Error from server (NotFound): pods "x" not found
boom

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go (checkErr, StandardErrorMessage,
MultilineError, MultipleErrors, UsageErrorf, AddSourceToErr)
"""

from __future__ import annotations

from typing import Any

__all__ = ["KubectlError", "Aggregate", "ExitSilently", "usage_error", "render", "message_for", "add_source"]


class KubectlError(Exception):
    """A client-side error; printed as ``error: <message>``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class Aggregate(Exception):
    """Several errors reported together (utilerrors.Aggregate)."""

    def __init__(self, errors: list[Exception]) -> None:
        super().__init__(_aggregate_message(errors))
        self.errors = errors


def _aggregate_message(errors: list[Exception]) -> str:
    """aggregate.Error(): nested aggregates flattened, repeated messages once; one message as it is,
    several in brackets.

    >>> _aggregate_message([KubectlError("a")]), _aggregate_message([KubectlError("a"), KubectlError("b")])
    ('a', '[a, b]')
    >>> _aggregate_message([Aggregate([KubectlError("a")]), KubectlError("a")])
    'a'
    """
    seen: list[str] = []

    def visit(errs: list[Exception]) -> None:
        for err in errs:
            if isinstance(err, Aggregate):
                visit(err.errors)
            else:
                msg = str(err)  # an API error's text is its Status message, as in Go
                if msg not in seen:
                    seen.append(msg)
    visit(errors)
    return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"


class ExitSilently(Exception):
    """cmdutil.ErrExit: exit with a code, print nothing more."""

    def __init__(self, code: int = 1) -> None:
        super().__init__("exit")
        self.code = code


def usage_error(command_path: str, message: str) -> KubectlError:
    """cmdutil.UsageErrorf: the message, then how to get help."""
    return KubectlError(f"{message}\nSee '{command_path} -h' for help and examples")


def _is_api_error(err: Exception) -> bool:
    return hasattr(err, "status") and isinstance(getattr(err, "status"), dict)


def message_for(err: Exception) -> str:
    """messageForError: StandardErrorMessage, or the plain error text."""
    if _is_api_error(err):
        status = err.status  # type: ignore[attr-defined]
        reason, message = status.get("reason", ""), status.get("message", "")
        if reason == "Unauthorized":
            return f"error: You must be logged in to the server ({message})"
        if reason:
            return f"Error from server ({reason}): {message}"
        return f"Error from server: {message}"
    if isinstance(err, Aggregate):
        return str(err)
    return getattr(err, "message", None) or str(err)


def render(err: Exception) -> str:
    """The stderr text for an error that ends the command (always ends with a newline)."""
    if isinstance(err, Aggregate) and len(err.errors) == 1:
        err = err.errors[0]
    if isinstance(err, ExitSilently):
        return ""
    if _is_api_error(err) and err.status.get("reason") == "Invalid":  # type: ignore[attr-defined]
        return _invalid(err.status)  # type: ignore[attr-defined]
    if isinstance(err, Aggregate):
        return "".join(message_for(e) + "\n" for e in err.errors)
    if _is_api_error(err):
        return message_for(err) + "\n"
    msg = message_for(err)
    if not msg.startswith("error: "):
        msg = "error: " + msg
    return msg if msg.endswith("\n") else msg + "\n"


def _invalid(status: dict) -> str:
    """checkErr's Invalid case (a Status whose reason is Invalid). Without kind, name and causes the
    server's message follows (a JSON patch that does not apply: ``The request is invalid: the server
    rejected our request due to an error in our request``).

    >>> _invalid({"message": "the server rejected our request due to an error in our request", "details": {}})
    'The request is invalid: the server rejected our request due to an error in our request\\n'
    >>> _invalid({"message": "x", "details": {"causes": [{"message": "test failed"}]}})
    'The request is invalid: : test failed\\n'
    """
    details = status.get("details")
    message = status.get("message") or ""
    text = "The request is invalid"
    if details is None:  # "if we have no other details, include the message from the server if present"
        return f"{text}: {message}\n" if message else text + "\n"
    causes = details.get("causes") or []
    if details.get("kind") or details.get("name"):
        text = f'The {details.get("kind", "")} "{details.get("name", "")}" is invalid'
    elif message and not causes:
        text += ": " + message
    if not causes:
        return text + "\n"
    seen: list[str] = []
    for cause in causes:
        line = f"{cause.get('field', '')}: {cause.get('message', '')}"
        if line not in seen:
            seen.append(line)
    if len(seen) == 1:
        return f"{text}: {seen[0]}\n"
    return f"{text}: \n" + "".join(f"* {line}\n" for line in seen)


def add_source(verb: str, source: str, err: Exception) -> Exception:
    """cmdutil.AddSourceToErr: prefix the message with ``error when <verb> "<source>": ``."""
    if not source:
        return err
    if _is_api_error(err):
        status = dict(err.status)  # type: ignore[attr-defined]
        status["message"] = f'error when {verb} "{source}": {status.get("message", "")}'
        clone: Any = type(err)(status)
        return clone
    return KubectlError(f'error when {verb} "{source}": {message_for(err)}')


def errno_text(err: OSError) -> str:
    """A syscall.Errno's text as Go prints it (``no such file or directory``): strerror, lower-case start."""
    import os

    text = os.strerror(err.errno) if err.errno else str(err)
    return text[:1].lower() + text[1:]
