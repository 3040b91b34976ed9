"""Code similarity in a class: the pairs of students whose exercise code is unusually alike.

Batch writes ``similarity.html`` and ``similarity.csv`` beside the gradebook: for each exercise,
each pair of students whose code shares at least :data:`THRESHOLD` of one side's fingerprints,
with the matching lines of both. It is a lead for an instructor to read, not a verdict: small
exercises leave little room to differ, and two students may both have copied the reference
solution.

The fingerprinting is copydetect's (MOSS's winnowing over Pygments tokens, with names and
strings folded, so renaming variables hides nothing). Fingerprints of the starter code are left
out: what the course handed out is nobody's copy. Students are compared file by file (the same
path in the same exercise). The code is the text of each student's private copy, read as the
copy is made (:func:`read_code`): it is never imported or run, and what is read is bounded
(:data:`FILE_LIMIT`, :data:`FILES_LIMIT`, :data:`STUDENT_LIMIT`): a generated class of 150 (15
exercises, mostly variations of one solution: 72,705 pairs alike) took 30 s of CPU and 190 MB. The
page lists the :data:`SHOWN_PAIRS` most alike; ``similarity.csv`` lists every pair.

A shard of a class (``batch --shard K/N``) compares nothing: it keeps its students' code in
``code.json`` (:func:`save_code`), and ``merge`` compares the whole class from the shards' files.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from grading.judge.submissions import write_atomic
from grading.outputs import safe
from grading.outputs.pages import document, student_href

HTML, CSV = "similarity.html", "similarity.csv"
CODE = "code.json"  # a shard's students' code, compared when the shards are merged
LANGUAGES = {".py": "python", ".html": "html", ".htm": "html", ".css": "css", ".js": "javascript"}  # Pygments' lexers
SUFFIXES = tuple(LANGUAGES)  # the students' code
FILE_LIMIT = 64_000  # characters of one file; a bigger one is not code a student wrote
FILES_LIMIT = 40  # files of one exercise
STUDENT_LIMIT = 1_000_000  # characters of one student's code in all: 150 students hold 150 MB at most
NOISE, GUARANTEE = 25, 30  # copydetect's defaults: a match shorter than NOISE tokens is noise
THRESHOLD = 0.6  # share of one side's fingerprints found in the other's
MIN_MATCH = 2 * NOISE  # tokens matched, at the least: two lines alike are no copy
SHOWN_LINES = 120  # of each side of a pair, on the page
SHOWN_PAIRS, DETAILED_PAIRS = 300, 50  # the page lists the most alike, and shows their lines; the CSV has all

Code = dict[str, dict[str, str]]  # exercise -> path in the exercise folder -> text


def read_code(copy: Path) -> Code:
    """The code of a private copy (one folder per exercise): text files of :data:`SUFFIXES`,
    links not followed, at most :data:`FILES_LIMIT` files of :data:`FILE_LIMIT` characters each,
    :data:`STUDENT_LIMIT` in all."""
    found: Code = {}
    left = STUDENT_LIMIT
    for exercise in sorted(p for p in copy.iterdir() if p.is_dir() and not p.is_symlink()):
        files = found.setdefault(exercise.name, {})
        for here, folders, names in os.walk(exercise):
            folders[:] = sorted(f for f in folders if not f.startswith((".", "__pycache__")))
            for name in sorted(names):
                path = Path(here) / name
                if len(files) >= FILES_LIMIT or not name.endswith(SUFFIXES) or path.is_symlink():
                    continue
                try:
                    with path.open("rb") as f:
                        data = f.read(FILE_LIMIT + 1)
                except OSError:  # unreadable: it is graded as it is, but compares with nothing
                    continue
                if len(data) <= min(FILE_LIMIT, left):
                    left -= len(data)
                    files[path.relative_to(exercise).as_posix()] = data.decode("utf-8", "replace")
    return found


@dataclass
class Side:
    student: str
    share: float  # of this student's fingerprints, found in the other's code
    lines: list[tuple[str, int, int]] = field(default_factory=list)  # (path, first line, last line) matched
    code: dict[str, str] = field(default_factory=dict)


@dataclass
class Pair:
    exercise: str
    a: Side
    b: Side
    matched: int  # tokens

    @property
    def share(self) -> float:
        return max(self.a.share, self.b.share)


def _lines(text: str, slices) -> list[tuple[int, int]]:
    """Character slices of ``text`` as ranges of whole lines (1-based), merged."""
    ranges: list[tuple[int, int]] = []
    for start, end in sorted(zip(slices[0], slices[1])):
        first = text.count("\n", 0, int(start)) + 1
        last = text.count("\n", 0, max(int(start), int(end) - 1)) + 1
        if ranges and first <= ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], max(last, ranges[-1][1]))
        else:
            ranges.append((first, last))
    return ranges


def compare(codes: dict[str, Code], starters: Code, threshold: float = THRESHOLD) -> list[Pair]:
    """Every pair of students and exercise whose code is alike past ``threshold``, most alike first."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # copydetect warns through the root logger of each file it cannot tokenize
    try:
        return _compare(codes, starters, threshold)
    finally:
        root.setLevel(level)


