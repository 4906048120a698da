"""OLX for the block: the prompt and the rubric as readable child elements.

    <credential_assessment display_name="..." credential="slug">
      <prompt><p>What to do</p></prompt>
      <rubric>
        <criterion name="safety" label="Safety" description="...">
          <level name="none" label="Not shown" points="0">What it looks like</level>
        </criterion>
      </rubric>
    </credential_assessment>
"""
from lxml import etree

PROMPT = "prompt"
RUBRIC = "rubric"


def prompt_from_node(node) -> str:
    """The inner markup of <prompt>, as authored."""
    parts = [node.text or ""]
    parts += [etree.tostring(child, encoding="unicode") for child in node]
    return "".join(parts).strip()


def rubric_from_node(node) -> dict:
    """The plain rubric dict (as stored in the block's field) from <rubric>."""
    criteria = []
    for criterion in node.iterfind("criterion"):
        criteria.append({
            "name": criterion.get("name", ""),
            "label": criterion.get("label", ""),
            "description": criterion.get("description", ""),
            "levels": [
                {
                    "name": level.get("name", ""),
                    "label": level.get("label", ""),
                    "points": _points(level.get("points")),
                    "description": (level.text or "").strip(),
                }
                for level in criterion.iterfind("level")
            ],
        })
    return {"criteria": criteria}


def _points(value):
    """Whole points as int; anything else is kept as-is for validation to name it."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def add_prompt(node, prompt):
    element = etree.SubElement(node, PROMPT)
    fragment = etree.fromstring(f"<{PROMPT}>{prompt}</{PROMPT}>")
    element.text = fragment.text
    for child in fragment:
        element.append(child)


def add_rubric(node, rubric):
    element = etree.SubElement(node, RUBRIC)
    for criterion in rubric.get("criteria", []):
        criterion_node = etree.SubElement(element, "criterion", name=criterion["name"],
                                          label=criterion.get("label", ""))
        if criterion.get("description"):
            criterion_node.set("description", criterion["description"])
        for level in criterion.get("levels", []):
            level_node = etree.SubElement(criterion_node, "level", name=level["name"],
                                          label=level.get("label", ""),
                                          points=str(level["points"]))
            level_node.text = level.get("description") or None
