"""The lessons-learned report's model: typed, frozen data every output renders.

`analysis.summary.build_summary` builds a `RoundSummary` once; the page, the downloadable
HTML and Word files, Markdown, Slack blocks and the JSON API only render it, using the
vocabulary here (`SIDES`, `TITLES`) so every output names a side or a section the same way.
`summary_to_dict` is the JSON form (stable keys, field order kept) that is stored and served.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from analysis.nonanswers import non_answer_line
from analysis.themes import Theme

LABELS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class Side:
    """One side of the feedback: its key (a theme's kind) and its title in every output."""

    key: str
    title: str


# One vocabulary for sides: the key is the theme kind ("went_well", "improve", "other").
SIDES = (
    Side("went_well", "What went well"),
    Side("improve", "What could improve"),
    Side("other", "Other comments"),
)
SIDE_TITLES = {side.key: side.title for side in SIDES}
COMPARED_SIDES = SIDES[:2]  # leftovers ("Other comments") are never compared
# Section keys and titles, shared by every output ("comparison" takes the round's name).
TITLES = {
    "key_findings": "Key findings",
    **SIDE_TITLES,
    "lessons": "You said, we did",
    "comparison": "Compared with {previous}",
    "ratings": "Ratings",
    "sentiment": "Sentiment by sector",
    "methodology": "Methodology",
}


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class RoundInfo:
    """The round being summarised: its slug, display name (e.g. "Phase 2") and whether open."""

    slug: str
    name: str
    is_open: bool = False
    # Days since it opened, while it is open (None when closed or with no opening date).
    days_open: int | None = None


@dataclass(frozen=True)
class MethodologyCounts:
    """How feedback was gathered (the builder's input).

    invited_by_sector: organisations contacted, by sector name; responded_by_sector: those
    that answered. responded_by_channel: completed questionnaires by the channel they came in
    on ("web", "telephone", "slack", "import"), so its values add up to completed.
    invited_by_channel: organisations contacted, by channel; only counted for the total when
    no sector is known. telephone: responses taken by telephone; partners_consulted:
    partners asked separately.
    """

    invited_by_sector: Mapping[str, int]
    invited_by_channel: Mapping[str, int]
    responded_by_sector: Mapping[str, int]
    responded_by_channel: Mapping[str, int]
    completed: int
    telephone: int = 0
    partners_consulted: int = 0
    # For each invited organisation that answered, the day after opening it first did.
    response_days: tuple[int, ...] = ()
    # Respondents in files of earlier evaluations (no invitation, so in no rate), by sector.
    imported_by_sector: Mapping[str, int] = dataclasses.field(default_factory=_empty)


@dataclass(frozen=True)
class FreeTextAnswer:
    """One free-text answer (the builder's input).

    kind: "went_well" | "improve" | "other" | None (None: placed by its own content);
    label: stored sentiment label or None (tagged here); respondent_id: the responding
    organisation, used to count respondents for small-group suppression.
    """

    id: str
    text: str
    kind: str | None
    sector: str | None
    channel: str | None
    label: str | None
    respondent_id: str
    vector: Any = dataclasses.field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RatingAnswer:
    """Counts for one rating question: points in order (worst to best) and answers per point.

    counts: point label -> number of answers; counts_by_sector: sector -> the same.
    Point i (0-based) scores i + 1 for the mean.
    """

    question_id: str
    question_text: str
    points: tuple[str, ...]
    counts: Mapping[str, int]
    counts_by_sector: Mapping[str, Mapping[str, int]] = dataclasses.field(default_factory=_empty)


@dataclass(frozen=True)
class LessonAction:
    """An action that answers a lesson: what it is, how far it got and the evidence.

    status: the stored key ("planned", "in_progress", "done", "dropped"); status_label: how
    to show it ("In progress").
    """

    description: str
    status: str
    status_label: str
    evidence: str = ""


@dataclass(frozen=True)
class Lesson:
    """A lesson carried into the round (or recorded from it), as the builder takes it.

    improved: "Has this improved?" answer label -> count, in the question's order;
    respondents: how many answered it (None counts the answers); comments: follow-up comments,
    most recent first, unredacted; asked: whether the round asks it; status: "open"/"closed";
    followed_up_in: the round asking about a lesson recorded from this one ("" if none yet).
    """

    theme_label: str
    lesson: str
    actions: tuple[LessonAction, ...] = ()
    improved: Mapping[str, int] = dataclasses.field(default_factory=_empty)
    what_we_did: str = ""
    respondents: int | None = None
    comments: tuple[str, ...] = ()
    asked: bool = True
    status: str = "open"
    followed_up_in: str = ""


@dataclass(frozen=True)
class LessonSummary:
    """A "You said, we did" entry: the lesson, what was done, and whether it improved.

    improved is None (and suppressed True) when fewer than k respondents answered "Has this
    improved?"; quotes are redacted follow-up comments, most recent first.
    """

    theme_label: str
    lesson: str
    what_we_did: str
    actions: tuple[LessonAction, ...]
    respondents: int
    suppressed: bool
    improved: Mapping[str, int] | None
    quotes: tuple[str, ...]
    asked: bool = True


@dataclass(frozen=True)
class ChannelCount:
    """Completed questionnaires that came in through one channel (label: "Web", "Slack")."""

    channel: str
    label: str
    completed: int


@dataclass(frozen=True)
class MethodologySummary:
    """Methodology with response rates by sector (None where fewer than k responded)."""

    invited: int
    responded: int
    completed: int
    telephone: int
    partners_consulted: int
    response_rate: float | None
    invited_by_sector: Mapping[str, int]
    response_rate_by_sector: Mapping[str, float | None]
    completed_by_channel: tuple[ChannelCount, ...]
    # Organisations that answered, by sector; sectors under k are counted in "Other sectors".
    responded_by_sector: Mapping[str, int] = dataclasses.field(default_factory=_empty)
    # The day after opening each responding organisation first answered (no identities).
    response_days: tuple[int, ...] = ()
    # Imported from earlier evaluation files: respondents (not in `responded`) and responses.
    imported: int = 0
    imported_responses: int = 0


@dataclass(frozen=True)
class RatingSummary:
    """One rating question: answers per point, mean score (1 = first point) and by sector."""

    question_id: str
    question_text: str
    points: tuple[str, ...]
    counts: Mapping[str, int]
    answers: int
    mean: float | None
    by_sector: Mapping[str, Mapping[str, int] | None]


@dataclass(frozen=True)
class SectorSentiment:
    """Sentiment counts of one sector's answers; counts is None when suppressed."""

    sector: str
    respondents: int
    suppressed: bool
    counts: Mapping[str, int] | None


@dataclass(frozen=True)
class ThemeChange:
    """A theme compared across rounds, by key within one side; shares are of all answers."""

    key: str
    label: str
    kind: str
    previous_count: int
    count: int
    previous_share: float = 0.0
    share: float = 0.0


@dataclass(frozen=True)
class SideChanges:
    """One side's themes against the previous round.

    recurring: raised in both rounds; resolved: improvement themes raised much less or not at
    all (never any on the went-well side); new: not raised on this side last round.
    """

    kind: str
    title: str
    recurring: tuple[ThemeChange, ...]
    resolved: tuple[ThemeChange, ...]
    new: tuple[ThemeChange, ...]


@dataclass(frozen=True)
class Comparison:
    """How this round compares with the previous one, side by side.

    rating_shifts: question id -> change in mean; rating_questions: question id -> text.
    open_rounds names the rounds still open: then counts are partial, so themes are compared
    by share, and response_rate_change compares like with like: this round's rate so far
    against the previous round's on the same day after opening (previous_rate_same_point),
    or is None when that cannot be known. It never sets a rate so far against a final rate.
    """

    previous_slug: str
    previous_name: str
    went_well: SideChanges
    improve: SideChanges
    rating_shifts: Mapping[str, float]
    rating_questions: Mapping[str, str]
    response_rate_change: float | None
    open_rounds: tuple[str, ...] = ()
    response_rate: float | None = None
    previous_response_rate: float | None = None
    days_open: int | None = None
    previous_rate_same_point: float | None = None
    # Compared rounds that invited nobody (imported or open-link answers): no rate to compare.
    uninvited: tuple[str, ...] = ()

    @property
    def sides(self) -> tuple[SideChanges, SideChanges]:
        """Return the went-well side, then the could-improve side."""
        return (self.went_well, self.improve)

    @property
    def recurring(self) -> tuple[ThemeChange, ...]:
        """Return recurring themes of both sides, went well first."""
        return self.went_well.recurring + self.improve.recurring

    @property
    def resolved(self) -> tuple[ThemeChange, ...]:
        """Return improvement themes raised much less or not at all this round."""
        return self.improve.resolved

    @property
    def new(self) -> tuple[ThemeChange, ...]:
        """Return new themes of both sides, went well first."""
        return self.went_well.new + self.improve.new


@dataclass(frozen=True)
class TopTheme:
    """A theme named in the key findings: its label and how many answers it holds."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Finding:
    """One key finding: a short title ("Response") and a plain-text statement."""

    key: str
    title: str
    text: str


@dataclass(frozen=True)
class KeyFindings:
    """What a steering group reads first: top themes, who answered, changes and lessons.

    went_well / improve: the top themes of each side; findings: the statements, in order.
    actions_by_status: action status label -> count, over the lessons carried in.
    """

    went_well: tuple[TopTheme, ...]
    improve: tuple[TopTheme, ...]
    findings: tuple[Finding, ...]
    actions_by_status: Mapping[str, int] = dataclasses.field(default_factory=_empty)


@dataclass(frozen=True)
class Section:
    """A section of the report as every output shows it: its key and its title."""

    key: str
    title: str


@dataclass(frozen=True)
class RoundSummary:
    """The lessons-learned summary of a round."""

    round: RoundInfo
    key_findings: KeyFindings
    methodology: MethodologySummary
    went_well: tuple[Theme, ...]
    improve: tuple[Theme, ...]
    other: tuple[Theme, ...]
    ratings: tuple[RatingSummary, ...]
    sentiment_by_sector: tuple[SectorSentiment, ...]
    comparison: Comparison | None
    lessons: tuple[LessonSummary, ...]
    k: int
    tagger_version: str
    # Answers that said nothing ("Nothing.", "N/A"), counted by side and never quoted.
    non_answers: Mapping[str, int] = dataclasses.field(default_factory=_empty)

    def themes(self, side: str) -> tuple[Theme, ...]:
        """Return one side's themes ("went_well", "improve" or "other")."""
        return {"went_well": self.went_well, "improve": self.improve, "other": self.other}[side]

    def non_answer_line(self, side: str) -> str:
        """Say how many on one side said nothing ("" when none did)."""
        count = self.non_answers.get(side, 0)
        return non_answer_line(side, count) if count else ""

    def sections(self) -> tuple[Section, ...]:
        """Return the sections every output shows, in order, with their shared titles."""
        keys = ["key_findings", "went_well", "improve"]
        if self.other or self.non_answers.get("other"):
            keys.append("other")
        if self.lessons:
            keys.append("lessons")
        if self.comparison is not None:
            keys.append("comparison")
        if self.ratings:
            keys.append("ratings")
        if self.sentiment_by_sector:
            keys.append("sentiment")
        keys.append("methodology")
        previous = self.comparison.previous_name if self.comparison else ""
        return tuple(Section(key, TITLES[key].format(previous=previous)) for key in keys)


def plain_data(value: Any) -> Any:
    """Convert dataclasses and mappings to JSON-ready values, keeping field order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(v) for v in value]
    return value


def summary_to_dict(s: RoundSummary) -> dict[str, Any]:
    """Return the summary as JSON-ready data with a stable key order (stored and served)."""
    return plain_data(s)
