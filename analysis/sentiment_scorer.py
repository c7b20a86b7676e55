"""The sentiment rules' clause-aware scorer: one sentence's tokens to weighted evaluative items."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis import _lexicon as lx
from analysis.sentiment_cues import (
    counterfactual,
    find_ahead,
    is_word,
    phrase_at,
    suggestion_cue,
)
from analysis.sentiment_lexicon import lookup

_NEGATION_WINDOW = 4
_NEGATED_POSITIVE = -0.6
_NEGATED_NEGATIVE = -0.5
_SUGGESTION_DAMP_POSITIVE = 0.1
_SUGGESTION_DAMP_NEGATIVE = 0.6
_SUGGESTION_DAMP_ABSENCE = 0.3
_COUNTERFACTUAL = -0.35
_ABSENCE = -0.3
_ABSENCE_WEIGHT = 0.5
_REPEATED = -0.3
_ENDORSE = 0.4
_CAPS = 1.3
_TOO = -0.45
_NOT_ENOUGH = -0.45
_LACK = -0.5
_CONTRAST_BEFORE = 0.3

_CHUNK_BREAK = frozenset({",", ":", "-", "–", "—", "(", ")", "/"})
_EMOTICONS = {":)": 0.5, ":-)": 0.5, ";)": 0.4, ":d": 0.6, ":(": -0.5, ":-(": -0.5, ":p": 0.2}


@dataclass
class Item:
    pos: int
    polarity: float
    subjectivity: float
    weight: float
    reason: str


@dataclass
class State:
    items: list[Item] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    suggestion: bool = False


_TIME_ADJ = frozenset({"short", "long", "tight", "brief", "slow", "lengthy", "late"})
_SENTENCE_HEDGES = frozenset({"suppose", "guess", "s'pose"})
_GOT_VERBS = frozenset(
    "get got receive received hear heard have had see seen given offered".split()
)
_ENOUGH = frozenset({"enough", "sufficient", "adequate"})
_COMPARATIVE = frozenset({"more", "happier", "better", "less", "worse", "fewer"})
_TOO_SKIP = frozenset({"and", "but", "or", "as", "to", "for"})
_RELATIVE = frozenset({"that", "who", "which", "whom"})


class SentenceScorer:
    """Score one sentence's tokens into weighted evaluative items."""

    def __init__(self, toks: list[str], state: State, shouted: frozenset[str]) -> None:
        self.toks = toks
        self.shouted = shouted
        self.state = state
        self.items: list[Item] = []
        self.subjectivity: list[float] = []
        self.chunk_start = 0
        self.cue_start: int | None = None
        self.neg_word = ""
        self.neg_left = 0
        self.neg_seen = 0
        self.neg_hit = False
        self.mod = 1.0
        self.mod_word = ""
        self.mod_left = 0
        self.concessive = False
        self.last_negated: Item | None = None
        self.hedged = False

    def run(self) -> None:
        """Walk the sentence once, emitting items, then apply suggestion damping."""
        i = 0
        while i < len(self.toks):
            i = self._step(i)
        self._close_negation()
        self._damp_suggestion()
        if self.hedged:
            for item in self.items:
                item.polarity *= 0.3
        self.state.items.extend(self.items)

    def _emit(self, i: int, polarity: float, reason: str, subjectivity: float = 0.6) -> None:
        """Record an evaluative item, applying pending modifier, negation and clause weight."""
        if self.mod_left > 0 and self.mod != 1.0:
            polarity = polarity * self.mod
            reason = f"{self.mod_word} {reason}"
            if self.mod_word in lx.HEDGES:
                self.state.reasons.append(f"hedge '{self.mod_word}' softens '{self.toks[i]}'")
        self.mod_left = 0
        if self.toks[i] in self.shouted:
            polarity *= _CAPS
            reason = f"{reason} in CAPITALS"
        negated = False
        if self.neg_left > 0:
            factor = _NEGATED_POSITIVE if polarity > 0 else _NEGATED_NEGATIVE
            polarity *= factor
            reason = f"{self.neg_word} ... {reason}"
            self.neg_hit = True
            self.neg_left = 0
            negated = True
        weight = 0.5 if self.concessive else 1.0
        item = Item(i, max(-1.0, min(1.0, polarity)), subjectivity, weight, reason)
        self.items.append(item)
        self.subjectivity.append(subjectivity)
        self.last_negated = item if negated else None

    def _close_negation(self) -> None:
        """End a negation window; a bare "no"/"never"/"nobody" means something was missing."""
        if self.neg_word in lx.ABSENCE and not self.neg_hit and self.neg_seen > 0:
            self.items.append(
                Item(
                    len(self.toks),
                    _ABSENCE,
                    0.5,
                    _ABSENCE_WEIGHT * (0.5 if self.concessive else 1.0),
                    f"'{self.neg_word} ...' (something missing)",
                )
            )
        self.neg_word, self.neg_left, self.neg_seen, self.neg_hit = "", 0, 0, False

    def _damp_suggestion(self) -> None:
        """Treat praise inside a suggestion clause as hypothetical, not as praise."""
        if self.cue_start is None:
            return
        for item in self.items:
            if item.pos >= self.cue_start and not item.reason.startswith("counterfactual"):
                if item.polarity > 0:
                    factor = _SUGGESTION_DAMP_POSITIVE
                elif item.reason.endswith("(something missing)"):
                    factor = _SUGGESTION_DAMP_ABSENCE
                else:
                    factor = _SUGGESTION_DAMP_NEGATIVE
                item.polarity *= factor

    def _mark_suggestion(self, start: int, reason: str) -> None:
        self.state.suggestion = True
        self.state.reasons.append(f"suggestion cue: {reason}")
        if self.cue_start is None or start < self.cue_start:
            self.cue_start = start

    def _step(self, i: int) -> int:
        """Consume the token(s) at i and return the next position."""
        tok = self.toks[i]
        if not is_word(tok):
            return self._punctuation(i, tok)
        if tok in lx.CONTRAST:
            for item in self.state.items + self.items:
                item.weight *= _CONTRAST_BEFORE
            self.state.reasons.append(f"contrast '{tok}': what came before counts less")
            self._close_negation()
            self.chunk_start = i + 1
            return i + 1
        if tok in _CLAUSE_BREAK:
            self._close_negation()
            return i + 1
        if tok in lx.CONCESSIVE:
            self.concessive = True
            self.state.reasons.append(f"concession '{tok}': its clause counts half")
            return i + 1
        handled = self._cues(i, tok)
        if handled is not None:
            return handled
        phrase = phrase_at(self.toks, i)
        if phrase is not None:
            length, polarity = phrase
            if polarity:
                self._emit(i, polarity, f"'{' '.join(self.toks[i : i + length])}'")
            return i + length
        if tok in lx.NEGATORS:
            return self._negator(i, tok)
        return self._word(i, tok)

    def _punctuation(self, i: int, tok: str) -> int:
        if tok == "!" and self.items:
            self.items[-1].polarity = max(-1.0, min(1.0, self.items[-1].polarity * 1.2))
        if tok in _CHUNK_BREAK:
            self._close_negation()
            self.chunk_start = i + 1
            self.concessive = False
            self.mod_left = 0
        return i + 1

    def _cues(self, i: int, tok: str) -> int | None:
        """Handle counterfactuals and suggestion cues; return next position if consumed."""
        found = counterfactual(self.toks, i)
        if found is not None:
            self.items.append(
                Item(
                    i,
                    _COUNTERFACTUAL,
                    0.5,
                    0.5 if self.concessive else 1.0,
                    f"counterfactual '{found}'",
                )
            )
            self._mark_suggestion(self.chunk_start, f"'{found}'")
            return i + len(found.split())
        cue = suggestion_cue(self.toks, i)
        if cue is None:
            return None
        start = 0 if cue.startswith("instruction") or tok == "please" else self.chunk_start
        self._mark_suggestion(start, cue if cue.startswith("instruction") else f"'{cue}'")
        if cue.startswith("instruction") or tok in lx.SUGGESTION_WORDS:
            return i + 1
        return None

    def _negator(self, i: int, tok: str) -> int:
        toks = self.toks
        j = find_ahead(toks, i, _ENOUGH, 3)
        if j >= 0 and "recommend" not in toks[i:j]:
            self._emit(i, _NOT_ENOUGH, f"'{' '.join(toks[i : j + 1])}'")
            return j + 1
        if tok == "not" and i > 0 and toks[i - 1] in ("could", "can"):
            j = find_ahead(toks, i, _COMPARATIVE, 4)
            if j >= 0:
                return self._could_not_more(i, j)
        self._close_negation()
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if tok == "not" and nxt in ("only", "just"):
            return i + 1
        if tok in ("nothing", "none") and nxt in _NO_COMMENT:
            # "Nothing to add" is no comment, not something missing; "nothing to complain
            # about" still flips what follows.
            self.neg_word, self.neg_left = f"{tok} {nxt}", _NEGATION_WINDOW
            return i + 2
        any_at = find_ahead(toks, i, _ANY, 3) if tok == "not" else -1
        got = any_at > 0 and any(t in _GOT_VERBS for t in toks[i + 1 : any_at])
        scarce = tok in ("hardly", "barely", "scarcely") and (nxt in _ANY or nxt == "ever")
        self.neg_word = "no" if got or scarce else tok
        if tok == "never" and i > 0 and toks[i - 1] in _RELATIVE:
            # "groups that never hear about contracts" describes the groups: it can still
            # flip an evaluative word, but it is not something missing.
            self.neg_word = "never (describing)"
        self.neg_left = _NEGATION_WINDOW
        return i + 1

    def _could_not_more(self, i: int, j: int) -> int:
        """Score "couldn't have been more helpful" as strong praise, "less helpful" as blame."""
        toks = self.toks
        comparative = toks[j]
        target = toks[j + 1] if j + 1 < len(toks) else ""
        polarity = (lookup(target) or (0.0, 0.0, ""))[0]
        if comparative in ("more", "less", "fewer") and polarity:
            polarity = polarity if comparative == "more" else -abs(polarity)
            end = j + 2
        else:
            polarity = {"happier": 0.8, "better": 0.7, "worse": -0.7}.get(comparative, 0.6)
            end = j + 1
        self._emit(i, max(-1.0, min(1.0, polarity * 1.3)), f"'{' '.join(toks[i - 1 : end])}'")
        return end

    def _word(self, i: int, tok: str) -> int:
        toks = self.toks
        prev = toks[i - 1] if i > 0 else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if tok in lx.MODIFIERS and not (tok == "so" and nxt in ("that", "far", "much")):
            self.mod, self.mod_word, self.mod_left = lx.MODIFIERS[tok], tok, 2
            return i + 1
        if self.neg_left > 0 and tok in _NEG_RAISING:
            self.neg_left = _NEGATION_WINDOW
            return i + 1
        if tok in ("kept", "keeps") and nxt.endswith("ing") and len(nxt) > 4:
            if (lookup(nxt) or (0.0, 0.0, ""))[0] <= 0:
                self._emit(i, _REPEATED, f"'{tok} {nxt}' (repeated)")
                return i + 1
        if tok == "had" and nxt == "to" and i + 2 < len(toks) and toks[i + 2] in _BURDEN:
            self._emit(i, _REPEATED, f"'had to {toks[i + 2]}'")
            return i + 3
        if (tok == "again" and prev in _AGAIN_VERBS) or (tok == "back" and prev == "be"):
            if _FUTURE & set(toks[max(0, i - 5) : i]):
                self._emit(i, _ENDORSE, f"'{prev} {tok}' (would return)")
                return i + 1
        if tok == "too" or (tok == "to" and prev in ("way", "far", "much")):
            return self._too(i, nxt)
        if tok in ("lack", "lacked", "lacking", "lacks"):
            self._emit(i, _LACK, f"'{tok}'")
            return i + 3 if nxt == "of" else i + 1
        if tok in _TIME_ADJ and self.mod_left > 0 and self.mod != 1.0:
            self._emit(i, -0.35, f"'{tok}'")
            return i + 1
        if tok in _SENTENCE_HEDGES:
            self.hedged = True
            self.state.reasons.append(f"hedge '{tok}' softens the sentence")
            return i + 1
        if tok == "well":
            if prev != "as" and not (i == 0 and not is_word(nxt or ".")):
                self._emit(i, 0.45, "'well'")
            return i + 1
        if tok in ("at", "whatsoever") and (tok == "whatsoever" or nxt == "all"):
            if self.last_negated is not None:
                self.last_negated.polarity = max(-1.0, min(1.0, self.last_negated.polarity * 1.5))
            return i + (1 if tok == "whatsoever" else 2)
        if tok in _EMOTICONS:
            score: tuple[float, float, str] | None = (_EMOTICONS[tok], 0.8, "")
        else:
            score = lookup(tok)
        if score is not None and score[0]:
            self._emit(i, score[0], f"'{tok}'{score[2]}", score[1])
        elif score is not None:
            self.subjectivity.append(score[1])
        self._tick_negation(i)
        if self.mod_left > 0:
            self.mod_left -= 1
        return i + 1

    def _too(self, i: int, nxt: str) -> int:
        if not nxt or not is_word(nxt) or nxt in _TOO_SKIP:
            return i + 1
        polarity = (lookup(nxt) or (0.0, 0.0, ""))[0]
        polarity = polarity * 1.2 if polarity < -0.3 else _TOO
        self._emit(i, polarity, f"'too {nxt}'")
        return i + 2

    def _tick_negation(self, i: int) -> None:
        if self.neg_left > 0:
            self.neg_seen += 1
            self.neg_left -= 1
            if self.neg_left == 0:
                self._close_negation()


_ANY = frozenset({"any", "anyone", "anything", "anybody"})
# Words that end a negation's scope: "no reminders and [we] nearly missed the deadline".
_CLAUSE_BREAK = frozenset("and because which who until since whereas then".split())
# Verbs that carry a negation into their clause: "I can't say it was fair".
_NEG_RAISING = frozenset("say think believe feel felt thought reckon expect".split())
_NO_COMMENT = frozenset("to further else more much new".split())
# "had to chase", "had to wait": effort the respondent should not have needed.
_BURDEN = frozenset("chase wait guess ring phone call email resubmit redo rely ask".split())
_AGAIN_VERBS = frozenset(
    "buy order use go come visit stay apply book return bid recommend choose".split()
)
_FUTURE = frozenset({"will", "would", "definitely", "certainly", "def", "probably"})