def _compare(codes: dict[str, Code], starters: Code, threshold: float) -> list[Pair]:
    import numpy as np  # imported here: batch pays for copydetect (and matplotlib) only when comparing
    from copydetect import CodeFingerprint, compare_files

    window = GUARANTEE - NOISE + 1

    cache: dict[tuple, object] = {}

    def fingerprint(path: str, text: str, boilerplate=None):
        """A file's fingerprints, once per text: many students hand in the same starter or solution."""
        key = (path, text, boilerplate is not None)
        if key not in cache:
            language = LANGUAGES[Path(path).suffix.lower()]
            cache[key] = CodeFingerprint(path, NOISE, window, boilerplate=boilerplate, fp=io.StringIO(text),
                                         language=language)
        return cache[key]

    pairs = []
    for exercise in sorted({e for code in codes.values() for e in code}):
        cache.clear()
        handed_out = {p: np.array(sorted(fingerprint(p, t).hashes)) for p, t in starters.get(exercise, {}).items()}
        cache.clear()
        prints = {
            student: {p: fingerprint(p, t, handed_out.get(p)) for p, t in code[exercise].items()}
            for student, code in sorted(codes.items()) if exercise in code
        }
        for a, b in itertools.combinations(prints, 2):
            sides, found, covered = (Side(a, 0.0), Side(b, 0.0)), [0.0, 0.0], [0.0, 0.0]
            for path in sorted(set(prints[a]) & set(prints[b])):
                both = (prints[a][path], prints[b][path])
                covered = [c + fp.token_coverage for c, fp in zip(covered, both)]
                shared = len(both[0].hashes & both[1].hashes)
                if not shared or shared < threshold / 2 * min(len(fp.hashes) for fp in both):
                    continue  # too few fingerprints in common to matter: not worth locating them
                tokens, shares, slices = compare_files(*both)
                if not tokens:
                    continue
                for i, (side, fp, cut) in enumerate(zip(sides, both, slices)):
                    found[i] += shares[i] * fp.token_coverage
                    side.lines += [(path, first, last) for first, last in _lines(fp.raw_code, cut)]
                    side.code[path] = fp.raw_code
            if max(found) < MIN_MATCH:
                continue
            for side, tokens, cover in zip(sides, found, covered):
                side.share = min(1.0, tokens / cover) if cover else 0.0
            pair = Pair(exercise, *sides, int(max(found)))
            if pair.share >= threshold:
                pairs.append(pair)
    return sorted(pairs, key=lambda p: (-p.share, p.exercise, p.a.student, p.b.student))


def _where(lines: list[tuple[str, int, int]]) -> str:
    return ", ".join(f"{path} {first}-{last}" if first != last else f"{path} {first}" for path, first, last in lines)


def similarity_csv(pairs: list[Pair]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["exercise", "student", "other", "share", "other_share", "lines", "other_lines"])
    for p in pairs:
        writer.writerow([safe.cell(p.exercise), safe.cell(safe.name(p.a.student)), safe.cell(safe.name(p.b.student)),
                         f"{p.a.share:.2f}", f"{p.b.share:.2f}", safe.cell(_where(p.a.lines)), safe.cell(_where(p.b.lines))])
    return buffer.getvalue()


def _shown(side: Side) -> str:
    """The matching lines of one side, numbered, each file's under its name."""
    parts, left = [], SHOWN_LINES
    for path in dict.fromkeys(path for path, _, _ in side.lines):
        text = side.code[path].splitlines()
        parts.append(f"<b>{safe.html(path)}</b>")
        for n, (_, first, last) in enumerate(r for r in side.lines if r[0] == path):
            if n:
                parts.append("<pre>   ⋮</pre>")
            chunk = text[first - 1:last][:left]
            left -= len(chunk)
            body = "\n".join(f"{first + i:>4}  {line}" for i, line in enumerate(chunk))
            parts.append(f"<pre><mark>{safe.html(body)}</mark></pre>")
            if left <= 0:
                parts.append("<p>…</p>")
                return "\n".join(parts)
    return "\n".join(parts)


