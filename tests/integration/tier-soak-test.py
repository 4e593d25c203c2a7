#!/usr/bin/env python3
"""Hot swaps under load (issue 10): boots the image with several CPUs and runs
`tier soak parallel tiered_work ...`: the shell's CPU swaps tiered_work
between O0..O3 again and again (every 2 s a real promotion: compile, atomic
slot store, the old version retired and freed once every CPU has passed a
quiescent point; in between, slot stores among versions compiled once) while
every other CPU calls it in a loop and checks every result. Asserts: enough
swaps, every other CPU called, no wrong result, no failed swap, nothing left
retired, as many code versions as before, JIT code memory (what mmap holds:
JITLink's code and data) exactly as before, the heap's live bytes exactly as
before, the heap's pages exactly as before but for its PageMap's nodes (one
per 2 MiB it has ever used, never freed; bounded by RAM), page-allocator
pages owned by nobody we know of (not heap, not JIT code, not page tables)
exactly as before, and page tables back within one table per 2 MiB region
the recompiled version can land in (measured: exactly as before).

Then unloads a module while versions of its function are still retired
(`tier unload-pending fib fib 15`): nothing crashes, the retired versions go
with the module, its code memory is freed, and the module loads again, uses
exactly as much code memory as before and answers the same."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fluid_qemu import Qemu  # noqa: E402


def json_line(reply):
    return json.loads(next((l for l in (reply or "").splitlines() if l.startswith("{")), "null"))


def unload_pending(qemu):
    """Unload with retired versions pending, reload, compare code memory."""
    before = json_line(qemu.command("mem --json", timeout=60))
    reply = qemu.command("tier unload-pending fib fib 15 --json", timeout=240)
    u = json_line(reply)
    reloaded = qemu.command("load /modules/fib.bc", timeout=120) or ""
    again = json_line(qemu.command("mem --json", timeout=60))
    answer = qemu.command("jit run fib fib 15", timeout=120) or ""
    print(json.dumps({"unload_pending": u, "mem_before": before, "mem_after_reload": again}))
    if not (u and before and again):
        print("no JSON from the unload check:\n" + (reply or "") + reloaded)
        return {"unload check ran": False}
    return {
        "unload: results right at every tier": u["pins"] == 3 and u["wrong"] == 0,
        "unload: versions were retired when the module went": u["retired_at_unload"] >= u["retired_before"] + 1,
        "unload: none left retired after it": u["retired_after_unload"] == u["retired_before"],
        "unload: every version of the module freed": u["versions_after"] == u["versions_before"],
        "unload: its code memory freed": u["jit_code_bytes_after"] < u["jit_code_bytes_before"],
        "unload: module loads again": "error" not in reloaded,
        "unload: reloaded, JIT code memory exactly as before": again["jit_code_bytes"] == before["jit_code_bytes"],
        "unload: reloaded, as many JIT mappings as before": again["jit_mappings"] == before["jit_mappings"],
        "unload: reloaded, it answers the same": "= 610" in answer,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    parser.add_argument("--image", required=True)
    parser.add_argument("--smp", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--min-swaps", type=int, default=1000)
    parser.add_argument("--min-compiled", type=int, default=3)
    # The one compiled version that is live after the soak is not the one
    # that was live before it: its code may sit in other 2 MiB regions, each
    # split into a 4 KiB table (a mapping of a few pages spans at most two).
    parser.add_argument("--page-table-slack", type=int, default=2 * 4096)
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
        ram = (json_line(qemu.command("mem --json", timeout=60)) or {}).get("highest_address", 0)
        r = result
        checks = {
            f"at least {args.min_swaps} swaps": r["swaps"] >= args.min_swaps,
            f"at least {args.min_compiled} of them compiled": r["compiled_swaps"] >= args.min_compiled,
            "every other CPU called": r["cpus_calling"] == args.smp - 1,
            "calls from other CPUs": r["calls"] > r["swaps"] * 4,
            "no wrong result": r["mismatches"] == 0,
            "no failed swap": r["swap_errors"] == 0,
            "nothing left retired": r["retired_left"] == 0,
            "as many code versions as before": r["versions_after"] == r["versions_before"],
            "JIT code memory exactly as before": r["jit_code_bytes_after"] == r["jit_code_bytes_before"],
            "as many JIT mappings as before": r["jit_mappings_after"] == r["jit_mappings_before"],
            "JIT code memory as at the start once the soak's own versions are gone":
                r["jit_code_bytes_end"] == r["jit_code_bytes_start"] and r["versions_end"] == r["versions_start"],
            "heap live bytes exactly as before": r["heap_bytes_after"] == r["heap_bytes_before"],
            "no page growth outside heap, JIT code and page tables":
                r["other_pages_bytes_after"] == r["other_pages_bytes_before"],
            # The heap's PageMap keeps one 4 KiB node per 2 MiB of addresses
            # the heap has ever used (kernel/mm/PageMap.h): the only growth.
            "heap pages exactly as before but for its page map":
                r["heap_pages_bytes_after"] - r["heap_map_bytes_after"]
                == r["heap_pages_bytes_before"] - r["heap_map_bytes_before"],
            "heap page map within one node per 2 MiB (and per 1 GiB) of RAM":
                r["heap_map_bytes_after"] <= 4096 * (ram // (2 << 20) + ram // (1 << 30) + 2),
            "page tables back within the slack":
                r["page_table_bytes_after"] - r["page_table_bytes_before"] <= args.page_table_slack,
            "the function still answers the same": f"= {r['expected']}" in after,
        }
        checks.update(unload_pending(qemu))
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
