"""Word lists for the sentiment tagger: domain polarity, modifiers, negators and cues.

Polarities are on TextBlob's -1..1 scale. The domain words cover commissioning feedback
(processes, deadlines, guidance, officers) where TextBlob's adjective lexicon is silent
or misleading ("small charity" is not a complaint, "more time" is not praise).
"""

from __future__ import annotations

# Words whose TextBlob polarity misleads in feedback text: treated as neutral.
NEUTRALISED: frozenset[str] = frozenset(
    """own small big first new main full whole other most many much few little sure old high
    only right due live particular final last next early open major more less least extra
    general local national public private key certain same different actual entire second
    third current possible available able real long short simple enough free down plain nearly
    normally primary secondary junior senior infant young elderly successful unsuccessful""".split()
)

# Domain and everyday evaluative words missing from (or mis-scored in) TextBlob's lexicon.
DOMAIN: dict[str, float] = {
    # praise
    "helpful": 0.5,
    "informative": 0.5,
    "accessible": 0.5,
    "approachable": 0.5,
    "responsive": 0.5,
    "efficient": 0.5,
    "knowledgeable": 0.5,
    "invaluable": 0.8,
    "transparent": 0.5,
    "organised": 0.4,
    "organized": 0.4,
    "realistic": 0.3,
    "manageable": 0.3,
    "supported": 0.4,
    "supportive": 0.5,
    "appreciated": 0.5,
    "appreciate": 0.5,
    "thank": 0.5,
    "thanks": 0.5,
    "impressed": 0.6,
    "delighted": 0.8,
    "timely": 0.4,
    "prompt": 0.4,
    "promptly": 0.4,
    "quickly": 0.3,
    "smoothly": 0.5,
    "smooth": 0.4,
    "lifeline": 0.6,
    "enthusiasm": 0.4,
    "listened": 0.4,
    "clear": 0.4,
    "clearly": 0.3,
    "clearer": 0.3,
    "straightforward": 0.4,
    "fab": 0.7,
    "loved": 0.7,
    "pleasure": 0.6,
    "reassuring": 0.5,
    "constructive": 0.4,
    "valuable": 0.6,
    "useful": 0.5,
    "engaging": 0.5,
    "thorough": 0.5,
    "sensible": 0.4,
    "friendly": 0.5,
    "patient": 0.4,
    "sorted": 0.4,
    "improvement": 0.4,
    "improved": 0.4,
    "benefit": 0.4,
    "succeeded": 0.4,
    "success": 0.4,
    "well-run": 0.6,
    "positive": 0.5,
    "confident": 0.4,
    "ok": 0.05,
    "okay": 0.05,
    "alright": 0.05,
    # faint praise: acceptable, not praise
    "fine": 0.05,
    "adequate": 0.05,
    # complaint
    "unhelpful": -0.5,
    "rushed": -0.5,
    "unclear": -0.5,
    "confusing": -0.5,
    "confused": -0.4,
    "delayed": -0.4,
    "delay": -0.3,
    "delays": -0.3,
    "late": -0.35,
    "patchy": -0.5,
    "vague": -0.5,
    "jargon": -0.4,
    "chaotic": -0.6,
    "shambles": -0.8,
    "mess": -0.6,
    "nightmare": -0.7,
    "struggle": -0.4,
    "struggled": -0.4,
    "struggling": -0.4,
    "stressful": -0.5,
    "baffled": -0.5,
    "bureaucratic": -0.5,
    "dragged": -0.4,
    "unanswered": -0.5,
    "ignored": -0.5,
    "chase": -0.3,
    "chased": -0.3,
    "chasing": -0.3,
    "crash": -0.5,
    "crashed": -0.5,
    "crashing": -0.5,
    "broken": -0.5,
    "problem": -0.4,
    "problems": -0.4,
    "issue": -0.3,
    "issues": -0.3,
    "complaint": -0.4,
    "complaints": -0.4,
    "complain": -0.4,
    "fault": -0.4,
    "disorganised": -0.6,
    "disorganized": -0.6,
    "opaque": -0.5,
    "intimidating": -0.5,
    "unprepared": -0.5,
    "contradictory": -0.5,
    "contradicted": -0.5,
    "inconsistent": -0.5,
    "impossible": -0.6,
    "unrealistic": -0.5,
    "disappointed": -0.6,
    "disappointing": -0.6,
    "frustrating": -0.6,
    "frustrated": -0.6,
    "unfair": -0.6,
    "leaks": -0.5,
    "waste": -0.5,
    "missing": -0.4,
    "lost": -0.3,
    "clunky": -0.5,
    "cluttered": -0.4,
    "boring": -0.6,
    "hated": -0.8,
    "shocking": -0.7,
    "awful": -0.8,
    "useless": -0.7,
    "amateurish": -0.6,
    "repetitive": -0.4,
    "tight": -0.4,
    "slipped": -0.3,
    "difficult": -0.5,
    "hard": -0.4,
    "struggles": -0.4,
    "uninterested": -0.5,
    "tedious": -0.5,
    "failed": -0.5,
    "fails": -0.5,
    "unfortunately": -0.4,
    "shame": -0.4,
    "wasted": -0.5,
    "ill": 0.0,
    "complicated": -0.5,
    "stuck": -0.4,
    "unable": -0.4,
    "dominated": -0.3,
    "thin": -0.3,
}

