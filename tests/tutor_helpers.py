"""Tutor, run as an operator runs it, in a project root of a test's own (no Docker)."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

TUTOR = Path(sys.executable).with_name("tutor")
PLUGIN = "assessed-credentials"


def tutor(root, *args):
    """Run the tutor command line in project ``root``; its output on failure."""
    env = {**os.environ, "TUTOR_ROOT": str(root), "TUTOR_PLUGINS_ROOT": str(root / "plugins")}
    done = subprocess.run([str(TUTOR), *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def new_project(root):
    tutor(root, "plugins", "enable", PLUGIN)
    tutor(root, "config", "save", "--set", "LMS_HOST=learn.example.org",
          "--set", "ENABLE_HTTPS=true")
    return root


INIT_TASKS = textwrap.dedent("""
    import json, os, sys
    from tutor import config as tutor_config, env, hooks
    from tutor.commands import cli  # the commands add Tutor's own init tasks
    root = os.environ["TUTOR_ROOT"]
    hooks.Actions.CORE_READY.do()
    hooks.Actions.PROJECT_ROOT_READY.do(root)
    config = tutor_config.load(root)
    config.update(json.loads(sys.argv[1]))
    ours = list(hooks.Filters.CLI_DO_INIT_TASKS.iterate_from_context(
        hooks.Contexts.app("assessed-credentials").name))
    print(json.dumps({
        "all": [service for service, _task in hooks.Filters.CLI_DO_INIT_TASKS.iterate()],
        "ours": [[service, env.render_str(config, task)] for service, task in ours],
    }))
""")


def init_tasks(root, **config_overrides):
    """Tutor's init tasks as ``tutor local do init`` would run them: every service in order,
    and the plugin's own rendered."""
    env = {**os.environ, "TUTOR_ROOT": str(root), "TUTOR_PLUGINS_ROOT": str(root / "plugins")}
    done = subprocess.run([sys.executable, "-c", INIT_TASKS, json.dumps(config_overrides)],
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)
