"""Tokens, sentences and cue phrases the sentiment rules read: suggestions and counterfactuals."""

from __future__ import annotations

import re

from analysis import _lexicon as lx
from analysis.sentiment_lexicon import lookup

_TOKEN_RE = re.compile(r"[:;]-?[()dp]\b|[a-z0-9]+(?:-[a-z]+)*(?:'[a-z]+)?|[.!?;]+|[,:()\-–—/]")
_SENTENCE_END = frozenset({".", "!", "?", ";", "!!", "?!", "!?", "...", ".."})
_PHRASE_FIRST = frozenset(p[0] for p in lx.PHRASES)
_PHRASE_LENGTHS = sorted({len(p) for p in lx.PHRASES}, reverse=True)


def tokenise(text: str) -> list[str]:
    """Split text into lower-case word and punctuation tokens, expanding "n't"."""
    raw = _TOKEN_RE.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))
    tokens: list[str] = []
    for tok in raw:
        if tok.endswith("n't"):
            base = lx.N_T_BASES.get(tok[:-3], tok[:-3])
            tokens.extend((base, "not") if base else ("not",))  # a bare "n't" is just "not"
        elif tok in lx.CONTRACTIONS:
            tokens.extend((lx.CONTRACTIONS[tok], "not"))
        elif "'" in tok:
            head, _, tail = tok.partition("'")
            tokens.append(head)
            if tail in ("d", "ll", "ve", "re"):
                tokens.append({"d": "would", "ll": "will", "ve": "have", "re": "are"}[tail])
        else:
            tokens.append(tok)
    return tokens


def sentences(tokens: list[str]) -> list[list[str]]:
    """Split tokens into sentences at full stops, question marks and semicolons."""
    out: list[list[str]] = []
    current: list[str] = []
    for tok in tokens:
        if tok in _SENTENCE_END or tok[0] in ".!?;":
            if current:
                current.append("!" if "!" in tok else ".")
                out.append(current)
            current = []
        else:
            current.append(tok)
    if current:
        out.append(current)
    return out


def phrase_at(toks: list[str], i: int) -> tuple[int, float] | None:
    """Return (length, polarity) of a known phrase starting at position i."""
    if toks[i] not in _PHRASE_FIRST:
        return None
    for n in _PHRASE_LENGTHS:
        key = tuple(toks[i : i + n])
        if len(key) == n and key in lx.PHRASES:
            return n, lx.PHRASES[key]
    return None


def is_word(tok: str) -> bool:
    return tok[0].isalnum()


def find_ahead(toks: list[str], i: int, targets: frozenset[str], span: int) -> int:
    """Return the index of the first target within span words after i, or -1."""
    for j in range(i + 1, min(len(toks), i + 1 + span)):
        if not is_word(toks[j]):
            return -1
        if toks[j] in targets:
            return j
    return -1


_WOULD_BE = frozenset(
    """good better great nice useful helpful ideal welcome appreciated a an more easier clearer
    simpler fairer best sensible worth valuable beneficial""".split()
)
_NOT_OBJECT = frozenset({"been", "to", "not", "we", "i", "and", "or", "is", "was"})


def suggestion_cue(toks: list[str], i: int) -> str | None:
    """Name the suggestion cue starting at position i, if any."""
    tok = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    nxt2 = toks[i + 2] if i + 2 < len(toks) else ""
    if tok in lx.SUGGESTION_WORDS:
        return tok
    if i == 0 and tok in _COMPARATIVE_HEADS and is_word(nxt or ",") and nxt not in _NOT_NOUN:
        # A verbless "Better communication about..." asks for something.
        if lookup(nxt) is None and nxt not in lx.STOPWORDS:
            return f"{tok} {nxt}"
    if i == 0 and tok in lx.IMPERATIVES and is_word(nxt or ",") and nxt not in _NOT_OBJECT:
        return f"instruction '{tok}'"
    if tok == "would" and nxt in ("help", "make", "welcome", "like", "prefer", "love", "suit"):
        return f"would {nxt}"
    if tok == "would" and nxt == "be" and nxt2 in _WOULD_BE:
        return f"would be {nxt2}"
    if tok == "should" and nxt not in ("not", "have"):
        return "should"
    if tok == "could" and nxt != "not" and (i == 0 or nxt in ("be", "you", "we", "do", "there")):
        return f"could {nxt}".strip()
    if tok in ("need", "needs") and nxt in ("to", "more", "a", "an", "spelling", "clearer"):
        return f"{tok} {nxt}"
    if (tok, nxt) in (("next", "time"), ("future", "rounds"), ("future", "phases")):
        return f"{tok} {nxt}"
    if tok == "in" and (nxt == "future" or (nxt == "the" and nxt2 == "future")):
        return "in future"
    if tok == "recommend" and nxt in ("that", "a", "an", "the", "more", "having", "using"):
        return "recommend"
    if tok == "going" and nxt == "forward":
        return "going forward"
    if tok in lx.REQUEST_HEADS and nxt and is_word(nxt) and nxt not in ("than", "of", "and"):
        if lookup(nxt) is None and nxt not in lx.STOPWORDS:
            return f"{tok} {nxt}"
    if tok in ("why", "how") and nxt in ("not", "about"):
        return f"{tok} {nxt}"
    if tok in ("can", "could", "would", "will") and nxt == "you":
        return f"{tok} you"
    return None


_COMPARATIVE_HEADS = frozenset("better clearer simpler quicker faster fewer improved".split())
_NOT_NOUN = frozenset("than still was were is are and or to".split())


_COUNTERFACTUAL_VERBS = frozenset(
    """been liked helped made covered included had loved preferred appreciated welcomed
    benefited benefitted expected hoped thought""".split()
)


def counterfactual(toks: list[str], i: int) -> str | None:
    """Name a past counterfactual ("could have been clearer") starting at i, if any."""
    tok = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    nxt2 = toks[i + 2] if i + 2 < len(toks) else ""
    if tok in ("could", "should", "would", "might") and nxt == "have":
        if nxt2 in _COUNTERFACTUAL_VERBS:
            return f"{tok} have {nxt2}"
    if tok in ("wish", "wished") and i > 0 and toks[i - 1] in ("i", "we"):
        return f"{toks[i - 1]} {tok}"
    if tok == "if" and nxt == "only":
        return "if only"
    if tok == "needed" and nxt in ("more", "a", "to", "clearer", "better"):
        return f"needed {nxt}"
    return None
