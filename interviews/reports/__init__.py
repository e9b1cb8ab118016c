"""Pure analysis behind the feedback report: no database access here.

Each module takes plain Python data (dicts, lists, dataclasses) and returns JSON-ready values,
so the report service can gather rows from the database once and these stay fast and testable:

- `svg`: render a stored Excalidraw scene to a standalone SVG string.
- `coverage`: which of the case study's key concepts the candidate wrote down, plus the one text
  normaliser (`TextIndex`) that every phrase-matching rule uses.
- `timing`: planned vs. actual minutes per step, overruns and shares.
- `pitfalls`: explicit rules over a `SessionFacts`, each with why it matters.
- `progress`: per-step levels from rubric scores and the case studies to practise next.
"""
