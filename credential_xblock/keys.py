"""Opaque keys for a block, in the LMS and in the XBlock SDK workbench."""
import re

from opaque_keys.edx.keys import UsageKey
from opaque_keys.edx.locator import CourseLocator

# The workbench has no courses; its blocks are filed under this one.
WORKBENCH_COURSE_KEY = CourseLocator("Workbench", "Demo", "2026")


def in_a_course(block) -> bool:
    """Is the block part of a course? In a content library it is not: attempts, scores and
    credentials belong to a course run, so the block works only once it is in one."""
    return bool(getattr(usage_key_of(block).context_key, "is_course", False))


def usage_key_of(block) -> UsageKey:
    """The block's UsageKey: the runtime's own in LMS/Studio, a stable derived one elsewhere."""
    usage_id = block.scope_ids.usage_id
    if isinstance(usage_id, UsageKey):
        return usage_id
    block_id = re.sub(r"[^\w\-~.:]", "_", str(usage_id))
    return WORKBENCH_COURSE_KEY.make_usage_key(block.scope_ids.block_type, block_id)
