"""Give each ORA2 block the ``xmodule_runtime`` the LMS gives it (user, staff flag)."""
from types import SimpleNamespace
from unittest.mock import Mock

from django.apps import AppConfig
from django.contrib.auth import get_user_model

COURSE_ID = "course-v1:Bench+ORA2+2026"


def _lms_runtime_view(runtime):
    """What ORA2 reads from ``block.xmodule_runtime`` in the LMS, for the workbench's user."""
    user = get_user_model().objects.filter(username=runtime.user_id).first()
    return SimpleNamespace(
        anonymous_student_id=runtime.user_id, course_id=COURSE_ID,
        user_is_staff=bool(user and user.is_staff), user_is_admin=False,
        user_is_beta_tester=False,
        get_real_user=lambda anonymous_id: get_user_model().objects.filter(
            username=anonymous_id).first(),
    )


class Ora2WorkbenchConfig(AppConfig):
    name = "bench.ora2_workbench"
    label = "ora2_workbench"

    def ready(self):
        # Only once the app registry is ready: both modules define models or use them.
        from openassessment.xblock.openassessmentblock import OpenAssessmentBlock
        from workbench.runtime import WorkbenchRuntime

        # The wheel does not ship the example XML its workbench scenarios load.
        OpenAssessmentBlock.workbench_scenarios = staticmethod(lambda: [])
        patch_block = WorkbenchRuntime._patch_xblock

        def patch_for_ora2(runtime, block):
            if not isinstance(block, OpenAssessmentBlock):
                patch_block(runtime, block)
                return
            # The workbench's own patch would set course_id, a read-only property on ORA2,
            # and log the failure with its traceback on every request.
            block.location = Mock(html_id=Mock(return_value=COURSE_ID))
            block.due = None
            block.xmodule_runtime = _lms_runtime_view(runtime)

        WorkbenchRuntime._patch_xblock = patch_for_ora2
