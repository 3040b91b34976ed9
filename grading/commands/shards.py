"""Which students a shard grades (``batch --shard K/N``): a hash of each student folder's name.

Standard library only: the class-grading workflow (``.github/workflows/grade-class.yml``) picks a
shard's repositories with it before cloning them, ``python -m grading.commands.shards K/N`` reading
names on its input and printing those of shard K.
"""

from __future__ import annotations

import argparse
import hashlib
import sys


def shard_of(name: str, shards: int) -> int:
    """The shard (1 to ``shards``) of a student folder: a hash of its name alone, so adding
    students to the class moves nobody already graded to another shard."""
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def parse(text: str) -> tuple[int, int]:
    """``K/N``: ``(K, N)``, with 1 <= K <= N."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"{text!r}: give K/N with 1 <= K <= N, e.g. 1/4")
    return int(k), int(n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the names (one a line on the input) that shard K/N grades.")
    parser.add_argument("shard", metavar="K/N", type=parse)
    k, n = parser.parse_args(argv).shard
    for name in sys.stdin.read().split():
        if shard_of(name, n) == k:
            print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
