"""Fluency scorer speed: mtcheck's batched scorer against a naive one-segment-at-a-time loop.

Run by hand:  .venv/bin/python benchmarks/fluency_speed.py [--lines 300] [--system Online-B]

In one run, on the first ``--lines`` lines of a WMT22 zh-en system output:
(a) the naive loop Hugging Face evaluate's perplexity metric uses: one segment at a time,
    float32, plain transformers forward, full-vocabulary log-softmax;
(b) mtcheck's FluencyScorer (length-sorted batches, padding per batch, inference mode,
    all cores, bfloat16 where the CPU has it), and the same in float32.
Prints tokens per second, the ratio to (a) (target 8x, 2,000 tokens/s), the model's cold
load time (GGUF conversion into an empty cache) and warm load time (converted folder
present), and the Spearman correlation of segment SLOR between bfloat16 and float32.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

from _wmt import lines


def spearman(a: list[float], b: list[float]) -> float:
    def ranks(x: list[float]) -> list[float]:
        order = sorted(range(len(x)), key=x.__getitem__)
        r = [0.0] * len(x)
        for k, i in enumerate(order):
            r[i] = float(k)
        return r
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=300)
    ap.add_argument("--system", default="Online-B")
    ap.add_argument("--skip-cold", action="store_true", help="do not time the GGUF conversion")
    args = ap.parse_args()
    texts = lines(args.system)[:args.lines]

    t = time.perf_counter()
    import torch  # noqa: F401
    import transformers  # noqa: F401
    t_import = time.perf_counter() - t
    from mtcheck import fluency

    if not args.skip_cold:
        with tempfile.TemporaryDirectory() as tmp:
            old = os.environ.get("XDG_CACHE_HOME")
            os.environ["XDG_CACHE_HOME"] = tmp
            t = time.perf_counter()
            fluency.FluencyScorer()
            t_cold = time.perf_counter() - t
            if old is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = old
        print(f"cold load (GGUF conversion into an empty cache): {t_cold:.1f} s")
    t = time.perf_counter()
    ours = fluency.FluencyScorer()
    t_warm = time.perf_counter() - t
    print(f"warm load: {t_warm:.2f} s (plus {t_import:.1f} s importing torch and transformers)")

    # (a) the naive loop, the same converted model in float32
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = fluency.convert_gguf(fluency.bundled_gguf())
    tok = AutoTokenizer.from_pretrained(str(folder))
    model = AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32)
    model.eval()
    n_tok = 0
    t = time.perf_counter()
    naive_mean = []
    for text in texts:
        ids = torch.tensor([[0, *tok(text, add_special_tokens=False)["input_ids"]]])
        with torch.no_grad():
            logits = model(ids).logits
        lp = torch.log_softmax(logits[0, :-1].float(), -1).gather(1, ids[0, 1:, None])[:, 0]
        n_tok += lp.numel()
        naive_mean.append(float(lp.mean()) if lp.numel() else 0.0)
    t_naive = time.perf_counter() - t
    del model

    t = time.perf_counter()
    res = ours.score(texts)
    t_ours = time.perf_counter() - t
    f32 = fluency.FluencyScorer(dtype="float32")
    t = time.perf_counter()
    res32 = f32.score(texts)
    t_32 = time.perf_counter() - t
    n = sum(r.n_tokens for r in res)
    assert n == n_tok, (n, n_tok)
    print(f"{len(texts)} segments, {n} tokens ({args.system})")
    print(f"(a) naive loop, float32         {t_naive:6.1f} s  {n / t_naive:7.0f} tokens/s")
    print(f"(b) mtcheck, {ours.dtype:9s}          {t_ours:6.1f} s  {n / t_ours:7.0f} tokens/s  "
          f"{t_naive / t_ours:4.1f}x the naive loop (target 8x, 2,000 tokens/s)")
    print(f"    mtcheck, float32            {t_32:6.1f} s  {n / t_32:7.0f} tokens/s  {t_naive / t_32:4.1f}x")
    ok = [(a.lm_slor, b.lm_slor, a.lm_logprob, b.lm_logprob) for a, b in zip(res, res32) if a.n_tokens]
    print(f"Spearman {ours.dtype} vs float32: SLOR {spearman([x[0] for x in ok], [x[1] for x in ok]):.4f}, "
          f"mean log-prob {spearman([x[2] for x in ok], [x[3] for x in ok]):.4f}")
    pairs = [(a.lm_logprob, b) for a, b in zip(res32, naive_mean) if a.n_tokens]
    print(f"largest |float32 batched - naive| mean log-prob difference: {max(abs(a - b) for a, b in pairs):.2e}")


if __name__ == "__main__":
    main()
