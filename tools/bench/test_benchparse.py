#!/usr/bin/env python3
"""Unit tests of the serial driver's parser and report (ctest: bench.driver_parser).

testdata/qemu-serial.txt is real output of `bench --json --iterations 3` in
QEMU (after boot and `jit info`), with the damage a serial line does: ANSI
escapes, a kernel message in front of an object, a line cut short and sent
again, binary garbage, a JSON object that is not a result, CRLF endings.
"""

import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchparse import parse_lines, ratio  # noqa: E402
from report import markdown_table, svg_chart  # noqa: E402

SUITE = ["fibonacci", "sum", "compute", "primes", "fft_1d", "sha256", "matrix_mul", "quicksort", "strops",
         "regex_dfa", "gemm_tile", "physics_step"]


def recorded():
    with open(os.path.join(HERE, "testdata", "qemu-serial.txt"), "rb") as f:
        return f.read()


class ParseRecordedOutput(unittest.TestCase):
    def test_every_workload_is_found_once_despite_the_garbage(self):
        workloads, summary = parse_lines(recorded())
        self.assertEqual([w["name"] for w in workloads], SUITE)
        self.assertTrue(all(w["check"] == "pass" for w in workloads))
        self.assertEqual(summary["workloads"], 12)
        self.assertEqual(summary["passed"], 12)

    def test_fields_are_numbers_and_nulls(self):
        workloads, _ = parse_lines(recorded())
        sha = next(w for w in workloads if w["name"] == "sha256")
        self.assertIsInstance(sha["o0_ns"], int)
        self.assertGreater(sha["o0_ns"], 0)
        self.assertIsInstance(sha["compile_ms"]["o3"], float)
        self.assertIsNone(sha["swapped_after_calls"])
        self.assertEqual(sha["checks"], {"o0": "pass", "o3": "pass", "aot": "pass"})

    def test_a_cut_line_alone_is_not_a_result(self):
        text = recorded().decode("utf-8", "replace")
        line = next(l for l in text.splitlines() if l.startswith('{"name":"strops"'))
        workloads, summary = parse_lines(line[:60] + "\n" + "fluid> ")
        self.assertEqual(workloads, [])
        self.assertIsNone(summary)

    def test_a_failing_workload_and_two_objects_on_one_line(self):
        fail = '{"name":"wrong","check":"fail","o0_ns":null,"o3_ns":null,"aot_ns":null,' \
               '"compile_ms":{"o0":1.0,"o3":2.0},"swapped_after_calls":null}'
        summary = '{"summary":"bench","workloads":1,"passed":0,"failed":1,"check":"fail"}'
        workloads, parsed = parse_lines(b"\x1b[0m" + (fail + " " + summary).encode())
        self.assertEqual(len(workloads), 1)
        self.assertEqual(workloads[0]["check"], "fail")
        self.assertEqual(parsed["failed"], 1)

    def test_nothing_parseable(self):
        self.assertEqual(parse_lines(b"\xff\xfe{{{{ }}} fluid> \x00"), ([], None))
        self.assertEqual(parse_lines(""), ([], None))

    def test_ratio(self):
        self.assertEqual(ratio(300, 100), 3.0)
        self.assertIsNone(ratio(None, 100))
        self.assertIsNone(ratio(100, 0))


class Report(unittest.TestCase):
    def test_markdown_has_a_row_per_workload(self):
        workloads, _ = parse_lines(recorded())
        table = markdown_table(workloads, "QEMU")
        rows = [l for l in table.splitlines() if l.startswith("| ") and not l.startswith("| workload")]
        self.assertEqual(len(rows), 12)
        self.assertIn("| sha256 | pass |", table)

    def test_svg_is_well_formed_and_names_every_workload(self):
        import xml.etree.ElementTree as ElementTree
        workloads, _ = parse_lines(recorded())
        svg = svg_chart(workloads, "test")
        root = ElementTree.fromstring(svg)
        texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        for name in SUITE:
            self.assertIn(name, texts)
        bars = list(root.iter("{http://www.w3.org/2000/svg}rect"))
        self.assertGreaterEqual(len(bars), 12 * 3)
        json.dumps(workloads)  # what the driver writes must serialise


if __name__ == "__main__":
    unittest.main()
