"""What the scripted candidate of the end-to-end report test writes in chat. The case of that
test is picked at random, so `tests/interviews/test_case_reports.py` checks that this line earns
at least one key-concept credit in every case of the bank (a case added without one fails there,
not in a browser)."""

CHAT = (
    "Goal: more engagement. Scale 10M DAU, 200 ms latency budget. Labels from clicks; "
    "precision and recall offline on a time-based split, then an A/B test; fallback to a safe "
    "default when the model times out. Cold start: new items and new campaigns get content "
    "features."
)
