"""The job registry (campaign.jobs): every name imports, nobody else spells one, nudges do not collide."""

import ast
import importlib
import re
from pathlib import Path

import pytest

from campaign import jobs
from workers.schedule import recurring_jobs

ROOT = Path(__file__).resolve().parent.parent
JOB_PATH = re.compile(r"^workers(\.\w+)+$")


@pytest.mark.parametrize("name", jobs.ALL)
def test_each_job_name_imports_as_a_function(name):
    module, _, function = name.rpartition(".")
    assert callable(getattr(importlib.import_module(module), function))


def test_the_registry_lists_every_job_it_names():
    named = {value for key, value in vars(jobs).items() if key.isupper() and isinstance(value, str)}
    assert named == set(jobs.ALL)
    assert {nudge.job for nudge in jobs.NUDGES} <= set(jobs.ALL)
    assert jobs.COUNTS_QUEUE_JOBS <= set(jobs.ALL)


def test_nudge_keys_are_distinct():
    keys = [nudge.key for nudge in jobs.NUDGES]
    assert len(keys) == len(set(keys))


def test_the_cron_runs_registered_jobs_only(app):
    assert {name for name, _, _ in recurring_jobs(app.config)} <= set(jobs.ALL)


def _names_a_function(value: str) -> bool:
    """'workers.tally.fold' does; 'workers.cron' (a logger's name, a module) does not."""
    module, _, name = value.rpartition(".")
    try:
        return callable(getattr(importlib.import_module(module), name, None))
    except ImportError:
        return False


def _spelled_job_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and JOB_PATH.match(node.value)
        if _names_a_function(node.value)
    ]


def test_no_job_name_is_spelled_outside_the_registry():
    registry = ROOT / "campaign" / "jobs.py"
    spelled = {
        str(path.relative_to(ROOT)): names
        for package in ("campaign", "workers")
        for path in (ROOT / package).rglob("*.py")
        if path != registry and (names := _spelled_job_names(path))
    }
    assert spelled == {}
    assert _spelled_job_names(registry)  # the check does see names where they are
