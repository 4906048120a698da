"""OLX for the block: settings as attributes, the prompt and the rubric as child elements.

    <credential_assessment display_name="..." credential="slug" weight="10.0"
                           file_evidence="true" allowed_file_types="pdf png">
      <prompt><p>What to do</p></prompt>
      <rubric>
        <criterion name="safety" label="Safety" description="..." minimum_level="partial">
          <level name="none" label="Not shown" points="0">What it looks like</level>
        </criterion>
      </rubric>
    </credential_assessment>

Export is canonical (fixed attribute order, the prompt written as XML), so exporting
an imported block gives the same bytes again; a course survives export → import.
"""
import copy

from lxml import etree, html
from xblock.core import XML_NAMESPACES
from xblock.fields import List, Scope

from credential_xblock.sanitise import sanitise_prompt

PROMPT = "prompt"
RUBRIC = "rubric"

# The block's authored settings, in the order they are written as attributes.
ATTRIBUTES = (
    "display_name", "credential", "weight", "require_id_verification",
    "text_evidence", "min_evidence_length", "max_evidence_length",
    "file_evidence", "allowed_file_types", "max_file_size_mb", "max_files",
    "link_evidence", "max_links",
)
AUTHORED_SCOPES = (Scope.settings, Scope.content)
# Written as child elements, or never written by the block itself.
NOT_ATTRIBUTES = (PROMPT, RUBRIC, "children", "parent", "content")
OPTION = XML_NAMESPACES["option"]


# ---- the whole block -------------------------------------------------------

def read_block(block, node):
    """Fill ``block``'s authored fields from its OLX ``node``."""
    for child in node:
        if child.tag == PROMPT:
            block.prompt = prompt_from_node(child)
        elif child.tag == RUBRIC:
            block.rubric = rubric_from_node(child)
        elif child.tag is not etree.Comment and etree.QName(child).namespace == OPTION:
            # A runtime's field written XBlock's way (e.g. Studio's scheduling settings).
            type(block)._set_field_if_present(block, etree.QName(child).localname,
                                              child.text, child.attrib)
    for name, value in node.items():
        field = block.fields.get(name)
        if name in ATTRIBUTES:
            setattr(block, name, attribute_value(field, value))
        elif field is not None and field.scope in AUTHORED_SCOPES and name not in NOT_ATTRIBUTES:
            type(block)._set_field_if_present(block, name, value, {})


def write_block(block, node):
    """Write ``block``'s authored fields into ``node`` (tag, attributes, prompt, rubric)."""
    node.tag = block.xml_element_name()
    for name in ATTRIBUTES:
        field = block.fields[name]
        value = getattr(block, name)
        if field.is_set_on(block) and value is not None:
            node.set(name, attribute_text(field, value))
    for name, field in sorted(block.fields.items()):
        # Fields the runtime mixes in (release dates, group access...) travel too, XBlock's way.
        if (name not in ATTRIBUTES and name not in NOT_ATTRIBUTES
                and field.scope in AUTHORED_SCOPES and (field.is_set_on(block)
                                                        or field.force_export)):
            block._add_field(node, name, field)
    add_prompt(node, block.prompt)
    add_rubric(node, block.rubric)


def attribute_text(field, value) -> str:
    """One of our fields' value as an OLX attribute; lists as space-separated words."""
    if isinstance(field, List):
        return " ".join(str(item) for item in value)
    return field.to_string(value)


def attribute_value(field, text):
    """The field value an OLX attribute stands for (inverse of :func:`attribute_text`).

    Lists may also be written XBlock's way, as JSON (``'["pdf", "png"]'``).
    """
    if isinstance(field, List):
        if text.lstrip().startswith("["):
            return [str(item) for item in field.from_string(text)]
        return text.replace(",", " ").split()
    return field.from_string(text)


# ---- prompt ----------------------------------------------------------------

def prompt_from_node(node) -> str:
    """The inner markup of <prompt>, sanitised as if the author had just saved it."""
    parts = [node.text or ""]
    for child in node:
        detached = copy.deepcopy(child)  # without the document's namespace declarations
        etree.cleanup_namespaces(detached)
        parts.append(etree.tostring(detached, encoding="unicode"))
    return sanitise_prompt("".join(parts))


def add_prompt(node, prompt):
    """<prompt> holding the prompt's HTML as XML elements (``<br/>``, no HTML entities)."""
    element = etree.SubElement(node, PROMPT)
    fragments = html.fragments_fromstring(prompt) if prompt.strip() else []
    if fragments and isinstance(fragments[0], str):
        element.text = fragments.pop(0)
    for fragment in fragments:
        element.append(fragment)


# ---- rubric ----------------------------------------------------------------

def rubric_from_node(node) -> dict:
    """The plain rubric dict (as stored in the block's field) from <rubric>."""
    criteria = []
    for criterion in node.iterfind("criterion"):
        value = {
            "name": criterion.get("name", ""),
            "label": criterion.get("label", ""),
            "description": criterion.get("description", ""),
        }
        if criterion.get("minimum_level"):
            value["minimum_level"] = criterion.get("minimum_level")
        value["levels"] = [
            {
                "name": level.get("name", ""),
                "label": level.get("label", ""),
                "points": _points(level.get("points")),
                "description": (level.text or "").strip(),
            }
            for level in criterion.iterfind("level")
        ]
        criteria.append(value)
    return {"criteria": criteria}


def _points(value):
    """Whole points as int; anything else is kept as-is for validation to name it."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def add_rubric(node, rubric):
    element = etree.SubElement(node, RUBRIC)
    for criterion in rubric.get("criteria", []):
        criterion_node = etree.SubElement(element, "criterion", name=criterion["name"],
                                          label=criterion.get("label", ""))
        if criterion.get("description"):
            criterion_node.set("description", criterion["description"])
        if criterion.get("minimum_level"):
            criterion_node.set("minimum_level", criterion["minimum_level"])
        for level in criterion.get("levels", []):
            level_node = etree.SubElement(criterion_node, "level", name=level["name"],
                                          label=level.get("label", ""),
                                          points=str(level["points"]))
            level_node.text = level.get("description") or None
