"""ORA2 in the xblock-sdk workbench, for ``bench/versus_ora2.py``.

Runs in its own virtualenv (ORA2 and its dependencies, built by the benchmark), never in
ours: nothing here imports this project. It gives ORA2 what the LMS would and the workbench
does not, the same way our demo gives our block the signed-in user: the session's user is
the workbench student, and staff are course staff.
"""
