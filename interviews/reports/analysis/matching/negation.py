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
    {"need", "needed", "required", "necessary", "useful", "worth", "matter", "important"}
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
        if breaks[i + 1] or tokens[i].norm in CLAUSE_WORDS:
            break
        if is_negator(tokens, i):
            return True
        if tokens[i].norm in PREDICATE_WORDS:
            break
        i -= 1
    # Forwards: "... aren't needed", "... not required", "... overkill".
    j = end
    while j < len(tokens) and j - end < SCOPE:
        if breaks[j] and j > end:
            break
        norm = tokens[j].norm
        if norm in _AFTER_WORDS:
            return True
        if is_negator(tokens, j) and any(t.norm in _NEEDED for t in tokens[j + 1 : j + 3]):
            return True
        j += 1
    return False
