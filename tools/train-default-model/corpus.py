"""The training text: the King James Bible as Debian's bible-kjv-text ships it.

bible-kjv-text keeps the text in its own compressed format; the `bible`
program of the bible-kjv package prints it. We print every verse without
pretty-printing, drop the reference ("Ge1:1 "), join the verses of a chapter
with spaces and the chapters with newlines.
"""
import re
import subprocess

REFERENCE = re.compile(r"^([0-9]?[A-Za-z]+)([0-9]+):([0-9]+) (.*)$")


def kjv_text():
    printed = subprocess.run(["bible", "-f", "gen1:1-rev22:21"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, check=True).stdout
    chapters = []
    verses = []
    for line in printed.splitlines():
        match = REFERENCE.match(line)
        if not match:
            if line.strip():
                raise ValueError("unexpected line from bible: %r" % line[:80])
            continue
        if match.group(3) == "1" and verses:
            chapters.append(" ".join(verses))
            verses = []
        verses.append(match.group(4).strip())
    if verses:
        chapters.append(" ".join(verses))
    return "\n".join(chapters) + "\n"


if __name__ == "__main__":
    text = kjv_text()
    print("%d chapters, %d characters" % (text.count("\n"), len(text)))
