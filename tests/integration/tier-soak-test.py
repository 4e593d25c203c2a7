#!/usr/bin/env python3
"""Hot swaps under load (issue 10): boots the image with several CPUs and runs
`tier soak parallel tiered_work ...`: the shell's CPU swaps tiered_work
between O0..O3 again and again (every 2 s a real promotion: compile, atomic
slot store, the old version retired and freed once every CPU has passed a
quiescent point; in between, slot stores among versions compiled once) while
every other CPU calls it in a loop and checks every result. Asserts: enough
swaps, every other CPU called, no wrong result, no failed swap, nothing left
retired, as many code versions as before, and memory back to its baseline
within what each compiled swap is measured to keep (see below)."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fluid_qemu import Qemu  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    parser.add_argument("--image", required=True)
    parser.add_argument("--smp", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--min-swaps", type=int, default=1000)
    parser.add_argument("--min-compiled", type=int, default=3)
    # What one compiled swap keeps (measured, docs/RELIABILITY.md): its
    # TierEvent in the profile history and ORC's interned symbol name, about
    # 170 bytes of heap, and on average about one page of the page allocator.
    # Cached swaps allocate nothing. Bounds: twice that, per compiled swap.
    parser.add_argument("--heap-per-compile", type=int, default=512)
    parser.add_argument("--pages-per-compile", type=int, default=8192)
    parser.add_argument("--log", default=None)
    args = parser.parse_args()
    qemu = Qemu(args.root, args.image, smp=args.smp, snapshot=True, log=args.log)
    try:
        if not qemu.boot():
            print("no prompt after boot:\n" + qemu.output[-3000:])
            return 1
        reply = qemu.command(f"tier soak parallel tiered_work 12345 --seconds {args.seconds} --json",
                             timeout=args.seconds + 240)
        if reply is None:
            print("no prompt after tier soak:\n" + qemu.output[-3000:])
            return 1
        line = next((l for l in reply.splitlines() if l.startswith("{")), None)
        if line is None:
            print("no JSON from tier soak:\n" + reply)
            return 1
        result = json.loads(line)
        print(json.dumps(result))
        after = qemu.command("jit run parallel tiered_work 12345", timeout=120) or ""
        checks = {
            f"at least {args.min_swaps} swaps": result["swaps"] >= args.min_swaps,
            f"at least {args.min_compiled} of them compiled": result["compiled_swaps"] >= args.min_compiled,
            "every other CPU called": result["cpus_calling"] == args.smp - 1,
            "calls from other CPUs": result["calls"] > result["swaps"] * 4,
            "no wrong result": result["mismatches"] == 0,
            "no failed swap": result["swap_errors"] == 0,
            "nothing left retired": result["retired_left"] == 0,
            "as many code versions as before": result["versions_after"] == result["versions_before"],
            "pages back within the bound": result["code_pages_bytes_after"] - result["code_pages_bytes_before"]
            <= args.pages_per_compile * (result["compiled_swaps"] + 1),
            "heap back within the bound": result["heap_bytes_after"] - result["heap_bytes_before"]
            <= args.heap_per_compile * (result["compiled_swaps"] + 1),
            "the function still answers the same": f"= {result['expected']}" in after,
        }
        failed = [name for name, ok in checks.items() if not ok]
        for name in failed:
            print("FAILED: " + name)
        if failed:
            print(reply + "\n" + after)
        return 1 if failed else 0
    finally:
        qemu.quit()


if __name__ == "__main__":
    sys.exit(main())
