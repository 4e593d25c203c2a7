#!/usr/bin/env python3
"""Power cuts while the kernel writes (issue 10): boots a copy of the image,
starts `fs-churn --profile` (the files /churn/f0..f3.txt rewritten again and
again, each round followed by `profile save`), kills QEMU with SIGKILL at a
seeded random moment, and checks the partition:

  * fsck.fat -n finds nothing but what a cut between two writes may leave
    (kernel/fs/Fat16VolumeWrite.cpp): an unreferenced chain or clusters past
    a file's size to reclaim, or FAT copies that differ while the first one
    is intact;
  * every /churn file is one whole version (its header names the version and
    the rest must be exactly that version's bytes), not older than the last
    version the kernel reported written before the cut;
  * /profile/profile.json (or profile.new, when the cut fell between the
    remove and the rename) is whole JSON.

Then the next cut boots the same image again. Prints one JSON line per cut
and a summary; exits 1 if any check failed.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fluid_qemu import Qemu  # noqa: E402

FILES = 4
HARMLESS = ("fsck.fat ", "Leaving filesystem unchanged", " files, ", "Reclaimed", "unused cluster",
            "Free cluster summary", "FATs differ but appear to be intact", "Using first FAT",
            "cluster chain length is >", "Truncating file to", "Checking we can access")


def churn_content(index, version):
    # The same as churn_content() in kernel/shell/ChurnCommand.cpp.
    text = bytearray(b"fluid churn file %d version %d\n" % (index, version))
    size = 200 + (version * 7919 + index * 104729) % 3000
    for k in range(len(text), size):
        text.append(ord("\n") if k % 64 == 63 else ord("a") + (version * 31 + index * 17 + k) % 26)
    return bytes(text)


def partition_of(image, workdir):
    part = os.path.join(workdir, "part.img")
    subprocess.run(["dd", f"if={image}", f"of={part}", "bs=1M", "skip=1", "conv=sparse", "status=none"], check=True)
    return part


def unexpected_fsck_lines(output):
    bad = []
    for line in output.splitlines():
        if not line.strip() or line.startswith("/") or any(h in line for h in HARMLESS):
            continue
        bad.append(line)
    return bad


def read_file(image, path):
    result = subprocess.run(["mcopy", "-n", "-i", f"{image}@@1M", f"::{path}", "-"], capture_output=True)
    return result.stdout if result.returncode == 0 else None


def check(image, workdir, acked, previous):
    problems = []
    part = partition_of(image, workdir)
    fsck = subprocess.run(["fsck.fat", "-n", part], capture_output=True, text=True)
    fsck_output = fsck.stdout + fsck.stderr
    problems += ["fsck: " + line for line in unexpected_fsck_lines(fsck_output)]
    versions = []
    for i in range(FILES):
        data = read_file(image, f"/churn/f{i}.txt")
        if data is None:
            if acked or previous:
                problems.append(f"/churn/f{i}.txt is missing after version {acked or previous} was written")
            versions.append(None)
            continue
        match = re.match(rb"fluid churn file (\d+) version (\d+)\n", data)
        if not match or int(match.group(1)) != i:
            problems.append(f"/churn/f{i}.txt has no valid header: {data[:40]!r}")
            continue
        version = int(match.group(2))
        versions.append(version)
        if data != churn_content(i, version):
            problems.append(f"/churn/f{i}.txt version {version} is not that version's bytes ({len(data)} bytes)")
        if version < max(acked, previous):
            problems.append(f"/churn/f{i}.txt is version {version}, older than {max(acked, previous)}")
    profile = read_file(image, "/profile/profile.json")
    staged = read_file(image, "/profile/profile.new")
    for name, data in (("profile.json", profile), ("profile.new", staged)):
        if data is None:
            continue
        try:
            json.loads(data)
        except ValueError:
            problems.append(f"/profile/{name} is not whole JSON ({len(data)} bytes)")
    if acked and profile is None and staged is None:
        problems.append("no /profile/profile.json nor profile.new after a profile save")
    return problems, fsck.returncode, versions


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    parser.add_argument("--image", required=True)
    parser.add_argument("--cuts", type=int, default=4)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--log", default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="fluid-power-cut-")
    image = os.path.join(workdir, "fluid.img")
    subprocess.run(["cp", "--sparse=always", args.image, image], check=True)
    failures = 0
    previous = 0
    fsck_clean = 0
    started = time.monotonic()
    try:
        for cut in range(args.cuts):
            qemu = Qemu(args.root, image, smp=1, log=args.log)
            if not qemu.boot():
                print(f"cut {cut}: no prompt after boot\n{qemu.output[-2000:]}")
                qemu.kill()
                return 1
            first = cut * 1000000 + 1
            qemu.send(f"fs-churn --files {FILES} --rounds 1000000 --first {first} --profile")
            if qemu.wait_for("churn version", 60) is None:
                print(f"cut {cut}: fs-churn did not start\n{qemu.output[-2000:]}")
                qemu.kill()
                return 1
            delay = rng.uniform(0.05, 4.0)
            time.sleep(delay)
            qemu.kill()
            written = [int(v) for v in re.findall(r"churn version (\d+) written", qemu.output)]
            acked = max(written) if written else 0
            problems, fsck_status, versions = check(image, workdir, acked, previous)
            fsck_clean += fsck_status == 0
            failures += bool(problems)
            print(json.dumps({"cut": cut, "after_s": round(delay, 2), "rounds_acked": acked - first + 1 if acked else 0,
                              "versions": versions, "fsck_exit": fsck_status, "problems": problems}))
            previous = max([v for v in versions if v] + [acked, previous])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps({"cuts": args.cuts, "failed": failures, "fsck_clean": fsck_clean,
                      "fsck_reclaim_only": args.cuts - fsck_clean - failures, "seconds": round(time.monotonic() - started)}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