def render(pairs: list[Pair], compared: int, names: dict[str, str]) -> str:
    """similarity.html: the pairs, then each pair's matching lines side by side."""
    def who(student: str) -> str:
        return f'<a href="{student_href(student)}">{safe.html(safe.name(names.get(student) or student))}</a>'

    rows = "\n".join(
        f'<tr><td>{safe.html(p.exercise)}</td><td class=text>{who(p.a.student)}</td><td class=text>{who(p.b.student)}</td>'
        f'<td>{p.a.share:.0%} / {p.b.share:.0%}</td>'
        f'<td>{f"<a href=#pair-{i}>matching lines</a>" if i <= DETAILED_PAIRS else f"in {CSV}"}</td></tr>'
        for i, p in enumerate(pairs[:SHOWN_PAIRS], 1)
    )
    more = (f"<p>{len(pairs) - SHOWN_PAIRS} more pairs, less alike, are in <a href=\"{CSV}\">{CSV}</a>.</p>"
            if len(pairs) > SHOWN_PAIRS else "")
    sections = "\n".join(
        f'<h2 id="pair-{i}">{safe.html(p.exercise)}: {who(p.a.student)} and {who(p.b.student)}</h2>\n'
        f'<table class="pair"><tr><th class=text>{who(p.a.student)}: {p.a.share:.0%} of their code</th>'
        f'<th class=text>{who(p.b.student)}: {p.b.share:.0%} of theirs</th></tr>\n'
        f"<tr><td class=code>{_shown(p.a)}</td><td class=code>{_shown(p.b)}</td></tr></table>"
        for i, p in enumerate(pairs[:DETAILED_PAIRS], 1)
    )
    table = (f"<table id=pairs><tr><th>exercise</th><th class=text>student</th><th class=text>other</th><th>share alike</th><th></th></tr>\n"
             f"{rows}</table>") if pairs else "<p id=pairs>No two students' code is unusually alike.</p>"
    return document("Code similarity", f"""<p><a href="report.html">← the class</a></p>
<h1>Code similarity</h1>
<p>{compared} students compared, exercise by exercise and file by file, the starter code left out. A pair is
listed when at least {THRESHOLD:.0%} of one side's code (its fingerprints: names and strings do not count) is found
in the other's. It is a lead to read, not a verdict: both may have copied the same source.</p>
{table}
{more}
{sections}""")


def write(out: Path, codes: dict[str, Code], starters: Code, names: dict[str, str] | None = None) -> list[Pair]:
    """Compare the class's code; write similarity.html and similarity.csv in ``out``; return the pairs."""
    pairs = compare(codes, starters)
    write_atomic(out / CSV, similarity_csv(pairs))
    write_atomic(out / HTML, render(pairs, len(codes), names or {}))
    return pairs


def save_code(out: Path, codes: dict[str, Code]) -> None:
    """Keep a shard's students' code in ``out``, for the merge to compare the whole class."""
    write_atomic(out / CODE, json.dumps(codes, ensure_ascii=False))


def load_code(folder: Path) -> dict[str, Code] | None:
    """The students' code a shard kept (None if it kept none). The file came from a machine that
    ran student code: only strings are taken, within the limits :func:`read_code` keeps."""
    try:
        with (folder / CODE).open("rb") as f:
            saved = json.loads(f.read(200 * STUDENT_LIMIT).decode("utf-8", "replace"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict):
        return None
    codes: dict[str, Code] = {}
    for student, code in saved.items():
        if not isinstance(student, str) or not isinstance(code, dict):
            continue
        left, mine = STUDENT_LIMIT, codes.setdefault(student, {})
        for exercise, files in code.items():
            if not isinstance(exercise, str) or not isinstance(files, dict):
                continue
            kept = mine.setdefault(exercise, {})
            for path, text in list(files.items())[:FILES_LIMIT]:
                if isinstance(path, str) and isinstance(text, str) and len(text) <= min(FILE_LIMIT, left):
                    left -= len(text)
                    kept[path] = text
    return codes
