"""Workbench scenarios of any size: a rubric of N criteria, for benchmarks and query counts."""
from workbench.scenarios import SCENARIOS, add_xml_scenario

from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG

LEVELS = (("missing", 0), ("partial", 2), ("complete", 4))


def rubric_xml(criteria: int) -> str:
    rows = []
    for number in range(1, criteria + 1):
        levels = "".join(
            f'<level name="{name}" label="{name.title()}" points="{points}">'
            f"What {name} looks like on criterion {number}.</level>"
            for name, points in LEVELS
        )
        rows.append(f'<criterion name="c{number}" label="Criterion {number}" '
                    f'description="Judged on aspect {number}.">{levels}</criterion>')
    return f"<rubric>{''.join(rows)}</rubric>"


def scenario_id(criteria: int) -> str:
    return f"bench.{criteria}"


def add_sized_scenario(criteria: int) -> str:
    """Register (once) a scenario whose block has ``criteria`` criteria; return its id."""
    name = scenario_id(criteria)
    if name not in SCENARIOS:
        add_xml_scenario(name, f"Benchmark rubric with {criteria} criteria", f"""
<credential_assessment display_name="Benchmark {criteria}" credential="{DEMO_CREDENTIAL_SLUG}">
  <prompt><p>Describe the work.</p></prompt>
  {rubric_xml(criteria)}
</credential_assessment>""")
    return name


def passing_scores(criteria: int) -> list[dict]:
    return [{"criterion": f"c{n}", "level": "complete", "comment": "Well shown."}
            for n in range(1, criteria + 1)]


def failing_scores(criteria: int) -> list[dict]:
    return [{"criterion": f"c{n}", "level": "missing", "comment": "Not shown."}
            for n in range(1, criteria + 1)]
