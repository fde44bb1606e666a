"""What the cluster says is untrusted: names are checked before they reach kubectl's argv, and
text is stripped of terminal control sequences before it reaches the user's terminal.

A resource name in an Application's ``status.resources`` is written by whoever controls the
Application; ``--server=https://evil.example.com`` there would be read by kubectl as an option
(sending the user's credentials elsewhere) if it were passed as an argument unchecked. A pod log
or an Application message can hold escape sequences that rewrite the terminal (or its title,
clipboard and hyperlinks).
"""

from __future__ import annotations

import re
from typing import Any

from kfboot.errors import KfbootError
from kfboot.findings import redact

# Kubernetes object names (DNS-1123 subdomain, apimachinery validation.IsDNS1123Subdomain) and
# namespaces (DNS-1123 label); a resource is a plural name, optionally group-qualified.
_SUBDOMAIN = re.compile(r"[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\Z")
_LABEL = re.compile(r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\Z")
_LABEL_KEY = re.compile(
    r"(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?\Z"
)
_LABEL_VALUE = re.compile(r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?\Z")
# ESC-introduced sequences (CSI, OSC up to BEL or ST, other two-byte escapes), then any other
# C0/C1 control character except tab and line feed.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]"
)
# Bidi and zero-width characters too: they reorder or hide what is printed (CVE-2021-42574).
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def clean(text: str) -> str:
    """``text`` without terminal control sequences (tabs and line feeds kept), and without the
    credentials a cluster may hold (a repoURL's user-info, ``?token=`` in a condition message),
    which kfboot must not print in any format."""
    return redact(_CONTROLS.sub("", _ESCAPES.sub("", text)))


def cleaned(data: Any) -> Any:
    """Parsed JSON with :func:`clean` applied to every string, keys included."""
    if isinstance(data, str):
        return clean(data)
    if isinstance(data, list):
        return [cleaned(item) for item in data]
    if isinstance(data, dict):
        return {cleaned(key): cleaned(value) for key, value in data.items()}
    return data


def _refuse(what: str, value: str) -> KfbootError:
    return KfbootError(
        f"the cluster returned an invalid {what} {clean(value)!r}; refusing to use it"
    )


def name(value: str, what: str = "name") -> str:
    """``value`` if it is a valid Kubernetes object name (or ``resource/name``)."""
    if not all(_SUBDOMAIN.match(part) for part in value.split("/", 1)):
        raise _refuse(what, value)
    return value


def namespace(value: str) -> str:
    if not _LABEL.match(value):
        raise _refuse("namespace", value)
    return value


def selector(labels: dict[str, Any]) -> str:
    """``k=v,...`` for a label selector whose keys and values are all valid labels."""
    for key, value in labels.items():
        if not (
            isinstance(value, str) and _LABEL_KEY.match(str(key)) and _LABEL_VALUE.match(value)
        ):
            raise _refuse("label selector", f"{key}={value}")
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
