"""Synthetic speech for the recording tests and benchmark: espeak-ng says a text, PyAV (bundled
with faster-whisper) encodes it as standalone Opus chunks in WebM, as a browser's MediaRecorder
restarted every few seconds would upload them."""

from __future__ import annotations

import io
import subprocess
import tempfile
import wave
from pathlib import Path

import av
import numpy as np

SAMPLE_RATE = 48_000  # Opus runs at 48 kHz; espeak-ng's 22.05 kHz is resampled


def speak(text: str, *, words_per_minute: int = 150, voice: str = "en-us") -> np.ndarray:
    """`text` spoken by espeak-ng, as mono float32 samples at SAMPLE_RATE."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-w", str(wav), text],
            check=True,
            capture_output=True,
        )
        return read_audio(wav.read_bytes())


def read_audio(data: bytes) -> np.ndarray:
    """Any file PyAV decodes, as mono float32 samples at SAMPLE_RATE."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    parts = []
    with av.open(io.BytesIO(data)) as container:
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                parts.append(out.to_ndarray().reshape(-1))
    for out in resampler.resample(None):
        parts.append(out.to_ndarray().reshape(-1))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def write_wav(path: Path, samples: np.ndarray) -> Path:
    """`samples` as a 16-bit mono WAV at SAMPLE_RATE: what Chromium plays as its microphone with
    `--use-file-for-fake-audio-capture`."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    return path


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def encode_webm(samples: np.ndarray, *, bitrate: int = 24_000, fmt: str = "webm") -> bytes:
    """One standalone Opus file (WebM by default, or "ogg") holding `samples`."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=fmt) as container:
        stream = container.add_stream("libopus", rate=SAMPLE_RATE)
        stream.layout = "mono"
        stream.bit_rate = bitrate
        frame_size = 960  # 20 ms, what browsers send
        for start in range(0, len(samples), frame_size):
            piece = samples[start : start + frame_size]
            if len(piece) < frame_size:
                piece = np.pad(piece, (0, frame_size - len(piece)))
            frame = av.AudioFrame.from_ndarray(
                piece.reshape(1, -1).astype(np.float32), format="flt", layout="mono"
            )
            frame.sample_rate = SAMPLE_RATE
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def chunks_of(
    samples: np.ndarray, *, seconds: float = 10.0, bitrate: int = 24_000
) -> list[tuple[bytes, int]]:
    """`samples` cut every `seconds` into standalone WebM files: (bytes, duration ms) each."""
    step = int(seconds * SAMPLE_RATE)
    result = []
    for start in range(0, len(samples), step):
        piece = samples[start : start + step]
        result.append((encode_webm(piece, bitrate=bitrate), round(len(piece) * 1000 / SAMPLE_RATE)))
    return result
