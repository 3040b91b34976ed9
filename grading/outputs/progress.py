"""Batch grading's progress on the terminal: a bar redrawn in place, or a line per student in a log."""

from __future__ import annotations

import os
import sys
import time

from grading.outputs import safe
from grading.outputs.report import fmt_points


class Progress:
    """A bar redrawn in place on a terminal (students done, time left); a line per student otherwise."""

    def __init__(self, students: int, per_student: int, stream=None):
        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty() and not os.environ.get("CI")
        self.students, self.total = students, students * per_student
        self.done_exercises = 0
        self.done_students = 0
        self.start = time.monotonic()

    def exercise_done(self) -> None:
        self.done_exercises += 1
        self.draw()

    def student_done(self, name: str, score: float, max_score: float, note: str = "") -> None:
        self.done_students += 1
        if self.tty:
            self.draw()
            if self.done_students == self.students:
                self.stream.write("\n")
                self.stream.flush()
        else:
            extra = f" ({safe.text(note)})" if note else ""
            print(
                f"[{self.done_students}/{self.students}] {safe.name(name)}: {fmt_points(score)}/{fmt_points(max_score)}{extra}",
                file=self.stream, flush=True,
            )

    def left(self) -> str:
        if not self.done_exercises:
            return "time left: estimating"
        elapsed = time.monotonic() - self.start
        seconds = elapsed / self.done_exercises * (self.total - self.done_exercises)
        return f"about {int(seconds // 60)}:{int(seconds % 60):02d} left"

    def draw(self) -> None:
        if not self.tty:
            return
        width = 30
        filled = int(width * self.done_exercises / max(1, self.total))
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done_students}/{self.students} students, "
            f"{self.left()}   "
        )
        self.stream.flush()
