"""Trains the default model: vocabulary, then a small Llama, on one CPU thread.

usage: train.py WORKDIR [--steps N] [--seed N]
Writes WORKDIR/corpus.txt, vocab.json, ids.pt, and checkpoint.pt every
--checkpoint-every steps (and at the end), so that an interrupted run still
leaves a usable model; convert.py turns checkpoint.pt into GGUF.
Deterministic for a seed on the same torch build (one thread).
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402
import tokenizer  # noqa: E402
from model import Config, Llama  # noqa: E402

HYPERPARAMETERS = dict(vocab=1024, dim=128, layers=4, heads=4, kv_heads=2, ffn=384, context=256)


def prepare(workdir, vocab_size):
    text_path = os.path.join(workdir, "corpus.txt")
    vocab_path = os.path.join(workdir, "vocab.json")
    ids_path = os.path.join(workdir, "ids.pt")
    if not os.path.exists(text_path):
        with open(text_path, "w", encoding="utf-8") as f:
            f.write(corpus.kjv_text())
    with open(text_path, encoding="utf-8") as f:
        text = f.read()
    if os.path.exists(vocab_path):
        with open(vocab_path, encoding="utf-8") as f:
            saved = json.load(f)
        vocab = tokenizer.Vocab(saved["tokens"], saved["scores"], saved["types"])
    else:
        started = time.time()
        vocab = tokenizer.Vocab.train(text, vocab_size)
        print("vocabulary of %d learned in %.0f s" % (len(vocab.tokens), time.time() - started), flush=True)
        with open(vocab_path, "w", encoding="utf-8") as f:
            json.dump({"tokens": vocab.tokens, "scores": vocab.scores, "types": vocab.types}, f)
    if os.path.exists(ids_path):
        ids = torch.load(ids_path)
    else:
        ids = torch.tensor(vocab.encode(text), dtype=torch.int16)
        torch.save(ids, ids_path)
    print("corpus: %d characters, %d tokens" % (len(text), len(ids)), flush=True)
    return vocab, ids.long()


def learning_rate(step, steps, peak, warmup):
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir")
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--checkpoint-every", type=int, default=25)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)

    config = Config(**HYPERPARAMETERS)
    vocab, ids = prepare(args.workdir, config.vocab)
    # The last 2 % (the end of Revelation) is held out for the validation loss.
    split = int(len(ids) * 0.98)
    train_ids, valid_ids = ids[:split], ids[split:]
    model = Llama(config)
    print("parameters: %d" % sum(p.numel() for p in model.parameters()), flush=True)
    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=args.lr, betas=(0.9, 0.95))
    checkpoint_path = os.path.join(args.workdir, "checkpoint.pt")
    start = 0
    generator = torch.Generator().manual_seed(args.seed)
    if os.path.exists(checkpoint_path):
        saved = torch.load(checkpoint_path)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        generator.set_state(saved["generator"])
        start = saved["step"]
        print("resuming at step %d" % start, flush=True)

    span = config.context + 1
    valid_starts = torch.linspace(0, len(valid_ids) - span - 1, 8).long()

    def validation_loss():
        model.eval()
        with torch.no_grad():
            batch = torch.stack([valid_ids[s:s + span] for s in valid_starts.tolist()])
            logits = model(batch[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, config.vocab), batch[:, 1:].reshape(-1)).item()
        model.train()
        return loss

    def save(step):
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "generator": generator.get_state(),
                    "step": step, "config": config.to_dict(), "seed": args.seed, "steps": args.steps},
                   checkpoint_path + ".tmp")
        os.replace(checkpoint_path + ".tmp", checkpoint_path)

    started = time.time()
    for step in range(start, args.steps):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, args.steps, args.lr, args.warmup)
        starts = torch.randint(0, len(train_ids) - span, (args.batch,), generator=generator)
        batch = torch.stack([train_ids[s:s + span] for s in starts.tolist()])
        logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, config.vocab), batch[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        done = step + 1
        if done % 10 == 0:
            elapsed = time.time() - started
            rate = (done - start) * args.batch * config.context / elapsed
            print("step %d/%d loss %.3f lr %.2e %.0f tok/s %.0f s" % (done, args.steps, loss.item(),
                  optimizer.param_groups[0]["lr"], rate, elapsed), flush=True)
        if done % args.checkpoint_every == 0 or done == args.steps:
            save(done)
        if done % 100 == 0 or done == args.steps:
            print("step %d validation loss %.3f" % (done, validation_loss()), flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main()
