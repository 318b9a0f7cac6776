"""The evaluation sets of tests/fixtures/qa_eval.yaml, shared by the question benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "qa_eval.yaml"

#: (label, in-scope section, its out-of-scope section); blind4 is sealed: print totals only.
SECTIONS = (
    ("main", "questions", "out_of_scope"),
    ("holdout", "holdout", "holdout_out_of_scope"),
    ("blind2", "blind2", "blind2_out_of_scope"),
    ("blind3", "blind3", "blind3_out_of_scope"),
    ("blind4", "blind4", "blind4_out_of_scope"),
    ("nearmiss", "", "nearmiss_out_of_scope"),
)


def load() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))
    return data
