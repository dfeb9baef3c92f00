"""The fluency scorer with a tiny random causal LM built here (fast, no download)."""
from __future__ import annotations

import json
import socket

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from mtcheck import fluency  # noqa: E402
from mtcheck.fluency import FluencyScorer, ModelError, convert_gguf  # noqa: E402

WORDS = ("the minister opened a new bridge on monday and thousands of residents crossed it "
         "prices rose in june college students train in gaoping city").split()


def _tiny(folder):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    vocab = {"<|endoftext|>": 0, "[UNK]": 1, "[PAD]": 2, ".": 3, ",": 4}
    for w in WORDS:
        vocab.setdefault(w, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>",
                                   pad_token="[PAD]", unk_token="[UNK]")
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128)
    LlamaForCausalLM(config).save_pretrained(str(folder))
    fast.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return _tiny(tmp_path_factory.mktemp("tiny"))


TEXTS = ["the minister opened a new bridge on monday .",
         "prices rose in june",
         "",
         "thousands of residents crossed it , and students train in gaoping city .",
         "college"]


def test_batched_equals_one_at_a_time_and_order_is_kept(tiny):
    s = FluencyScorer(str(tiny), dtype="float32", batch_tokens=64)
    together = s.score(TEXTS)
    alone = [s.score([t])[0] for t in TEXTS]
    backwards = s.score(TEXTS[::-1])[::-1]
    for a, b, c in zip(together, alone, backwards):
        assert a.n_tokens == b.n_tokens == c.n_tokens
        if a.n_tokens:
            assert a.lm_logprob == pytest.approx(b.lm_logprob, abs=1e-5)
            assert a.lm_logprob == pytest.approx(c.lm_logprob, abs=1e-5)
            assert a.lm_ppl == pytest.approx(2.718281828 ** -a.lm_logprob, rel=1e-6)
            assert 0 <= a.fluency <= 100


def test_token_scores_match_a_plain_forward(tiny):
    s = FluencyScorer(str(tiny), dtype="float32")
    model = transformers.AutoModelForCausalLM.from_pretrained(str(tiny))
    tok = transformers.AutoTokenizer.from_pretrained(str(tiny))
    text = TEXTS[3]
    ids = torch.tensor([[0, *tok(text, add_special_tokens=False)["input_ids"]]])
    with torch.no_grad():
        ref = torch.log_softmax(model(ids).logits[0, :-1], -1).gather(1, ids[0, 1:, None])[:, 0]
    got, offsets = s.token_logprobs([text])[0]
    assert got == pytest.approx(ref.tolist(), abs=1e-5)
    assert len(offsets) == len(got)


def test_empty_and_very_long_segments(tiny):
    s = FluencyScorer(str(tiny), dtype="float32", max_length=16)
    long = " ".join(WORDS * 8)  # 200+ tokens, far over max_length
    empty, res = s.score(["", long])
    assert empty.n_tokens == 0 and empty.fluency is None and empty.worst is None
    assert res.n_tokens == len(long.split())  # every token scored exactly once
    assert res.worst is not None and 0 <= res.worst[0] < res.worst[1] <= len(long)


def test_signature_names_model_dtype_and_length(tiny):
    s = FluencyScorer(str(tiny), dtype="float32", max_length=64)
    assert "dtype:float32" in s.signature and "maxlen:64" in s.signature and s.signature.startswith("LM|")


def test_pickle_weights_are_refused(tmp_path):
    from safetensors.torch import load_file

    folder = _tiny(tmp_path / "pickled")
    weights = folder / "model.safetensors"
    torch.save(load_file(str(weights)), folder / "pytorch_model.bin")  # a pickle
    weights.unlink()
    with pytest.raises(ModelError, match="cannot load"):
        FluencyScorer(str(folder))


def test_no_download_by_default(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network connection attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    with pytest.raises(ModelError):
        FluencyScorer("nobody/no-such-model-anywhere")


def test_conversion_is_atomic(tmp_path):
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF fake")

    def broken(src, out):
        (out / "model.safetensors").write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        convert_gguf(gguf, root=tmp_path / "cache", build=broken)
    assert list((tmp_path / "cache" / "models").iterdir()) == []

    calls = []

    def ok(src, out):
        calls.append(src)
        (out / "model.safetensors").write_bytes(b"weights")

    first = convert_gguf(gguf, root=tmp_path / "cache", build=ok)
    again = convert_gguf(gguf, root=tmp_path / "cache", build=ok)
    assert first == again and len(calls) == 1
    meta = json.loads((first / "mtcheck-model.json").read_text())
    assert len(meta["sha256"]) == 64
    assert [p.name for p in first.parent.iterdir()] == [first.name]


def test_calibration_maps_median_to_80():
    assert fluency.fluency_from_slor(fluency.CALIBRATION["median"]) == pytest.approx(80)
    low = fluency.CALIBRATION["median"] - 2 * fluency.CALIBRATION["sd"]
    assert fluency.fluency_from_slor(low) == pytest.approx(20)
