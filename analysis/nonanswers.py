"""Non-answers: free text that says nothing ("Nothing", "N/A", "See above", "Nothing all good").

They are counted and reported as such, never quoted, never grouped into content themes and
never tagged negative. The test is a whole-answer match: a short answer made only of
"nothing"-type phrases, with at most polite or reassuring filler ("all good", "thank you"),
is a non-answer; anything with content of its own ("Nothing was too much trouble", "No, the
window was too short") is not. The phrase lists come from the issue's examples and common
English phrasing, not from any evaluation set.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Phrases that on their own say "nothing to report".
_CORE = """
nothing | nothing at all | nothing much | nothing really | nothing else | nothing more
| nothing further | nothing in particular | nothing specific | nothing springs to mind
| nothing comes to mind | nothing i can think of | nothing that i can think of | nothing to add
| nothing to say | nothing to report | nothing to comment | nothing to comment on
| nothing to improve | nothing needs improving | nothing needed improving | nothing needed
| nothing could be improved | nothing could have been better | nothing could have been done better
| nothing to change | nothing i would change | not a thing | absolutely nothing | nowt | zilch
| none | none really | none at all | none that i can think of | nil | nope | no | nah | n a | na
| not applicable | not really | not at all | not that i can think of | not sure | no idea
| don t know | do not know | dont know | i don t know | i dont know | no comment | no comments
| no further comment | no further comments | no other comment | no other comments
| no additional comments | no more comments | nothing further to add | no thanks | no thank you
| see above | as above | same as above | see previous answer | as previous answer | as before
| see my previous answer | see previous comments | covered above | already said | already answered
| can t think of anything | cant think of anything | cannot think of anything
| can not think of anything | can t think of any | cannot think of any
| can t think of anything else
| cannot think of anything else | i can t think of anything | i cannot think of anything
| i can t think of any improvements | i cannot think of any improvements
| can t think of any improvements | cannot think of any improvements | no improvements
| no improvements needed | no improvement needed | no improvements necessary | no suggestions
| no suggestions at this time | no issues | no problems | no complaints | none needed
| for me nothing | nothing for me | not for me | not from me | nothing from me | none from me
| in the circumstances i cannot think of any improvements
| in the circumstances i can t think of any improvements
"""
# Filler that may sit beside a core phrase without adding content.
_FILLER = """
all good | all fine | all ok | all okay | all was good | all was fine | all great
| everything was fine | everything was good | everything was great | everything was ok
| everything is fine | everything fine | it was fine | it was all fine | it was good
| thank you | thanks | thankyou | cheers | sorry | really | honestly | at all | at the moment
| at this time | at this stage | at present | for now | so far | i think | i don t think so
| to be honest | as such | to add | else | more | further | here | ok | okay | fine | well
| yes | just | so | and | but | i | me | it | the | for | really | very | much
| happy with everything
| keep it up | keep up the good work | good job | well done | many thanks | thank you very much
"""


def _alternation(block: str) -> str:
    phrases = sorted({" ".join(p.split()) for p in block.split("|") if p.strip()}, key=len)
    return "|".join(re.escape(p).replace(r"\ ", " ") for p in reversed(phrases))


_CORE_RE = re.compile(rf"(?:{_alternation(_CORE)})")
_WHOLE_RE = re.compile(rf"(?:(?:{_alternation(_CORE)}|{_alternation(_FILLER)})(?: |$))+")
_MAX_WORDS = 16


def _normalise(text: str) -> str:
    """Lower-case, fold accents and curly quotes, turn every non-letter into one space."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z]+", " ", folded.lower()).split())


@lru_cache(maxsize=65536)
def is_non_answer(text: str) -> bool:
    """Return whether an answer says nothing: empty, "N/A", "Nothing all good", "See above"."""
    norm = _normalise(text or "")
    if not norm:
        return True
    if norm.count(" ") >= _MAX_WORDS:
        return False
    if _WHOLE_RE.fullmatch(norm + " ") is None:
        return False
    words = norm.split()
    return any(
        _CORE_RE.fullmatch(" ".join(words[i:j]))
        for i in range(len(words))
        for j in range(i + 1, len(words) + 1)
    )


def non_answer_line(kind: str, count: int) -> str:
    """Say how many answered with nothing, in the side's own words."""
    if kind == "improve":
        return f"{count} said nothing needed improving."
    if kind == "went_well":
        return f"{count} had nothing to add."
    return f"{count} gave no comment."
