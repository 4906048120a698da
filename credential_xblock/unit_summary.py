"""What the learner is told before handing in: the unit's rules in a few lines, and where
they are in the four steps (write, hand in, being assessed, result).

Plain functions over what the app answers (``api.get_unit_rules``), the block's rubric and
the learner's latest attempt; ``learner.html`` words them.
"""
from dataclasses import dataclass
from datetime import timedelta

STEPS = ("write", "hand_in", "assessed", "result")


@dataclass(frozen=True)
class Wait:
    """A waiting time as the largest whole unit that fits: days, else hours, else minutes."""

    amount: int
    unit: str  # "days", "hours" or "minutes"


def wait(duration: timedelta | None) -> Wait | None:
    if not duration:
        return None
    seconds = int(duration.total_seconds())
    if seconds >= 86400 and seconds % 86400 == 0:
        return Wait(seconds // 86400, "days")
    if seconds >= 3600:
        return Wait(-(-seconds // 3600), "hours")  # rounded up: never promise too early
    return Wait(max(1, -(-seconds // 60)), "minutes")


def minimum_levels(rubric, policy_minimums: dict) -> list[tuple[str, str]]:
    """(criterion label, level label) for each criterion with a minimum: the rubric's own
    and the issuance policy's, the stricter (more points) where both set one."""
    out = []
    for criterion in rubric.criteria if rubric else ():
        levels = {level.name: level for level in criterion.levels}
        named = [levels[name] for name in (criterion.minimum_level,
                                           policy_minimums.get(criterion.name))
                 if name in levels]
        if named:
            out.append((criterion.label, max(named, key=lambda level: level.points).label))
    return out


def current_step(attempt, has_draft: bool, may_hand_in: bool) -> str:
    """The step the learner is at: a result once their latest attempt has one; being
    assessed while it waits; otherwise writing (handing in once something is drafted)."""
    if attempt is not None and not may_hand_in:
        return "result" if attempt.result else "assessed"
    return "hand_in" if has_draft else "write"


def summary(rules, rubric, evidence, attempt, *, has_draft, may_hand_in) -> dict:
    """Template context of the learner's summary (``learner.html``)."""
    step = current_step(attempt, has_draft, may_hand_in)
    return {
        "rules": rules,
        "minimums": minimum_levels(rubric, rules.criterion_minimums) if rules else [],
        "first_wait": wait(rules.wait_after_first_failure) if rules else None,
        "later_wait": wait(rules.wait_after_later_failures) if rules else None,
        "text_min_length": evidence.text_min_length if evidence.text_enabled else 0,
        "steps": [(name, name == step, STEPS.index(name) < STEPS.index(step))
                  for name in STEPS],
    }
