"""Candidate text split into comparable tokens.

Every token keeps the characters as written (`raw`, for case checks and quotes) and two
comparison forms:

- `norm`: case-folded, accent-free, British spelling folded to American ("normalise" →
  "normalize", "colour" → "color", "catalogue" → "catalog", "unlabelled" → "unlabeled"),
  common shorthand expanded ("negs" → "negatives", "txns" → "transactions", "vs" → "versus"),
  small numbers written as words turned into digits ("three-way" → "3-way");
- `key`: `norm` reduced by the Snowball English stemmer, so "recalibrate", "recalibrated" and
  "recalibration" meet. Snowball also strips "-ization" ("randomization" → "random"), which
  would let "random crops" credit "randomization"; such words keep a marker so they meet
  each other ("randomized", "randomisation") but not the bare root.

A run of letters and digits is split where letters meet digits, so "ResNet50" is "resnet 50",
"recall@100" is "recall 100" and "24h" is "24 h"; a "v" before digits stays with them
("DINOv2" → "dino v2", "YOLOv8" → "yolo v8"), so the alias "YOLO" matches "YOLOv8" and "DINOv2"
matches "dino-v2". Aliases are tokenised the same way, so both sides always agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_RUN_RE = re.compile(r"[^\W_]+")
_PIECE_RE = re.compile(r"\d+|[^\W\d_]+")
ABBREVIATIONS = {
    "negs": "negatives",
    "neg": "negative",
    "embs": "embeddings",
    "emb": "embedding",
    "feats": "features",
    "imgs": "images",
    "img": "image",
    "calib": "calibration",
    "recal": "recalibration",
    "thresh": "threshold",
    "approx": "approximate",
    "recs": "recommendations",
    "rec": "recommendation",
    "eval": "evaluation",
    "evals": "evaluations",
    "impr": "impressions",
    "ret": "retrieval",
    "probs": "probabilities",
    "prob": "probability",
    "vs": "versus",
    "txn": "transaction",
    "txns": "transactions",
    "dedup": "deduplication",
    "dedupe": "deduplicate",
    "deduped": "deduplicated",
    "avg": "average",
    "req": "request",
    "reqs": "requests",
    "notif": "notification",
    "notifs": "notifications",
    "msg": "message",
    "msgs": "messages",
    "hr": "hour",
    "hrs": "hours",
    "freq": "frequency",
    "pred": "prediction",
    "preds": "predictions",
    "param": "parameter",
    "params": "parameters",
    "cand": "candidate",
    "cands": "candidates",
    "config": "configuration",
    "perf": "performance",
    "fcst": "forecast",
    "qty": "quantity",
    "amt": "amount",
    "ctx": "context",
    "prio": "priority",
    "reco": "recommendation",
    "recos": "recommendations",
    "stats": "statistics",
    "doc": "document",
    "docs": "documents",
    "db": "database",
}
# Small numbers written as words meet the digits ("three-way" is "3-way", "two-tower" is
# "2-tower"); "one" stays a word, it is a pronoun as often as a number.
NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}

# British spellings as whole words, where a suffix rule would be wrong or too wide.
_BRITISH_WORDS = {
    "enquiry": "inquiry",
    "enquiries": "inquiries",
    "artefact": "artifact",
    "artefacts": "artifacts",
    "fulfilment": "fulfillment",
    "instalment": "installment",
    "instalments": "installments",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "dialogue": "dialog",
    "analogue": "analog",
    "centre": "center",
    "centres": "centers",
    "metre": "meter",
    "metres": "meters",
    "litre": "liter",
    "fibre": "fiber",
    "licence": "license",
    "licences": "licenses",
    "defence": "defense",
    "offence": "offense",
    "programme": "program",
    "programmes": "programs",
    "grey": "gray",
    "judgement": "judgment",
    "judgements": "judgments",
    "ageing": "aging",
    "queueing": "queuing",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "cheque": "check",
    "aeroplane": "airplane",
    "sceptical": "skeptical",
}
# "-our" for "-or", with whatever follows: "colours", "behavioural", "neighbourhood",
# "favourite", "honoured".
_OUR_RE = re.compile(
    r"^(colo|behavio|neighbo|favo|flavo|labo|hono|rumo|harbo|humo|vapo|savo|endeavo|armo|"
    r"odo|vigo|rigo|splendo)ur(\w*)$"
)
# Doubled "l" before a suffix: "labelling", "modelled", "cancelling", "signalling", also after
# a prefix ("unlabelled", "relabelling", "mislabelled").
_DOUBLE_L_RE = re.compile(
    r"^((?:un|re|mis|pre|de|sub)?(?:label|model|cancel|travel|signal|funnel|channel|level|fuel|"
    r"total|tunnel|marshal|dial|counsel|shovel))l(ing|ed|er|ers)$"
)
# "-ise" words that are not British "-ize" ("supervise", "precise", "promise", "noise", ...).
_ISE_EXCEPTIONS_RE = re.compile(
    r"(wis|vis|cis|rtis|omis|emis|pris|chis|ois|ais|uis|rcis)(e|es|ed|ing|er|ers|ation|ations)$"
)
_ISE_RE = re.compile(r"^(\w{3,}?)is(e|es|ed|ing|er|ers|ation|ations|able)$")
_YSE_RE = re.compile(r"^(\w{3,}?)ys(e|es|ed|ing|er|ers)$")
# Words Snowball reduces to a bare root by stripping "-ize"/"-ization".
_IZE_RE = re.compile(r"iz(e|es|ed|ing|ation|ations|er|ers)$")
# ... and "-able"/"-ability": "answerability" would meet "answer", "explainability" "explain".
_ABLE_RE = re.compile(r"[ai]b(le|ility|ilities)$")

_stemmer = snowballstemmer.stemmer("english")


@dataclass(frozen=True, slots=True)
class Token:
    raw: str  # as written (accents dropped), for case checks
    norm: str
    key: str
    start: int  # character offsets in the original text
    end: int
    glued: bool  # written directly after the previous token, no separator ("DINOv2")


@lru_cache(maxsize=65536)
def fold_spelling(word: str) -> str:
    """One lower-case word with British spelling turned American and shorthand expanded."""
    word = ABBREVIATIONS.get(word, word)
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if word in _BRITISH_WORDS:
        return _BRITISH_WORDS[word]
    our = _OUR_RE.match(word)
    if our:
        return f"{our.group(1)}r{our.group(2)}"
    double_l = _DOUBLE_L_RE.match(word)
    if double_l:
        return double_l.group(1) + double_l.group(2)
    if word.endswith("isation") or word.endswith("isations"):
        return word.replace("isation", "ization")
    if not _ISE_EXCEPTIONS_RE.search(word):
        match = _ISE_RE.match(word)
        if match:
            return f"{match.group(1)}iz{match.group(2)}"
    match = _YSE_RE.match(word)
    if match and len(word) >= 7:  # "analyse", "catalysed"; not "yes"
        return f"{match.group(1)}yz{match.group(2)}"
    return word


@lru_cache(maxsize=65536)
def word_key(norm: str) -> str:
    """The comparison key of a normalised word (see the module docstring)."""
    if len(norm) < 3 or not norm.isalpha():
        return norm
    key = _stemmer.stemWord(norm)
    if _IZE_RE.search(norm) and not key.endswith(("iz", "is")):
        key += "~ize"
    elif _ABLE_RE.search(norm) and not key.endswith(("abl", "ibl")):
        key += "~able"
    return key


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _pieces(run: str) -> list[str]:
    """Letters and digits apart, except that "v" joins the digits after it ("v2")."""
    pieces = _PIECE_RE.findall(run)
    merged: list[str] = []
    for piece in pieces:
        if piece.isdigit() and merged and merged[-1][-1:] in ("v", "V"):
            head = merged.pop()
            if len(head) > 1:
                merged.append(head[:-1])
            piece = head[-1] + piece
        merged.append(piece)
    return merged


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, in order, with their character offsets in `text`.

    Offsets refer to `text` as given as long as accent stripping keeps its length, which holds
    for the Latin scripts candidates write in; quotes are cut from the original text.
    """
    folded = _fold(text)
    if len(folded) != len(text):  # decomposed characters changed the length: keep offsets safe
        folded = "".join(_fold(ch)[:1] or ch for ch in text)
    tokens: list[Token] = []
    for run in _RUN_RE.finditer(folded):
        offset = run.start()
        first = True
        for piece in _pieces(run.group(0)):
            norm = fold_spelling(piece.casefold())
            tokens.append(
                Token(
                    raw=piece,
                    norm=norm,
                    key=word_key(norm),
                    start=offset,
                    end=offset + len(piece),
                    glued=not first,
                )
            )
            offset += len(piece)
            first = False
    return _shorthand(text, tokens)


def _shorthand(text: str, tokens: list[Token]) -> list[Token]:
    """ "w/o" is "without" (so "w/o recalibration" is a negation) and "w/" is "with"."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.norm == "w" and text[token.end : token.end + 1] == "/":
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if after is not None and after.norm == "o" and after.start == token.end + 1:
                out.append(Token("w/o", "without", "without", token.start, after.end, False))
                i += 2
                continue
            out.append(Token("w/", "with", "with", token.start, token.end + 1, False))
            i += 1
            continue
        out.append(token)
        i += 1
    return out


def capitals(word: str) -> int:
    return sum(1 for ch in word if ch.isupper())
