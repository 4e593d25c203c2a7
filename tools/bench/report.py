"""The benchmark results as a Markdown table and an SVG bar chart.

The chart needs nothing beyond Python: per workload, the time per call at
JIT-O0, JIT-O3 and AOT-O3, relative to AOT (AOT = 1, lower is faster).
"""

from benchparse import ratio


def _number(value, digits=0):
    if value is None:
        return "-"
    if isinstance(value, float) or digits:
        return f"{value:.{digits}f}"
    return str(value)


def markdown_table(workloads, title):
    lines = [f"### {title}", "",
             "| workload | check | n | O0 ns/call | O3 ns/call | AOT ns/call | O0/O3 | O3/AOT | "
             "compile O0 ms | compile O3 ms | swapped after |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for w in workloads:
        compile_ms = w.get("compile_ms") or {}
        swapped = w.get("swapped_after_calls")
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            w["name"], w["check"], _number(w.get("n")), _number(w.get("o0_ns")), _number(w.get("o3_ns")),
            _number(w.get("aot_ns")), _number(ratio(w.get("o0_ns"), w.get("o3_ns")), 2),
            _number(ratio(w.get("o3_ns"), w.get("aot_ns")), 2), _number(compile_ms.get("o0"), 2),
            _number(compile_ms.get("o3"), 2), "-" if swapped is None else swapped))
    return "\n".join(lines) + "\n"


def svg_chart(workloads, title):
    """Grouped bars: O0/AOT, O3/AOT and AOT/AOT (= 1) per workload."""
    series = [("JIT O0", "o0_ns", "#d95f02"), ("JIT O3", "o3_ns", "#1b9e77"), ("AOT O3", "aot_ns", "#7570b3")]
    rows = []
    for w in workloads:
        values = [ratio(w.get(key), w.get("aot_ns")) for _, key, _ in series]
        rows.append((w["name"], w["check"], values))
    top = max([v for _, _, values in rows for v in values if v is not None] + [1.0])
    width, height, left, bottom, top_margin = 60 + 70 * max(len(rows), 1), 420, 50, 90, 40
    plot_height = height - bottom - top_margin
    scale = plot_height / (top * 1.05)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           f'font-size="11">',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{title}</text>']
    step = max(1, int(top / 5) or 1)
    tick = 0
    while tick <= top * 1.05:
        y = height - bottom - tick * scale
        out.append(f'<text x="{left - 5}" y="{y + 4}" text-anchor="end">{tick}x</text>')
        out.append(f'<line x1="{left}" y1="{y}" x2="{width - 10}" y2="{y}" stroke="#ddd"/>')
        tick += step
    # The axes over the grid, the bars over both.
    out.append(f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="black"/>')
    out.append(f'<line x1="{left}" y1="{top_margin}" x2="{left}" y2="{height - bottom}" stroke="black"/>')
    for i, (name, check, values) in enumerate(rows):
        x0 = left + 10 + 70 * i
        for j, value in enumerate(values):
            if value is None:
                continue
            bar = value * scale
            out.append(f'<rect x="{x0 + 18 * j}" y="{height - bottom - bar}" width="16" height="{bar}" '
                       f'fill="{series[j][2]}"><title>{name} {series[j][0]}: {value:.2f}x AOT</title></rect>')
        label = name if check == "pass" else name + " (FAIL)"
        out.append(f'<text x="{x0 + 27}" y="{height - bottom + 12}" text-anchor="end" '
                   f'transform="rotate(-45 {x0 + 27} {height - bottom + 12})">{label}</text>')
    for j, (label, _, color) in enumerate(series):
        out.append(f'<rect x="{left + 10 + 90 * j}" y="{height - 20}" width="10" height="10" fill="{color}"/>')
        out.append(f'<text x="{left + 24 + 90 * j}" y="{height - 11}">{label}</text>')
    out.append(f'<text x="12" y="{top_margin + plot_height / 2}" transform="rotate(-90 12 '
               f'{top_margin + plot_height / 2})" text-anchor="middle">time per call / AOT</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
