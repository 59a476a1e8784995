"""The batch machinery behind ``jixiao batch`` and ``jixiao check``: input discovery,
per-file review, resumable part files, progress and the concurrent runner."""
