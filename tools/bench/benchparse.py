"""Reading the benchmark suite's output off a serial line.

The kernel's `bench --json` (and `fluid-host bench --json`) prints one JSON
object per workload and a summary object, one per line. Between them the
serial line may carry anything: the echo of the command, the prompt, kernel
messages, ANSI escapes, half a line from before, or bytes mangled in
transit. parse_lines keeps the objects that look like results and ignores
everything else; it never raises on bad input.
"""

import json
import re

# Fields every workload object has (kernel/bench/BenchReport.cpp).
WORKLOAD_FIELDS = ("name", "check", "o0_ns", "o3_ns", "aot_ns", "compile_ms", "swapped_after_calls")

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _objects_in(line):
    """JSON objects found in one line: each '{' tried as the start of one."""
    decoder = json.JSONDecoder()
    found = []
    index = line.find("{")
    while index != -1:
        try:
            value, end = decoder.raw_decode(line, index)
        except ValueError:
            index = line.find("{", index + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        index = line.find("{", end)
    return found


def is_workload(value):
    return isinstance(value, dict) and all(field in value for field in WORKLOAD_FIELDS) and \
        isinstance(value["name"], str) and value["check"] in ("pass", "fail")


def is_summary(value):
    return isinstance(value, dict) and value.get("summary") == "bench"


def parse_lines(text):
    """(workloads, summary) from raw serial text; summary is None if absent.

    A workload seen twice (a repeated run) keeps its last result.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    workloads = {}
    summary = None
    for raw in re.split(r"[\r\n]+", text):
        line = _ANSI.sub("", raw)
        for value in _objects_in(line):
            if is_workload(value):
                workloads[value["name"]] = value
            elif is_summary(value):
                summary = value
    return list(workloads.values()), summary


def ratio(numerator, denominator):
    if not isinstance(numerator, (int, float)) or not isinstance(denominator, (int, float)) or denominator <= 0:
        return None
    return numerator / denominator
