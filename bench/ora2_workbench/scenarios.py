"""ORA2 scenarios of any size, the same rubric as ``bench.scenarios`` gives our block.

Staff assessment only (ORA2's nearest to an assessor scoring evidence against a rubric).
"""
from workbench.scenarios import SCENARIOS, add_xml_scenario

LEVELS = (("missing", 0), ("partial", 2), ("complete", 4))


def rubric_xml(criteria: int) -> str:
    rows = []
    for number in range(1, criteria + 1):
        options = "".join(
            f'<option points="{points}"><name>{name}</name><label>{name.title()}</label>'
            f"<explanation>What {name} looks like on criterion {number}.</explanation></option>"
            for name, points in LEVELS)
        rows.append(f"<criterion feedback=\"optional\"><name>c{number}</name>"
                    f"<label>Criterion {number}</label>"
                    f"<prompt>Judged on aspect {number}.</prompt>{options}</criterion>")
    return f"<rubric>{''.join(rows)}</rubric>"


def scenario_id(criteria: int) -> str:
    return f"ora2.{criteria}"


def add_sized_scenario(criteria: int) -> str:
    """Register (once) an ORA2 scenario with ``criteria`` criteria; return its id."""
    name = scenario_id(criteria)
    if name not in SCENARIOS:
        add_xml_scenario(name, f"ORA2 benchmark rubric with {criteria} criteria", f"""
<openassessment submission_start="2020-01-01T00:00:00" text_response="required"
                allow_file_upload="False">
  <title>Benchmark {criteria}</title>
  <prompts><prompt><description>Describe the work.</description></prompt></prompts>
  {rubric_xml(criteria)}
  <assessments><assessment name="staff-assessment" required="True"/></assessments>
</openassessment>""")
    return name


def staff_assessment(criteria: int) -> dict:
    """The body of ORA2's ``staff_assess`` handler: every criterion at its top level."""
    return {"options_selected": {f"c{n}": "complete" for n in range(1, criteria + 1)},
            "criterion_feedback": {f"c{n}": "Well shown." for n in range(1, criteria + 1)},
            "overall_feedback": "", "assess_type": "full-grade"}
