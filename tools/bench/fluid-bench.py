#!/usr/bin/env python3
"""fluid-bench: run the benchmark suite over a serial line and write results.

Boots the image in QEMU (qemu/fluid-qemu.sh, serial on stdio, --snapshot),
or talks to a machine that booted the USB stick (--serial /dev/ttyUSB0),
waits for the prompt, types `bench --json`, reads the JSON lines (anything
else on the line is ignored) and writes, under --out (default results/):

  bench-<timestamp>.json  machine, cpu model, QEMU version, smp, commit, workloads
  bench-<timestamp>.md    the table (and fluid-host's, with --host-bin)
  bench-<timestamp>.svg   time per call at each tier relative to AOT

A progress line on stderr names each workload as its result arrives.
Exit status: 0 when every workload passed its checks, 1 otherwise, 2 on a
usage or connection error.
"""

import argparse
import datetime
import json
import os
import platform
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchparse import parse_lines  # noqa: E402
from report import markdown_table, svg_chart  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT = b"fluid> "


class SerialLink:
    """A byte pipe to the guest: QEMU's stdio, or a tty at 115200 8N1."""

    def __init__(self, args):
        self.process = None
        self.log = open(args.log, "ab") if args.log else None
        if args.serial:
            import termios
            import tty
            self.fd = os.open(args.serial, os.O_RDWR | os.O_NOCTTY)
            tty.setraw(self.fd)
            attributes = termios.tcgetattr(self.fd)
            attributes[4] = attributes[5] = termios.B115200
            termios.tcsetattr(self.fd, termios.TCSANOW, attributes)
            self.read_fd = self.write_fd = self.fd
        else:
            command = [os.path.join(ROOT, "qemu", "fluid-qemu.sh"), "--image", args.image, "--snapshot",
                       "--smp", str(args.smp), "--serial", "stdio"]
            if args.uefi:
                command.append("--uefi")
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL, start_new_session=True)
            self.read_fd = self.process.stdout.fileno()
            self.write_fd = self.process.stdin.fileno()
        self.buffer = b""

    def send(self, line):
        os.write(self.write_fd, line.encode() + b"\r")

    def read_until(self, needle, timeout, on_data=None):
        """Reads until `needle` (bytes) appears; returns everything before it, or None on timeout/EOF."""
        deadline = time.monotonic() + timeout
        while needle not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.read_fd], [], [], min(remaining, 1.0))
            if not ready:
                continue
            chunk = os.read(self.read_fd, 65536)
            if not chunk:
                return None
            if self.log:
                self.log.write(chunk)
                self.log.flush()
            self.buffer += chunk
            if on_data:
                on_data(self.buffer)
        text, _, self.buffer = self.buffer.partition(needle)
        return text

    def close(self):
        if self.process:
            try:
                self.send("poweroff")
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, 9)
                self.process.wait()


def command_output(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT).stdout.strip()
    except OSError:
        return ""


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def commit():
    head = command_output(["git", "rev-parse", "HEAD"]) or "unknown"
    dirty = command_output(["git", "status", "--porcelain", "--untracked-files=no"])
    return head + ("-dirty" if dirty else "")


class Progress:
    """Prints a line to stderr for each workload result as it arrives."""

    def __init__(self, expected):
        self.seen = set()
        self.expected = expected

    def __call__(self, buffer):
        workloads, _ = parse_lines(buffer)
        for w in workloads:
            if w["name"] not in self.seen:
                self.seen.add(w["name"])
                total = f"/{self.expected}" if self.expected else ""
                print(f"fluid-bench: [{len(self.seen)}{total}] {w['name']}: {w['check']}", file=sys.stderr, flush=True)


def fail(message):
    """A connection or usage failure: exit status 2 (1 means a workload failed)."""
    print("fluid-bench: " + message, file=sys.stderr)
    sys.exit(2)


