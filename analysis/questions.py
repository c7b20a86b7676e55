"""Reading a question in plain words: which round, sector, side and sentiment it names.

"What did voluntary-sector providers say about the timeframe in phase 2?" becomes round
phase-2, sector voluntary, topic "timeframe". Pure: the caller passes the rounds and sectors
it knows, so the same parser serves the CLI, the web search box and Slack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Words people use for each sector, keyed like surveys.models.SECTORS (a test keeps them equal).
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "voluntary": (
        "voluntary sector",
        "voluntary and community sector",
        "voluntary",
        "vcs",
        "vcse",
        "cvs",
        "third sector",
        "charity",
        "charities",
        "charitable",
        "community groups",
        "community organisations",
    ),
    "school_fe": (
        "schools",
        "school",
        "colleges",
        "college",
        "further education",
        "higher education",
        "universities",
        "university",
        "fe",
    ),
    "health": ("health", "nhs", "pct", "pcts", "primary care trust", "primary care trusts"),
    "district_council": (
        "district councils",
        "district council",
        "borough councils",
        "borough council",
        "districts",
        "district",
        "borough",
    ),
    "private": (
        "private sector",
        "private providers",
        "private",
        "businesses",
        "business",
        "companies",
        "sole traders",
        "sole trader",
    ),
}
SIDE_WORDS: dict[str, tuple[str, ...]] = {
    "went_well": (
        "went well",
        "go well",
        "did well",
        "done well",
        "worked well",
        "what worked",
        "liked",
        "strengths",
        "good things",
    ),
    "improve": (
        "could improve",
        "could be improved",
        "could be better",
        "should improve",
        "to improve",
        "improve",
        "improvements",
        "improvement",
        "went wrong",
        "did not work",
        "didn't work",
        "problems",
        "problem",
        "complaints",
        "complaint",
        "complained",
        "issues",
        "concerns",
        "criticisms",
        "weaknesses",
    ),
}
SENTIMENT_WORDS: dict[str, tuple[str, ...]] = {
    "positive": ("positive", "positively", "praise", "praised", "happy", "pleased"),
    "negative": ("negative", "negatively", "critical", "unhappy", "dissatisfied"),
    "neutral": ("neutral",),
}
# Words for the topics feedback on commissioning keeps coming back to. A question naming one of
# them is widened to the rest, because a static embedding of one word ("timeframe") is a weak
# guide on its own; the ranking itself is by meaning.
TOPIC_WORDS: tuple[tuple[str, ...], ...] = (
    (
        "timeframe",
        "timeframes",
        "timescale",
        "timescales",
        "time",
        "timing",
        "deadline",
        "deadlines",
        "window",
        "windows",
        "weeks",
        "week",
        "longer",
        "rushed",
        "timetable",
    ),
    ("advertising", "advert", "adverts", "advertised", "publicity", "publicised", "postcards"),
    ("briefing", "briefings", "session", "sessions", "event", "events"),
    ("panel", "panels", "scoring", "panellist", "panellists", "assessment", "moderation"),
    ("documents", "document", "pack", "download", "downloaded", "online", "website"),
    ("guidance", "guide", "instructions", "notes"),
    ("communication", "communications", "communicate", "updates", "update", "informed"),
    ("consultation", "consult", "consulted"),
    ("network", "networking", "forum", "peer"),
)
_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}
_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5"}
# Words that frame a question rather than name its topic.
_FRAME = frozenset(
    """what which who how why when where did do does doing done say says said saying tell
    told think thought feel felt mention mentioned raise raised write wrote comment
    comments commented answer answers answered about regarding around re on of in for from
    to the a an and or any anything something everything all their they them we us our
    you your is are was were be been have has had there this that these those with by at
    providers provider respondents respondent people organisations organisation applicants
    applicant partners partner agencies sector sectors feedback views view me show give
    list find please round rounds phase phases think something stuff things thing
    """.split()
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:-[^\W_]+)*")


_CLAUSE = re.compile(r"[.;:!?()]+|,\s+|\s+-\s+|\s+(?:and|but|although|though|while)\s+", re.I)


def clauses(text: str) -> list[str]:
    """Split an answer into its clauses, so one about two topics matches either."""
    parts = [p.strip() for p in _CLAUSE.split(text or "") if p and len(p.split()) >= 2]
    return parts if len(parts) > 1 else []


def topic_words(topic: str) -> tuple[str, ...]:
    """Return the topic's words widened with the words used for the same topic."""
    words = [w for w in _TOKEN.findall(topic.lower())]
    for group in TOPIC_WORDS:
        if any(w in group for w in words):
            words += [w for w in group if w not in words]
    return tuple(words)


