"""The schema of the data directory: every file kind's columns, the id rule, the words and codes.

One home for what a data file may contain, used by validation, new-week, import, demo-data
and the site alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LINE = "_line"  # the column that keeps each row's line number as an editor shows it
FILE = "_file"  # the column that keeps each row's file path

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
ROLES = ("sales", "marketing")
TARGET_METRICS = (
    "revenue",
    "units",
    "actual_calls",
    "effective_calls",
    "new_prospects",
    "activities_done",
)
DEFAULT_ACTIVITY_TYPES = (
    "demo",
    "promotion",
    "event",
    "campaign",
    "social_media",
    "follow_up",
    "meeting",
    "training",
)
# Yes/no words of canonical files (SPEC section 2), compared case-insensitively; empty means no.
TRUE_WORDS = ("yes", "y", "true", "1", "ya")
FALSE_WORDS = ("no", "n", "false", "0", "tidak", "")
OUTLET_TYPES = ("store", "reseller", "buyer")
STAGES = ("new", "contacted", "qualified", "proposal", "won", "lost")
CLOSED_STAGES = ("won", "lost")


@dataclass(frozen=True)
class FileSpec:
    """The columns of one kind of CSV file, in the order SPEC section 2 lists them."""

    name: str
    columns: tuple[str, ...]
    optional_columns: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        """Return the file's kind, e.g. "calls" for calls.csv."""
        return self.name.removesuffix(".csv")

    @property
    def required(self) -> tuple[str, ...]:
        """Return the columns every file of this kind must have."""
        return tuple(c for c in self.columns if c not in self.optional_columns)

    @property
    def optional(self) -> tuple[str, ...]:
        """Return the columns a file may leave out (read as empty)."""
        return tuple(c for c in self.columns if c in self.optional_columns)


OUTLETS = FileSpec(
    "outlets.csv",
    ("outlet_id", "name", "type", "area", "rep_id", "visits_per_week", "lat", "lon"),
    frozenset({"lat", "lon"}),
)
CALLS = FileSpec(
    "calls.csv",
    ("date", "rep_id", "outlet_id", "planned", "visited", "order_value", "units", "no_order_reason", "notes"),
    frozenset({"no_order_reason", "notes"}),
)
SALES = FileSpec(
    "sales.csv",
    ("date", "rep_id", "outlet_id", "order_value", "units", "channel", "notes"),
    frozenset({"channel", "notes"}),
)
ACTIVITIES = FileSpec(
    "activities.csv",
    ("date", "person_id", "type", "planned", "done", "outlet_id", "prospect_id", "outcome", "notes"),
    frozenset({"outlet_id", "prospect_id", "outcome", "notes"}),
)
PROSPECTS = FileSpec(
    "prospects.csv",
    ("date", "prospect_id", "name", "owner_id", "source", "stage", "expected_value", "outlet_id", "notes"),
    frozenset({"source", "expected_value", "outlet_id", "notes"}),
)
WEEK_FILES = (CALLS, SALES, ACTIVITIES, PROSPECTS)
# The week files by kind ("calls", "sales", ...): what `import --kind` and new-week work on.
WEEK_KINDS: dict[str, FileSpec] = {spec.kind: spec for spec in WEEK_FILES}
