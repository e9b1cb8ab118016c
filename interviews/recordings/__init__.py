"""Recording consent, audio chunk uploads, offline transcription and retention (docs/recording.md).

`models` holds the rows (imported by `interviews.models`, so the app label stays `interviews`),
`audio` checks uploaded bytes, `services` the writes, `transcribe` the speech-to-text model,
`align` the pure mapping of speech to the interview's steps, `transcript` what the report reads,
`apis` the HTTP views and `tasks` the Celery tasks.
"""