# Common evaluative verbs, nouns and adjectives of everyday reviews missing from TextBlob.
GENERAL: dict[str, float] = {
    w: v
    for words, v in (
        (
            "recommend recommended enjoy enjoyed enjoyable worth thank thanks praise pleased "
            "satisfied reliable durable sturdy solid comfy cosy spacious polite courteous "
            "attentive professional tasty delicious fresh decent superb outstanding exceptional "
            "flawless flawlessly impeccable faultless seamless effortless gem bargain thrilled "
            "chuffed pleasant charming inventive captivating gripping fascinating stunning "
            "love adore generous tidy intuitive happier plenty",
            0.6,
        ),
        (
            "disappoint disappointment dissatisfied unsatisfied regret refund broke breaks "
            "fail failure faulty defective leak leaks leaked leaking crash crashes bug buggy "
            "glitch glitchy laggy overpriced scam wasted annoying annoyed irritating hassle "
            "hopeless pointless rubbish shoddy flimsy unreliable dirty filthy smelly noisy loud "
            "sluggish rude unprofessional dismissive bland stale soggy greasy undercooked "
            "overcooked cramped pricey mediocre meh dodgy substandard inferior disaster "
            "disastrous fiasco sucks sucked stinks junk garbage dud bored tedious unhappy upset "
            "angry furious gutted miserable unpleasant appalling atrocious abysmal dire lousy "
            "unusable ruined damaged scratched scratches overcrowded crowded uncomfortable "
            "unfriendly unreasonable inefficient mumbled worried missed clashed clash clashes "
            "arbitrary ambiguous confusion unnecessarily baffling",
            -0.5,
        ),
    )
    for w in words.split()
}

# Multi-word expressions, matched before single words.
PHRASES: dict[tuple[str, ...], float] = {
    tuple(k.split()): v
    for k, v in {
        "out of our depth": -0.5,
        "in the dark": -0.5,
        "second to none": 0.8,
        "spot on": 0.7,
        "easy to find": 0.5,
        "hard to find": -0.5,
        "tick box": -0.4,
        "last minute": -0.4,
        "way off": -0.4,
        "out of date": -0.4,
        "usual suspects": -0.3,
        "waste of time": -0.6,
        "few and far between": -0.5,
        "let down": -0.5,
        "made a difference": 0.5,
        "huge difference": 0.6,
        "real difference": 0.5,
        "big difference": 0.5,
        "went out of their way": 0.7,
        "out of their way": 0.6,
        "fell through": -0.4,
        "up to date": 0.3,
        "no comment": 0.0,
        "not applicable": 0.0,
        "stood out": 0.4,
        "above and beyond": 0.8,
        "kept informed": 0.4,
        "kept us informed": 0.4,
        "kept to": 0.3,
        "turned out": 0.0,
        "just right": 0.6,
        "a big help": 0.5,
        "a great help": 0.6,
        "a real help": 0.5,
        "thumbs up": 0.6,
        "thumbs down": -0.6,
        "rip off": -0.6,
        "bits and pieces": 0.0,
        "went well": 0.5,
        "worked well": 0.5,
        "works well": 0.5,
        "pretty much": 0.0,
        "no problem": 0.3,
        "as well": 0.0,
        "very well": 0.5,
        "no surprises": 0.4,
        "no news": 0.0,
        "broken down": 0.0,
        "plain english": 0.4,
        "top marks": 0.6,
        "bottom marks": -0.6,
        "no hiccups": 0.4,
        "money well spent": 0.6,
        "lets me down": -0.5,
        "let us down": -0.5,
        "fit for purpose": 0.4,
        "fair enough": 0.05,
        "nothing to do with": -0.4,
        "let me down": -0.5,
        "let them down": -0.5,
        "let you down": -0.5,
        "not fit for purpose": -0.6,
    }.items()
}

