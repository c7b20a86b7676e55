"""Non-answers: free text that says nothing ("Nothing", "N/A", "See above", "Nothing all good").

They are counted and reported as such, never quoted, never grouped into content themes and
never tagged negative. The test is a whole-answer match: a short answer made only of
"nothing"-type statements, with at most polite or reassuring filler ("all good", "thank
you", "perfect"), is a non-answer; anything with content of its own ("Nothing was too much
trouble", "Nothing happened after the deadline", "No, the window was too short") is not.

A "nothing" statement is a short grammar rather than a list: an optional lead-in ("there
was", "I have"), a nothing-word ("nothing", "none", "not anything") and an optional tail
that only says there is nothing to improve, add or say ("that could have been done
better", "to add", "I can think of"); plus fixed phrases ("N/A", "see above", "can't think
of anything", "couldn't be improved"). The phrases come from the issue's examples and
common English phrasing, not from any evaluation set.

The question's kind matters for praise that names nothing ("Very good", "Everything was
good", "Couldn't have been any better", "Keep up the good work"). Asked what could improve,
such an answer says nothing needed improving, so for the "improve" kind it is a non-answer
too. Asked what went well (or with no kind), it is a real answer, if one without a topic,
and stays content. Praise of a named thing ("The staff were lovely") and praise beside
content ("Couldn't be better, but the car park needs more spaces") stay content everywhere:
only praise of the whole ("it", "everything", "the service", "the experience") counts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _alternation(block: str) -> str:
    """Turn "a ; b c ; ..." into a regex alternation, longest first (phrases may be regex).

    A line break and its indent vanish, so a group may continue on the next line.
    """
    phrases = {re.sub(r"\s*\n\s*", "", p).strip() for p in block.split(";")}
    return "(?:" + "|".join(sorted((p for p in phrases if p), key=len, reverse=True)) + ")"


# Words that say "nothing" on their own.
_NOTHING = _alternation(
    r"""nothing(?: at all| much| really| else| more| further| in particular| specific| major
    | significant| whatsoever)? ; not a thing ; not anything(?: else)? ; absolutely nothing
    ; nowt ; zilch ; none(?: really| at all| whatsoever)? ; nil ; nope ; no ; nah ; not really
    ; not at all ; not one thing ; (?:is|was|are|were|has|have) ?n t anything(?: else)?
    ; (?:is|was|are|were) not anything(?: else)?"""
)
# What may stand before a nothing-word without adding content.
_LEAD = _alternation(
    r"""there(?: is| was| were| s| really is| really was| honestly was| genuinely was)?
    ; i (?:have|ve|ve got|have got|had|would say|d say|can say|think|honestly think)
    ; we (?:have|ve|had) ; honestly ; personally ; genuinely ; really ; to be honest
    ; in all honesty ; for me ; for us ; from me ; from us ; overall"""
)
_WHO = r"(?:(?:i|we|you|they|u|the staff|staff|the team|anyone|anybody|it) )?"
_MODAL = r"""(?:(?:could|can|would|should|might|need to|needs to|needed to|has to|had to
    |ll|d|want to|wish to|would like to|d like to) )?"""
_VERB = r"""(?:improve|improved|improving|change|changed|changing|done|do|did|add|added
    |say|said|mention|suggest|comment(?: on)?|report|raise|complain(?: about)?|fault
    |be improved|be changed|be done|been improved|been changed|been done|been|have done
    |have been done|have been improved|have been changed|have been|have improved)"""
_MANNER = r"(?: (?:better|differently|more|any better|to improve|to change|about it))?"
# What may follow a nothing-word without adding content.
_TAIL = _alternation(
    rf"""(?:(?:that|which|to|for) )?{_WHO}{_MODAL}{_VERB}{_MANNER}
    ; (?:(?:that|which) )?needs? (?:improving|improvement|changing|to change|to be improved)
    ; (?:(?:that|which) )?needed (?:improving|improvement|changing|to change|to be improved)
    ; (?:that )?i can think of ; (?:that )?i could think of ; springs to mind
    ; comes to mind ; that springs to mind ; that comes to mind ; else to add ; more to add
    ; further to add ; else to say ; more to say ; in particular ; from me ; for me ; to note
    ; of note ; to declare ; needed ; required ; necessary ; at this time ; at the moment
    ; at present ; really ; at all ; as such ; right now ; to report ; to comment on"""
)
_CANT = r"(?:(?:i|we) )?(?:can t|cant|cannot|can not|couldn t|couldnt|could not)"
# Whole statements that say nothing.
_FIXED = _alternation(
    rf"""n a ; na ; not applicable ; not sure ; unsure ; no idea ; don t know ; do not know
    ; dont know ; i don t know ; i dont know ; dunno ; no comments? ; no further comments?
    ; no other comments? ; no additional comments? ; no more comments? ; nothing to declare
    ; no thanks ; no thank you ; no suggestions?(?: at this time| really)?
    ; no improvements?(?: needed| necessary| required| to suggest| to make)?
    ; none needed ; none required ; no changes?(?: needed| required| necessary)?
    ; no issues ; no problems ; no concerns ; no complaints(?: at all)?
    ; (?:please )?see (?:above|below|previous(?: answers?| comments?)?
    |(?:my )?(?:previous|earlier|last) (?:answers?|comments?)(?: above)?|answers? above)
    ; as (?:above|before|previous(?: answer)?|per (?:above|previous(?: answer)?)|stated above
    |said above|mentioned above|i said) ; same as (?:above|before|previous(?: answer)?)
    ; not that (?:i|we) can think of ; ditto ; covered above ; already said ; already answered
    ; refer to (?:above|previous)
    ; {_CANT} (?:think of|come up with|name) (?:anything|any|any improvements?|any changes?
    |a thing|one thing)(?: else)?(?: at all)?(?: really)?(?: to (?:improve|change|add|say))?
    (?: (?:that |which )?(?:could|would|should) (?:be|have been) (?:improved|better|changed
    |done better))?(?: (?:you|they|the staff|staff) could (?:have )?(?:done|do) better)?
    ; {_CANT} fault (?:it|anything|them|you|a thing|the service|the care)
    ; (?:(?:it|this|things|that) )?(?:can t|cannot|can not|couldn t|could not) (?:be|have been)
    [ ](?:improved|better|any better|done better)
    ; (?:(?:i|we) )?(?:don t|dont|do not) (?:think|believe) (?:so|anything|there is anything)
    (?: (?:needs|could be) (?:improving|improved|changing|changed))?
    ; (?:(?:i|we) )?(?:have|ve|had) no (?:complaints|suggestions|comments|concerns|issues)"""
)
# Filler that may sit beside a nothing statement without adding content of its own.
_FILLER = _alternation(
    r"""all (?:good|fine|ok|okay|great|perfect|excellent) ; all was (?:good|fine)
    ; everything (?:was|is|s) (?:fine|good|great|ok|okay|perfect|excellent|brilliant
    |fantastic|lovely) ; everything (?:fine|good|great|perfect)
    ; it (?:was|is|s) (?:all )?(?:fine|good|great|perfect|excellent|brilliant|fantastic)
    ; perfect ; excellent ; brilliant ; fantastic ; great ; good ; fine ; lovely ; spot on
    ; thank you(?: very much)? ; thanks(?: again)? ; thankyou ; many thanks ; cheers ; sorry
    ; honestly ; at the moment ; at this time ; at this stage ; at present ; for now ; so far
    ; i think ; i m afraid ; to be honest ; as such ; here ; ok ; okay ; well ; yes ; just
    ; so ; and ; but ; it ; the ; really ; very ; much ; happy with everything ; very happy
    ; happy ; satisfied ; very satisfied ; keep it up ; keep up the good work ; good job
    ; well done ; all round ; overall ; in the circumstances"""
)
_STATEMENT = rf"(?:(?:{_LEAD} )?{_NOTHING}(?: {_TAIL})*|{_FIXED})"
_STATEMENT_RE = re.compile(_STATEMENT)
_FILLER_RE = re.compile(_FILLER)

# Praise of the whole, naming nothing to change: a non-answer to "what could improve?".
# The whole is a pronoun or a word for the entire thing asked about, never a topic.
_WHOLE_THING = r"""(?:it|this|that|everything|all|all of it|it all|things|everyone|everybody
    |(?:the |my |our |your )?(?:whole |overall |entire )?(?:service|experience|process|thing))"""
_COPULA = r"""(?:was|is|s|were|are|has been|have been|had been|ve been|seemed|seems|felt
    |feels|looked|looks)"""
_INTENSIFIER = r"""(?:very|really|so|extremely|absolutely|all|just|quite|pretty|totally|truly
    |simply|always|generally|overall|incredibly|exceptionally|consistently|more than)"""
_PRAISE_WORDS = (
    "good|great|fine|ok|okay|alright|all right|excellent|brilliant|fantastic|perfect|lovely"
    "|amazing|wonderful|superb|outstanding|marvellous|marvelous|terrific|fabulous|fab|super"
    "|spot on|first class|first rate|top notch|top class|second to none|faultless|flawless"
    "|exemplary|impeccable|satisfactory|smooth|seamless|nice|pleasant|helpful|efficient"
    "|professional|friendly"
).split("|")
_PRAISE_WORD = "(?:" + "|".join(_PRAISE_WORDS) + ")"
_PRAISE_NOUN = r"(?:job|work|service|experience|effort)"
_WENT = r"(?:went|goes|go|has gone|had gone|worked|works|ran|runs)"
_WENT_WELL = r"(?:well|smoothly|fine|perfectly|great|brilliantly|like clockwork|to plan)"
_CANT_BE = r"(?:couldn t|could not|couldnt|can t|cant|cannot|can not)"
_PRAISE = _alternation(
    rf"""(?:{_WHOLE_THING} )?(?:{_COPULA} )?(?:(?:a|an) )?(?:{_INTENSIFIER} )*{_PRAISE_WORD}
    (?: {_PRAISE_NOUN})? ; (?:{_WHOLE_THING} )?(?:{_WENT} )?(?:{_INTENSIFIER} )*{_WENT_WELL}
    ; (?:{_WHOLE_THING} )?{_CANT_BE} (?:have been|be|have gone|go|get|have got)
    [ ](?:any |much |even )?better ; (?:(?:i|we) )?{_CANT_BE} (?:have )?(?:ask|asked|wish
    |wished) for (?:more|better|anything (?:more|better|else)|a better (?:service|experience))
    ; (?:(?:i|we) )?{_CANT_BE} complain ; (?:there (?:is|s) )?no room for improvement
    ; keep (?:it )?up(?: the (?:good|great|excellent|fantastic|brilliant) work)?
    ; keep (?:on )?doing what (?:you re|you are|you do|you have been)(?: doing)?
    ; carry on(?: as you are| as you were| the good work)? ; well done(?: all| everyone)?
    ; don t change (?:a thing|anything) ; (?:(?:i|we) )?(?:was|were|am|m|are|re)
    [ ](?:{_INTENSIFIER} )*(?:happy|satisfied|pleased|content)(?: with (?:everything|it all
    |it|all of it|the service|the experience))? ; (?:(?:i|we) )?(?:loved|enjoyed)
    [ ](?:it|everything|it all|every minute) ; thank you for (?:everything|all your help
    |your help|all you did|all you do) ; thanks for (?:everything|all your help|your help)"""
)
_PRAISE_RE = re.compile(_PRAISE)
_MAX_WORDS = 20
# "No good" and "Nothing good" are verdicts, not "nothing" plus filler: a nothing-word
# right before a word of praise, with no punctuation between, negates it ("No, very good"
# and "Nothing, all good" keep their comma and stay non-answers).
# "Nothing all right" is "nothing" and "all right", as "Nothing all good" is.
_ALSO_FILLER = ("alright", "all right")
_NEGATED_PRAISE = re.compile(
    r"\b(?:no|nothing|none|nowt)\s+(?:(?:very|really|so|that|much)\s+)?"
    + "(?:"
    + "|".join(w for w in _PRAISE_WORDS if w not in _ALSO_FILLER)
    + r")\b"
)


def _says_only(words: list[str], sayings: tuple[re.Pattern[str], ...]) -> bool:
    """Say whether words split into pieces, each a saying or filler, with one saying at least.

    A split is searched word by word rather than by one regex over the whole answer: the
    pieces overlap ("very good" is filler or praise), which would make a regex backtrack
    exponentially on a long answer.
    """
    # reached[i]: whether words[:i] splits into pieces, and whether a saying was among them.
    reached: list[set[bool]] = [{False}] + [set() for _ in words]
    for i in range(len(words)):
        if not reached[i]:
            continue
        for j in range(i + 1, len(words) + 1):
            span = " ".join(words[i:j])
            if any(p.fullmatch(span) for p in sayings):
                reached[j].add(True)
            elif _FILLER_RE.fullmatch(span):
                reached[j] |= reached[i]
    return True in reached[-1]


def _normalise(text: str) -> str:
    """Lower-case, fold accents and curly quotes, turn every non-letter into one space."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z]+", " ", folded.lower()).split())


@lru_cache(maxsize=65536)
def is_non_answer(text: str, kind: str | None = None) -> bool:
    """Return whether an answer says nothing: empty, "N/A", "Nothing all good", "See above".

    kind is the question's kind: for "improve", praise of the whole that names nothing to
    change ("Very good", "Keep up the good work") says nothing needed improving, too.
    """
    norm = _normalise(text or "")
    if not norm:
        return True
    if _NEGATED_PRAISE.search((text or "").lower()):
        return False
    words = norm.split()
    if len(words) > _MAX_WORDS:
        return False
    if _says_only(words, (_STATEMENT_RE,)):
        return True
    return kind == "improve" and _says_only(words, (_STATEMENT_RE, _PRAISE_RE))


def non_answer_line(kind: str, count: int) -> str:
    """Say how many answered with nothing, in the side's own words."""
    if kind == "improve":
        return f"{count} said nothing needed improving."
    if kind == "went_well":
        return f"{count} had nothing to add."
    return f"{count} gave no comment."
