"""The concept matcher: what the candidate's writing mentions, and how sure we are.

- `tokens`: tokenisation, spelling folding and Snowball stems, shared by text and aliases;
- `patterns`: aliases compiled (phrases, `a + b` all-of, `a -> b` ordered, case rules, `@k`);
- `negation`: "no fallback", "not IoU", "without recalibration";
- `senses`: acronyms with two meanings ("ANN");
- `quantities`: numbers with units ("72 hours", "24h", "2x", "5k QPS");
- `index`: `TextIndex` over `Passage`s, returning `Hit`s with where they were written;
- `semantic`: the offline sentence-embedding model, asked only about unsure hits.
"""

from .index import Hit, Passage, TextIndex

__all__ = ["Hit", "Passage", "TextIndex"]