def mentions(text: str, words: Sequence[str]) -> bool:
    """Say whether the text uses any of the words as a whole word."""
    found = set(_TOKEN.findall(text.lower()))
    return any(w in found for w in words)


@dataclass(frozen=True)
class RoundName:
    """A round the question may name: its slug ("phase-2") and name ("Phase 2")."""

    slug: str
    name: str


@dataclass(frozen=True)
class Question:
    """What a question asks: its filters (None where it names none) and its topic words."""

    text: str
    topic: str
    round_slug: str | None = None
    sector: str | None = None
    side: str | None = None
    sentiment: str | None = None

    def filters(self) -> dict[str, str | None]:
        """Return the filters applied, by name, for showing back to the asker."""
        return {
            "round": self.round_slug,
            "sector": self.sector,
            "side": self.side,
            "sentiment": self.sentiment,
            "topic": self.topic or None,
        }


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    for word, digit in {**_NUMBERS, **_ORDINALS}.items():
        text = re.sub(rf"\b(phase|round|stage)[\s-]+{word}\b", rf"\1 {digit}", text)
        text = re.sub(rf"\b{word}[\s-]+(phase|round|stage)\b", rf"\1 {digit}", text)
    return f" {' '.join(text.split())} "


def _phrase(words: str) -> re.Pattern[str]:
    """Match a phrase as whole words, with hyphens or spaces between them."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", words.lower()) if p]
    return re.compile(r"(?<![\w-])" + r"[\s-]*".join(parts) + r"(?:[\s-]sector)?(?![\w-])")


def _take(text: str, phrases: Mapping[str, Sequence[str]]) -> tuple[str | None, str]:
    """Find the first of the phrases (longest first) and cut it from the text."""
    candidates = sorted(
        ((p, key) for key, words in phrases.items() for p in words), key=lambda c: -len(c[0])
    )
    for phrase, key in candidates:
        pattern = _phrase(phrase)
        if pattern.search(text):
            return key, pattern.sub(" ", text, count=1)
    return None, text


def _round_phrases(rounds: Sequence[RoundName]) -> dict[str, list[str]]:
    phrases: dict[str, list[str]] = {}
    for r in rounds:
        names = {r.slug, r.name}
        for name in tuple(names):
            if number := re.fullmatch(r"(?:phase|round|stage)[\s-]*(\d+)", name.lower()):
                names |= {f"{word} {number[1]}" for word in ("phase", "round", "stage")}
        phrases.setdefault(r.slug, []).extend(sorted(names))
    return phrases


def parse_question(
    text: str,
    rounds: Sequence[RoundName] = (),
    sectors: Mapping[str, str] | None = None,
) -> Question:
    """Read the round, sector, side, sentiment and topic a plain-words question names.

    sectors: sector key -> label (e.g. surveys.models.SECTORS); a label's own words count too.
    """
    remaining = _normalise(text or "")
    round_slug, remaining = _take(remaining, _round_phrases(rounds))
    sector_words = {k: list(SECTOR_WORDS.get(k, ())) for k in (sectors or SECTOR_WORDS)}
    for key, label in (sectors or {}).items():
        sector_words[key].extend(w for w in re.split(r"[/,]| or ", label.lower()) if w.strip())
    sector, remaining = _take(remaining, sector_words)
    side, remaining = _take(remaining, SIDE_WORDS)
    sentiment, remaining = _take(remaining, SENTIMENT_WORDS)
    topic = " ".join(w for w in _TOKEN.findall(remaining) if w not in _FRAME)
    return Question(
        text=" ".join((text or "").split()),
        topic=topic,
        round_slug=round_slug,
        sector=sector,
        side=side,
        sentiment=sentiment,
    )
