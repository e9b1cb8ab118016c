"""Pure analysis behind the feedback report: no database access here.

Each module takes plain Python data (dicts, lists, dataclasses) and returns JSON-ready values,
so the report build (`reports/build.py`) can gather rows from the database once and these stay
fast and testable (rendering, SVG and PDF, is next door in `reports/render/`):

- `matching`: the concept matcher (`TextIndex` over `Passage`s of the candidate's writing), which
  every phrase-matching rule uses; see its package docstring.
- `coverage`: which of the case study's key concepts the candidate wrote down, with the quotes.
- `timing`: planned vs. actual minutes per step, overruns and shares.
- `pitfalls`: explicit rules over a `SessionFacts`, each with why it matters.
- `progress`: per-step levels from rubric scores and the case studies to practise next.
"""
