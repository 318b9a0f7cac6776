"""Fault plans for the offline Bot API server (robustness tests and benchmarks)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["FAULT_KINDS", "Fault", "FaultPlan"]

FAULT_KINDS = frozenset({"429", "5xx", "slow", "drop_before", "drop_after"})


@dataclass
class Fault:
    """One armed fault: applies to ``method`` (lower-case, None = any but getUpdates)."""

    method: str | None
    kind: str
    remaining: int | None  # None = forever
    retry_after: int = 1
    delay: float = 0.0
    status: int = 500
    probability: float = 1.0


@dataclass
class FaultPlan:
    """Ordered list of armed faults; the first matching one fires."""

    faults: list[Fault] = field(default_factory=list)
    injected: int = 0
    log: list[tuple[str, str]] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(1234))

    def add(self, fault: Fault) -> None:
        """Arm a fault after validating its kind."""
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; use one of {sorted(FAULT_KINDS)}")
        if fault.kind == "5xx" and not 500 <= fault.status <= 599:
            raise ValueError("status for a 5xx fault must be 500..599")
        self.faults.append(fault)

    def take(self, method: str) -> Fault | None:
        """Return (and count) the fault to apply to this call of ``method``, if any."""
        if not self.faults:
            return None
        low = method.lower()
        for fault in self.faults:
            if fault.method is None:
                if low == "getupdates":
                    continue
            elif fault.method != low:
                continue
            if fault.probability < 1.0 and self.rng.random() >= fault.probability:
                return None
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
            self.injected += 1
            self.log.append((method, fault.kind))
            return fault
        return None

    def clear(self) -> None:
        """Disarm all faults (counters are kept)."""
        self.faults.clear()