def run_guest(args):
    link = SerialLink(args)
    try:
        if args.serial:
            link.send("")  # a fresh prompt on a machine that booted long ago
        boot = link.read_until(PROMPT, args.boot_timeout)
        if boot is None:
            fail("no 'fluid> ' prompt (did the kernel boot? see --log)")
        link.send("jit info")
        info = (link.read_until(PROMPT, 60) or b"").decode("utf-8", "replace")
        target = next((line.strip() for line in info.splitlines() if line.startswith("LLVM ")), "")
        command = " ".join(["bench", "--json", "--iterations", str(args.iterations)] + args.names)
        print(f"fluid-bench: {command}", file=sys.stderr, flush=True)
        link.send(command)
        output = link.read_until(PROMPT, args.timeout, Progress(len(args.names) or 12))
        if output is None:
            fail("the suite did not finish in time (see --log)")
        return output, target
    finally:
        link.close()


def run_host(args):
    command = [args.host_bin, "bench", "--json", "--iterations", str(args.iterations)] + args.names
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    workloads, summary = parse_lines(result.stdout)
    return workloads, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="workloads (default: all)")
    parser.add_argument("--image", default=os.path.join(ROOT, "build", "fluid.img"))
    parser.add_argument("--serial", help="a tty to a machine running Fluid instead of QEMU (e.g. /dev/ttyUSB0)")
    parser.add_argument("--smp", type=int, default=1)
    parser.add_argument("--uefi", action="store_true")
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--out", default=os.path.join(ROOT, "results"))
    parser.add_argument("--host-bin", help="also run `fluid-host bench` (this path) and add its table")
    parser.add_argument("--log", help="append everything the guest prints to this file")
    parser.add_argument("--boot-timeout", type=float, default=240)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for the whole suite")
    args = parser.parse_args()
    if not args.serial and not os.path.exists(args.image):
        parser.error(f"no image {args.image} (./fluid image)")

    started = datetime.datetime.now(datetime.timezone.utc)
    output, target = run_guest(args)
    workloads, summary = parse_lines(output)
    if not workloads:
        print("fluid-bench: no results in the guest's output:\n" + output.decode("utf-8", "replace")[-2000:],
              file=sys.stderr)
        return 2
    qemu_version = "" if args.serial else command_output(["qemu-system-x86_64", "--version"]).splitlines()[0]
    results = {
        "timestamp": started.isoformat(timespec="seconds"),
        "machine": platform.node(),
        "cpu_model": cpu_model(),
        "target": args.serial or "qemu",
        "qemu_version": qemu_version,
        "firmware": "uefi" if args.uefi else "bios",
        "smp": args.smp,
        "commit": commit(),
        "iterations": args.iterations,
        "guest_jit": target,
        "workloads": workloads,
        "summary": summary,
    }
    title = f"Fluid bench, {results['target']}, smp {args.smp}, {results['commit'][:12]}"
    markdown = f"# Fluid benchmark suite, {results['timestamp']}\n\n" \
               f"machine {results['machine']} ({results['cpu_model']}), {qemu_version or args.serial}, " \
               f"smp {args.smp}, commit {results['commit']}, medians of {args.iterations} calls\n\n" + \
               markdown_table(workloads, "In the kernel (" + results["target"] + ")")
    if args.host_bin:
        host_workloads, host_summary = run_host(args)
        results["host_workloads"] = host_workloads
        results["host_summary"] = host_summary
        markdown += "\n" + markdown_table(host_workloads, "fluid-host on Linux")

    os.makedirs(args.out, exist_ok=True)
    stem = os.path.join(args.out, "bench-" + started.strftime("%Y%m%dT%H%M%SZ"))
    with open(stem + ".json", "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    with open(stem + ".md", "w") as f:
        f.write(markdown)
    with open(stem + ".svg", "w") as f:
        f.write(svg_chart(workloads, title))
    print(markdown)
    for suffix in (".json", ".md", ".svg"):
        print(stem + suffix)
    all_passed = all(w["check"] == "pass" for w in workloads) and (summary or {}).get("check") == "pass"
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main())
