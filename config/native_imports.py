"""One lock for the first import of native model libraries.

The report's sentence-embedding model (onnxruntime, tokenizers) and the speech recognizer
(faster-whisper, which imports tokenizers too) load on background threads of the same worker;
two threads importing `tokenizers` at once can see it half initialized and crash. Whoever loads
a model takes this lock around those imports.
"""

import threading

native_import_lock = threading.RLock()
