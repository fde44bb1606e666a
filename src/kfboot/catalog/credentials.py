"""Credentials in the catalog: URLs carrying user-info, and secret-looking keys with literal values.

Everything in ``waves.yaml`` is rendered into files that are committed and read by everyone with
access to the repository, so a credential there is a leak. A URL with user-info anywhere in the
catalog (``helm.repoURL``, ``argocd.repoURL``, a URL inside chart values or a patch) is refused
outright: there is never a reason to write one. A credential-like key with a literal value
(``password: hunter2``) is a ``check`` error instead, because some charts take a non-secret value
under such a name; a component may ``ignore`` it with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kfboot.findings import USERINFO_URL, redact

Loc = tuple[str | int, ...]

# Keys whose value is a credential, compared without case, '-' or '_'. Names that point at where
# the secret lives (existingSecret, passwordSecretRef, tokenFile, secretName) are not credentials.
_CREDENTIAL_KEY = re.compile(
    r"(?:password|passwd|passphrase|token|secret|clientsecret|privatekey|sshprivatekey|apikey"
    r"|accesskey|secretkey|credentials?|bearer|webhooksecret|cookiesecret)\Z"
)
_REFERENCE_KEY = re.compile(
    r"^(?:existing|use)|(?:ref|name|names|file|path|(?:password|token|secret)keys?)\Z"
)


def url_problem(text: str) -> str | None:
    """Why a string holding a URL with user-info or a token must not be in the catalog, or None."""
    if USERINFO_URL.search(text):
        return (
            "a URL carries a user name or password; credentials must not be committed: "
            "configure them in Argo CD (a repository or repo-creds Secret) instead"
        )
    if "://" in text and redact(text) != text:
        # A token-like query parameter (?token=, ?access_token=, X-Amz-Signature=) is as much a
        # credential as user-info: the messages redact it, so the committed file must not hold it.
        return (
            "a URL carries a token-like query parameter; credentials must not be committed: "
            "configure them in Argo CD or reference a Secret instead"
        )
    return None


def url_problems(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every string under ``data`` (a dumped catalog) that holds a URL with user-info."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from url_problems(value, (*loc, key))
    elif isinstance(data, (list, tuple)):
        for i, value in enumerate(data):
            yield from url_problems(value, (*loc, i))
    elif isinstance(data, str):
        problem = url_problem(data)
        if problem:
            yield loc, problem


def is_credential_key(key: str) -> bool:
    normal = key.replace("-", "").replace("_", "").lower()
    return bool(_CREDENTIAL_KEY.search(normal)) and not _REFERENCE_KEY.search(normal)


def literal_credentials(values: Any, loc: Loc = ()) -> Iterator[Loc]:
    """Paths under ``values`` whose key looks like a credential and whose value is a literal.

    Also a ``{name: db.password, value: x}`` pair (Helm ``parameters``) at its ``value``, and a
    kustomize ``patch`` text that holds such a key (at the ``patch``)."""
    if isinstance(values, dict):
        named = is_credential_key(str(values.get("name", "")))
        for key, value in values.items():
            here = (*loc, key)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                credential = is_credential_key(str(key)) or (named and key == "value")
                if (credential and not _is_reference(str(value))) or (
                    key == "patch" and isinstance(value, str) and masked(value) != value
                ):
                    yield here
            else:
                yield from literal_credentials(value, here)
    elif isinstance(values, list):
        for i, value in enumerate(values):
            yield from literal_credentials(value, (*loc, i))


def masked(value: Any) -> Any:
    """``value`` with the literal of every credential-like key replaced by ``***``, for a message
    that names a value kfboot does not carry (nothing a user pasted is echoed to a CI log). A
    string is masked line by line as YAML (``password: x`` in a chart's ``values`` text), and a
    ``{name: password, value: x}`` pair (Helm ``parameters``, env) as the key it names."""
    if isinstance(value, dict):
        named = is_credential_key(str(value.get("name", ""))) and "value" in value
        return {
            k: "***"
            if (named and k == "value")
            or (is_credential_key(str(k)) and isinstance(v, (str, int, float)))
            else masked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, str) and ":" in value:
        return "\n".join(redact_diff(f" {line}")[1:] for line in value.split("\n"))
    return value


def _is_reference(value: str) -> bool:
    # ${ENV}, $(VAR) and {{ template }} values are filled in elsewhere, not committed secrets.
    return bool(re.fullmatch(r"\s*(?:\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\})\s*", value))


# A YAML ``key: value`` line of a unified diff (after its ' ', '+' or '-' column).
_DIFF_PAIR = re.compile(
    r"""^([ +-][ \t]*(?:-[ \t]+)?(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([\w./-]+)):[ \t]+)"""
    r"""(.*\S)[ \t]*$"""
)


# A ``key: value`` pair inside a flow collection (``values: {adminPassword: x}``), and a
# ``name: <credential-like key>`` pair before its ``value:`` (Helm ``parameters`` in flow style).
_FLOW_PAIR = re.compile(
    r"""((?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([\w./-]+))[ \t]*:[ \t]+)"""
    r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|\$\{[^}]*\}|\{\{.*?\}\}|[^\s,{}\[\]][^,{}\[\]]*)"""
)


def _redact_flow(text: str) -> str:
    """``text`` (a flow collection on one line) with credential-like keys' literals as ``***``."""
    named = False

    def one(match: re.Match[str]) -> str:
        nonlocal named
        key = next((g for g in match.groups()[1:4] if g is not None), "")
        value = match.group(5).strip()
        credential = is_credential_key(key) or (named and key == "value")
        named = key == "name" and is_credential_key(value.strip("'\""))
        if credential and value[0] not in "&*#" and not _is_reference(value.strip("'\"")):
            return match.group(1) + "***"
        return match.group(0)

    return _FLOW_PAIR.sub(one, text)


def redact_diff(diff: str) -> str:
    """``diff`` with the literal values of credential-like keys replaced by ``***``.

    A diff shows the rendered files, and so any ``password: ...`` the catalog holds (a
    ``credential-literal`` error, or one a reasoned ``ignore`` allows): a CI log must not.
    """
    lines = []
    named = False  # the previous pair was ``name: <a credential-like key>`` (Helm parameters)
    for line in diff.split("\n"):
        match = None if line.startswith(("+++", "---")) else _DIFF_PAIR.match(line)
        key = next((g for g in match.groups()[1:4] if g is not None), "") if match else ""
        value = match.group(5) if match else ""
        literal = (
            bool(value) and value[0] not in "|>[{&*#" and not _is_reference(value.strip("'\""))
        )
        if match and literal and (is_credential_key(key) or (named and key == "value")):
            line = match.group(1) + "***"
        elif match and value[:1] in "{[":  # a flow collection: values: {adminPassword: x}
            line = match.group(1) + _redact_flow(value)
        elif not match and line[:1] in " +-" and re.match(r"[ \t]*(?:-[ \t]+)?[{\[]", line[1:]):
            line = line[0] + _redact_flow(line[1:])  # - {name: db.password, value: x}
        if match:
            named = key == "name" and is_credential_key(value.strip("'\""))
        lines.append(line)
    return "\n".join(lines)
