"""``python -m grading.commands.merge OUT SHARD...``: one gradebook from a class graded in shards (``nox -s merge``).

A class too big for one machine is graded in shares, each on a machine of its own
(``nox -s batch -- DIR --shard K/N --out SHARD``, as ``.github/workflows/grade-class.yml``
does on GitHub Actions). Each shard's gradebook holds its own students; this reads them all
back and writes one gradebook into ``OUT``, the same files a single run over the whole class
writes (``grades.csv``, ``checks.csv`` and the LMS files byte for byte; the reports' timings
are those of the shard that graded them), and compares the whole class's code from the code each
shard kept (``similarity.html``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grading.commands.batch import compare_code
from grading.judge.course import COURSE_DIR, UsageError, load_course
from grading.outputs import similarity
from grading.outputs.gradebook import GRADES, Gradebook, load

EXIT_OK, EXIT_USAGE = 0, 2


def merge(shards: list[Path], out: Path, course_dir: Path = COURSE_DIR) -> Gradebook:
    """The shards' gradebooks as one, to be written into ``out``.

    A student in two shards is kept where they were graded; graded in both (shards of two
    different runs, say) is an error, as either grade could be the wrong one.
    """
    return _merged(shards, out, load_course(course_dir))[0]


def _merged(shards: list[Path], out: Path, exercises) -> tuple[Gradebook, dict[str, Path]]:
    """The merged gradebook, and the shard each student's row comes from."""
    book = Gradebook(out, exercises)
    where: dict[str, Path] = {}
    for shard in shards:
        if not (shard / GRADES).is_file():
            raise UsageError(f"{shard} holds no {GRADES}: is it a shard's gradebook?")
        part = load(shard, exercises)
        book.with_identity = book.with_identity or part.with_identity
        book.docs.update(part.docs)  # what each check checks, as the shard's checks.csv says
        for name, row in sorted(part.rows.items()):
            if name in book.rows and book.rows[name].results and row.results:
                raise UsageError(f"{name} was graded in both {where[name]} and {shard}: merge the shards of one run")
            if name not in book.rows or row.results:
                book.rows[name], where[name] = row, shard
    return book, where


def compare_class(book: Gradebook, where: dict[str, Path], shards: list[Path], exercises, out: Path,
                  course_dir: Path) -> str:
    """Compare the whole class's code, each student's as the shard that graded them kept it."""
    kept = {shard: similarity.load_code(shard) for shard in shards}
    missing = [str(shard) for shard, code in kept.items() if code is None]
    if missing:
        return (f"Code similarity: not compared ({', '.join(missing)} kept no {similarity.CODE}: "
                f"graded with an older course?); {out / similarity.HTML} is as it was.")
    codes = {name: kept[shard].get(name, {}) for name, shard in where.items() if book.rows[name].results}
    return compare_code(book, codes, exercises, out, whole_class=True, course_dir=course_dir)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nox -s merge --", description="Merge the gradebooks of a class graded in shards (batch --shard K/N)."
    )
    parser.add_argument("out", metavar="OUT", help="where the merged gradebook goes")
    parser.add_argument("shards", nargs="+", metavar="SHARD", help="each shard's gradebook folder (its --out)")
    return parser


def main(argv: list[str] | None = None, course_dir: Path = COURSE_DIR) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out, shards = Path(args.out), [Path(s) for s in args.shards]
    try:
        if any(out.resolve() == shard.resolve() for shard in shards):
            raise UsageError(f"{out} is one of the shards: give the merged gradebook a folder of its own")
        exercises = load_course(course_dir)
        book, where = _merged(shards, out, exercises)
    except (UsageError, OSError) as exc:
        parser.print_usage(sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    book.write()
    graded = sum(1 for row in book.rows.values() if row.results)
    print(f"Merged {len(shards)} shard{'s' * (len(shards) != 1)}: {graded} students graded, into {out / GRADES}")
    print(compare_class(book, where, shards, exercises, out, course_dir))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
