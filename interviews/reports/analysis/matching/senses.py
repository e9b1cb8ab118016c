"""Acronyms with two common meanings in interviews.

"ANN" is an approximate nearest-neighbour index to a retrieval person and an artificial neural
network to everyone else. The words around a mention usually say which: "ANN index over the
item vectors" against "ANN with 3 hidden layers". When they say nothing either way the mention
is unsure, and the semantic signal (if available) compares it with the concept.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tokens import word_key

WINDOW = 8  # tokens either side that may disambiguate


@dataclass(frozen=True)
class Sense:
    other_meaning: str  # for the semantic signal: what the mention may mean instead
    for_words: frozenset[str]  # comparison keys that point to the concept's meaning
    against_words: frozenset[str]  # keys that point to the other meaning


def _keys(words: str) -> frozenset[str]:
    return frozenset(word_key(word) for word in words.split())


AMBIGUOUS: dict[str, Sense] = {
    "ann": Sense(
        other_meaning="an artificial neural network model with hidden layers",
        for_words=_keys(
            "index indexes nearest neighbor neighbors vector vectors retrieval retrieve lookup "
            "search recall hnsw faiss scann ivf knn candidates similarity cosine top"
        ),
        against_words=_keys(
            "neural network networks layer layers hidden neuron neurons perceptron mlp "
            "classifier dropout activation backprop relu softmax deep"
        ),
    ),
}
