"""What a grading run decides: one result per check, one per exercise, and their plain-data form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class CheckResult:
    name: str
    points: float
    max_points: float
    status: str  # passed | failed | error | timeout | not_run (an earlier check's cause: 0 points)
    message: str | None = None
    hint: str | None = None
    doc: str = ""  # what the check is about: its docstring's first paragraph, on one line
    cause: str | None = None  # what went wrong, the key of its hint (grading.judge.expect)
    details: dict | None = None  # --debug: the student's frames and what their code printed (terminal only)

    def to_json(self) -> dict:
        data = asdict(self)
        del data["doc"], data["cause"], data["details"]
        return data


@dataclass
class ExerciseResult:
    id: str
    title: str
    status: str  # passed | failed | error | missing
    error: str | None = None
    checks: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0
    cached: bool = False
    isolation: str | None = None  # how the student's code was walled off (grading.sandbox.confine)

    @property
    def score(self) -> float:
        return float(sum(c.points for c in self.checks))

    @property
    def max_score(self) -> float:
        return float(sum(c.max_points for c in self.checks))

    @property
    def full_marks(self) -> bool:
        return self.status == "passed"

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "max_score": self.max_score,
            "status": self.status,
            "error": self.error,
            "isolation": self.isolation,
            "checks": [c.to_json() for c in self.checks],
        }

    @classmethod
    def from_json(cls, data: dict, docs: dict[str, str] | None = None, causes: dict[str, str] | None = None) -> "ExerciseResult":
        docs, causes = docs or {}, causes or {}
        checks = [CheckResult(**c, doc=docs.get(c["name"], ""), cause=causes.get(c["name"])) for c in data["checks"]]
        return cls(id=data["id"], title=data["title"], status=data["status"], error=data["error"], checks=checks,
                   isolation=data.get("isolation"))
