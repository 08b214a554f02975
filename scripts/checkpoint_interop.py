#!/usr/bin/env python3
"""Checks that copygen checkpoints and Hugging Face transformers' GPT-2 agree, both ways.

1. copygen writes a random checkpoint and its loss on random tokens (`copygen bench interop`);
   transformers' GPT2LMHeadModel loads model.safetensors + config.json and computes the loss and
   logits on the same tokens.
2. transformers saves a random GPT-2 (save_pretrained, names with the `transformer.` prefix) and
   copygen loads it and computes the loss; the two losses are compared.

Needs torch, transformers and safetensors (pip install torch transformers safetensors).
Exit status 0 when every difference is within tolerance, 1 otherwise, 2 when a module is missing.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

try:
    import torch
    import torch.nn.functional as F
    from transformers import GPT2Config, GPT2LMHeadModel
except ImportError as error:  # a clear one-line reason, not a trace
    print(f"checkpoint_interop: needs torch and transformers ({error}); pip install torch transformers safetensors", file=sys.stderr)
    sys.exit(2)

# float32 on both sides; the sums run in different orders, so allow float rounding.
LOSS_TOLERANCE = 1e-4
LOGIT_TOLERANCE = 1e-3


def torch_loss(model_dir, record):
    model = GPT2LMHeadModel.from_pretrained(model_dir)
    model.eval()
    batch, length = record["batch"], record["length"]
    tokens = torch.tensor(record["tokens"], dtype=torch.long).view(batch, length)
    targets = torch.tensor(record["targets"], dtype=torch.long).view(-1)
    with torch.no_grad():
        logits = model(tokens).logits.view(batch * length, -1)
    loss = F.cross_entropy(logits, targets, ignore_index=-1).item()
    return loss, logits


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copygen", default=".build/release/copygen", help="the copygen binary")
    parser.add_argument("--preset", default="tiny")
    parser.add_argument("--vocab", type=int, default=300)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as work:
        # 1. copygen -> transformers
        out = os.path.join(work, "copygen-model")
        subprocess.run([args.copygen, "bench", "interop", "--out", out, "--preset", args.preset, "--vocab", str(args.vocab)],
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "interop.json")) as f:
            record = json.load(f)
        loss, logits = torch_loss(out, record)
        first = torch.tensor(record["logits_first_position"])
        last = torch.tensor(record["logits_last_position"])
        logit_diff = max((logits[0] - first).abs().max().item(), (logits[-1] - last).abs().max().item())
        loss_diff = abs(loss - record["loss"])
        print(f"copygen -> transformers: copygen loss {record['loss']:.6f}, transformers loss {loss:.6f}, "
              f"|diff| {loss_diff:.2e}, max |logit diff| {logit_diff:.2e}")
        ok &= loss_diff <= LOSS_TOLERANCE and logit_diff <= LOGIT_TOLERANCE

        # 2. transformers -> copygen
        config = GPT2Config(vocab_size=args.vocab, n_positions=64, n_embd=64, n_layer=2, n_head=2,
                            activation_function="gelu_new", bos_token_id=0, eos_token_id=0)
        torch.manual_seed(3)
        model = GPT2LMHeadModel(config)
        with torch.no_grad():  # non-trivial LayerNorm parameters and biases
            for name, parameter in model.named_parameters():
                if parameter.dim() == 1:
                    parameter.add_(0.1 * torch.randn_like(parameter))
        hf_dir = os.path.join(work, "transformers-model")
        model.save_pretrained(hf_dir)
        result_dir = os.path.join(work, "copygen-eval")
        subprocess.run([args.copygen, "bench", "interop", "--model", hf_dir, "--out", result_dir],
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(result_dir, "interop.json")) as f:
            record = json.load(f)
        loss, _ = torch_loss(hf_dir, record)
        loss_diff = abs(loss - record["loss"])
        print(f"transformers -> copygen: transformers loss {loss:.6f}, copygen loss {record['loss']:.6f}, |diff| {loss_diff:.2e}")
        ok &= loss_diff <= LOSS_TOLERANCE
    print("checkpoint_interop: " + ("agree" if ok else "DISAGREE"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
