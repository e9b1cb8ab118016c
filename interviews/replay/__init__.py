"""The replay of an ended interview: its timeline of steps, the board as it was at any moment
(keyframes of the room's log and the changes between them), chat, transcript and audio, and for
the interviewer the changes of their notes and scores.

`board` and `timeline` are pure; `selectors` reads what a participant may see, `services`
builds the keyframes once, `apis` serves them.
"""
