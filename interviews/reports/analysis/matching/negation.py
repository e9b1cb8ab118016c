"""Is a mention negated? "no fallback", "not IoU", "without recalibration", "we won't canary",
"timeouts aren't needed": the candidate names the thing in order to rule it out, and crediting
it would reward the opposite of what they said.

A negation reaches forward a few tokens from the negating word and stops at the end of the
clause (a comma, a full stop, an arrow, "but", "then", ...), so in "no cache, fall back to
popularity" only "cache" is negated. A few fixed phrases look negative but are not ("not only",
"no more than", "no. of users").
"""

from __future__ import annotations

from collections.abc import Sequence

from .tokens import Token

SCOPE = 6  # a negating word reaches at most this many tokens ahead
NEGATORS = frozenset(
    {
        "no",
        "not",
        "without",
        "never",
        "none",
        "nor",
        "neither",
        "cannot",
        "nothing",
        "skip",
        "skipping",
        "ignore",
        "ignoring",
        "dont",
        "doesnt",
        "didnt",
        "wont",
        "isnt",
        "arent",
        "cant",
        "shouldnt",
        "wouldnt",
    }
)
# The first half of "don't", "won't", "isn't": tokenised as "don" + "t".
_NT_STEMS = frozenset(
    {
        "don",
        "doesn",
        "didn",
        "won",
        "isn",
        "aren",
        "can",
        "couldn",
        "shouldn",
        "wouldn",
        "wasn",
        "weren",
        "haven",
        "hasn",
        "ain",
    }
)
_PHRASES = (("instead", "of"), ("rather", "than"), ("get", "rid", "of"), ("forget", "about"))
_NOT_NEGATIONS = (
    ("not", "only"),
    ("not", "just"),
    ("no", "matter"),
    ("no", "more", "than"),
    ("no", "less", "than"),
    ("no", "later", "than"),
    ("not", "more", "than"),
    ("not", "less", "than"),
    ("no", "of"),
    ("no", "doubt"),
)
# After the mention: "timeouts aren't needed", "recalibration: unnecessary".
_AFTER_WORDS = frozenset({"unnecessary", "overkill", "needless", "pointless"})
_NEEDED = frozenset(
    {
        "need",
        "needed",
        "required",
        "necessary",
        "useful",
        "worth",
        "matter",
        "important",
        "concern",
        "problem",
        "issue",
        "worry",
        "bother",
    }
)
# Words that may stand between the negation and what is not needed: "isn't really a concern",
# "don't think we actually need".
_SOFTENERS = frozenset(
    """
    really actually a an much that very big too of think believe reckon we i to
    """.split()  # noqa: SIM905
)
# Words that dismiss what follows them as unneeded.
_DISMISSING = frozenset({"skip", "skipping", "ignore", "ignoring", "bother"})
# "I don't think we need X": a negated verb of opinion carries over the "we" that follows it.
_OPINION_VERBS = frozenset({"think", "believe", "expect", "reckon", "suppose", "feel"})
# After these, "if" means "whether" and does not start another clause: "we won't bother
# checking if the controller oscillates".
_WHETHER_VERBS = frozenset(
    """
    check checking see seeing know ask test testing track tracking monitor monitoring watch
    watching verify verifying tell measure measuring
    """.split()  # noqa: SIM905
)
# A subject or a modal verb starts a new predicate that a negation before it does not reach:
# in "if nothing relevant comes back it should say it doesn't know", "nothing" is about what
# comes back, not about what the assistant should say.
PREDICATE_WORDS = frozenset(
    {"it", "we", "they", "i", "you", "he", "she", "should", "would", "will", "must", "could"}
)
# Words that start another clause, which a negation before them does not reach. Not "or":
# "we don't need a canary or a fallback" rules out both.
CLAUSE_WORDS = frozenset(
    {
        "but",
        "then",
        "so",
        "because",
        "since",
        "while",
        "although",
        "though",
        "however",
        "except",
        "otherwise",
        "else",
        "if",
        "when",
        "unless",
    }
)


def is_negator(tokens: Sequence[Token], i: int) -> int:
    """How many tokens long the negating expression that ends at `i` is (0: none)."""
    norm = tokens[i].norm
    if norm in NEGATORS:
        for phrase in _NOT_NEGATIONS:
            if tuple(t.norm for t in tokens[i : i + len(phrase)]) == phrase:
                return 0
        return 1
    if norm == "t" and i > 0 and tokens[i - 1].norm in _NT_STEMS and tokens[i].glued is False:
        return 2
    for phrase in _PHRASES:
        n = len(phrase)
        if i + 1 >= n and tuple(t.norm for t in tokens[i + 1 - n : i + 1]) == phrase:
            return n
    return 0


def negated(tokens: Sequence[Token], breaks: Sequence[bool], start: int, end: int) -> bool:
    """True when tokens[start:end] (a mention) is ruled out by a negation around it.

    `breaks[i]` is True when a clause ends between tokens i-1 and i.
    """
    # Backwards from the mention to the start of its clause, at most SCOPE tokens.
    i = start - 1
    while i >= 0 and start - i <= SCOPE:
        norm = tokens[i].norm
        if breaks[i + 1] or (norm in CLAUSE_WORDS and not _means_whether(tokens, i)):
            break
        if is_negator(tokens, i):
            return True
        if norm in PREDICATE_WORDS:
            return _negated_opinion(tokens, i)
        i -= 1
    return _dismissed_after(tokens, breaks, end)


def _dismissed_after(tokens: Sequence[Token], breaks: Sequence[bool], end: int) -> bool:
    """Forwards from a mention: "... aren't needed", "... not required", "... overkill"."""
    j = end
    while j < len(tokens) and j - end < SCOPE:
        if breaks[j] and j > end:
            break
        norm = tokens[j].norm
        if norm in _AFTER_WORDS or (is_negator(tokens, j) and _needed_next(tokens, j + 1)):
            return True
        j += 1
    return False


def _needed_next(tokens: Sequence[Token], i: int) -> bool:
    """ "... isn't needed", "... isn't really a concern", "... we don't worry about"."""
    while i < len(tokens) and tokens[i].norm in _SOFTENERS:
        i += 1
    return any(t.norm in _NEEDED for t in tokens[i : i + 2])


def _negated_opinion(tokens: Sequence[Token], subject: int) -> bool:
    """The subject at `subject` follows "don't think" ("I don't think we need a simulator")."""
    verb = subject - 1
    if verb < 1 or tokens[verb].norm not in _OPINION_VERBS:
        return False
    return bool(is_negator(tokens, verb - 1))


def _means_whether(tokens: Sequence[Token], i: int) -> bool:
    return tokens[i].norm == "if" and i > 0 and tokens[i - 1].norm in _WHETHER_VERBS


def dismissed(tokens: Sequence[Token], breaks: Sequence[bool], start: int, end: int) -> bool:
    """True when a negated mention is dismissed as unneeded ("we don't need OCR", "skip the
    recalibration", "X is overkill"), not merely stated in the negative ("no future leakage",
    "never suggest minors", which is how some concepts are put)."""
    i = start - 1
    while i >= 0 and start - i <= SCOPE:
        if breaks[i + 1]:
            break
        norm = tokens[i].norm
        if norm in _DISMISSING or (is_negator(tokens, i) and _needed_next(tokens, i + 1)):
            return True
        i -= 1
    return _dismissed_after(tokens, breaks, end)