# Adverbs that scale the next evaluative word; below 1 are hedges.
MODIFIERS: dict[str, float] = {
    "very": 1.3,
    "really": 1.3,
    "so": 1.3,
    "extremely": 1.5,
    "incredibly": 1.5,
    "hugely": 1.4,
    "highly": 1.3,
    "totally": 1.4,
    "completely": 1.4,
    "absolutely": 1.4,
    "truly": 1.3,
    "genuinely": 1.3,
    "particularly": 1.2,
    "super": 1.3,
    "far": 1.3,
    "way": 1.3,
    "utterly": 1.5,
    "especially": 1.2,
    "properly": 1.1,
    "simply": 1.1,
    "quite": 0.8,
    "fairly": 0.7,
    "somewhat": 0.7,
    "slightly": 0.6,
    "bit": 0.7,
    "rather": 0.8,
    "reasonably": 0.8,
    "mostly": 0.8,
    "generally": 0.9,
    "relatively": 0.8,
    "largely": 0.8,
    "partly": 0.6,
    "mainly": 0.9,
    "occasionally": 0.7,
    "sometimes": 0.8,
    # VADER's booster list (vaderSentiment.BOOSTER_DICT), where not already above
    **dict.fromkeys(
        """amazingly awfully considerably decidedly deeply enormously entirely exceptionally
        fabulously greatly intensely majorly remarkably substantially thoroughly terribly
        tremendously unbelievably unusually""".split(),
        1.3,
    ),
    **dict.fromkeys("almost kinda sorta marginally".split(), 0.7),
}
HEDGES: frozenset[str] = frozenset(w for w, m in MODIFIERS.items() if m < 1)

NEGATORS: frozenset[str] = frozenset(
    """not no never nothing none nobody neither nor without hardly barely scarcely cannot
    nowhere rarely seldom nope""".split()
)
# Negators that also signal something was missing when nothing evaluative follows.
ABSENCE: frozenset[str] = frozenset("no never nothing none nobody without".split())

# "but" and friends: what follows outweighs what came before.
CONTRAST: frozenset[str] = frozenset("but however nevertheless nonetheless".split())
# "although" and friends: the clause they open is down-weighted.
CONCESSIVE: frozenset[str] = frozenset("although though despite while whilst except".split())

# Sentence-initial verbs that make an instruction, i.e. a suggestion.
IMPERATIVES: frozenset[str] = frozenset(
    """give provide allow make include publish offer send hold keep add extend invite ensure
    avoid put set assign share advertise involve explain record split simplify consult
    increase decide update accept create start let ask have use run reduce introduce list
    check move try stop continue tell clarify post improve shorten lengthen organise
    schedule circulate remove cut drop think open arrange hire train plan""".split()
)
# Single words that on their own signal a suggestion.
SUGGESTION_WORDS: frozenset[str] = frozenset(
    ["please", "suggest", "suggestion", "suggestions", "consider", "ideally", "perhaps"]
    + ["maybe", "possibly", "ought", "wish"]
)
# Nouns after "more"/"longer" that make a request ("more time", "longer window").
REQUEST_HEADS: frozenset[str] = frozenset("more longer extra additional earlier extended".split())

STOPWORDS: frozenset[str] = frozenset(
    """a an the and or of to in on at for with by from as is was were be been being are it
    its this that these those there their they them we our us you your i me my he she his
    her than then so if when which who whom what how all any some each every into about
    over after before up down out off again further once here why do does did doing have has
    had having will would shall should can could may might must just also very really""".split()
)

CONTRACTIONS: dict[str, str] = {
    "dont": "do",
    "didnt": "did",
    "doesnt": "does",
    "cant": "can",
    "couldnt": "could",
    "wouldnt": "would",
    "shouldnt": "should",
    "isnt": "is",
    "wasnt": "was",
    "werent": "were",
    "arent": "are",
    "havent": "have",
    "hasnt": "has",
    "hadnt": "had",
    "aint": "is",
    "wont": "will",
    "mightnt": "might",
    "mustnt": "must",
    "neednt": "need",
    "shant": "shall",
    "oughtnt": "ought",
}
N_T_BASES: dict[str, str] = {"ca": "can", "wo": "will", "sha": "shall"}
