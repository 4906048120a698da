"""Scores for the demo rubric: hazards 0/2/4, controls 0/2/4, communication 0/2 points."""

PASSING_SCORES = [  # 4 + 4 + 0 = 8 of 10 points: 80 %, over the 70 % bar
    {"criterion": "hazards", "level": "complete", "comment": "All <b>serious</b> hazards."},
    {"criterion": "controls", "level": "matched", "comment": ""},
    {"criterion": "communication", "level": "missing", "comment": "Say how you brief the team."},
]
FAILING_SCORES = [  # 2 + 2 + 0 = 4 of 10 points: 40 %
    {"criterion": "hazards", "level": "partial", "comment": "Missed the forklift route."},
    {"criterion": "controls", "level": "generic", "comment": ""},
    {"criterion": "communication", "level": "missing", "comment": ""},
]

SCENARIO_LINK = "Practical assessment: workplace safety walkthrough"


def open_assessment_as(page, full_name):
    page.goto("/")
    if page.get_by_role("button", name="Switch user").count():
        page.get_by_role("button", name="Switch user").click()
    page.get_by_role("button", name=f"Sign in as {full_name}").click()
    page.get_by_role("link", name=SCENARIO_LINK).click()
