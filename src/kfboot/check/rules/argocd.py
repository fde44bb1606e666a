"""What Argo CD accepts, as the Application rules compare against it.

Each value cites where it comes from; a rule module holds logic, this module holds facts.
"""

from __future__ import annotations

import re

# A sync wave is a Go int (64-bit) parsed with strconv.Atoi; outside the range Argo CD uses 0.
WAVE_MIN, WAVE_MAX = -(2**63), 2**63 - 1
# user-guide/sync-waves.md: the wave is this annotation's value, read with strconv.Atoi.
WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"
# What strconv.Atoi accepts (an optional sign, decimal digits).
INTEGER = re.compile(r"[+-]?[0-9]+\Z")


def atoi(value: object) -> int | None:
    """The wave ``strconv.Atoi`` reads from ``value`` on a 64-bit platform, or None when it fails
    (outside int64 too: Argo CD then silently uses wave 0)."""
    if not isinstance(value, str) or not INTEGER.match(value):
        return None
    number = int(value)
    return number if WAVE_MIN <= number <= WAVE_MAX else None


# Argo CD's sync-options documentation, exactly; Argo CD compares these as plain strings.
SYNC_OPTIONS = frozenset(
    [
        "Validate=false",
        "SkipDryRunOnMissingResource=true",
        "Prune=false",
        "Prune=confirm",
        "Delete=false",
        "Delete=confirm",
        "ApplyOutOfSyncOnly=true",
        "PrunePropagationPolicy=foreground",
        "PrunePropagationPolicy=background",
        "PrunePropagationPolicy=orphan",
        "PruneLast=true",
        "Replace=true",
        "Force=true",
        "ServerSideApply=true",
        "ServerSideApply=false",
        "ClientSideApplyMigration=false",
        "FailOnSharedResource=true",
        "RespectIgnoreDifferences=true",
        "CreateNamespace=true",
    ]
)
# Sync options of the form Name=false are valid wherever Name=true is: Argo CD compares options
# as exact strings (types.go SyncOptions.HasOption), so an unrecognised Name=false is the same as
# leaving the option out, which is what it says (Validate=false, ServerSideApply=false ... act).
SYNC_OPTIONS = SYNC_OPTIONS | {
    option.removesuffix("=true") + "=false" for option in SYNC_OPTIONS if option.endswith("=true")
}
# Read from a resource's argocd.argoproj.io/sync-options annotation and, only since v3.4.0
# (b7e2027f35, #23370), from an Application's spec.syncPolicy.syncOptions too, where they cover
# every object of the Application (argo-cd v3.4.7 docs/user-guide/sync-options.md "No Prune
# Resources", "No Resource Deletion"; controller/appcontroller.go shouldBeDeleted L1211-1219;
# gitops-engine pkg/sync/sync_context.go objRequiresPruneConfirmation L322-340). Older Argo CD
# ignores them there; the annotation, on the objects to protect, stays the precise tool.
ANNOTATION_ONLY = frozenset(["Prune=false", "Prune=confirm", "Delete=false", "Delete=confirm"])
# sync-options.md: Replace uses kubectl replace/create, Force deletes and recreates on failure.
DESTRUCTIVE = ("Force=true", "Replace=true")
# Go's time.ParseDuration; Argo CD also reads a bare integer as seconds.
# A fixed list index in a jq path (``.webhooks[0]``), where ``[]?`` covers every item.
JQ_INDEX = re.compile(r"\[\s*[0-9]+\s*\]")
# An exact SemVer 2 version, as Helm chart versions are; anything else is a range to Argo CD.
EXACT_VERSION = re.compile(
    r"v?(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)"
    r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?\Z"
)
