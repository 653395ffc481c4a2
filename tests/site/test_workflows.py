"""The GitHub workflows pin every action to a commit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WORKFLOWS = sorted((Path(__file__).resolve().parents[2] / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.MULTILINE)
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_actions_are_pinned_to_a_commit(workflow: Path) -> None:
    """Every `uses:` names a full 40-hex commit SHA followed by a `# vX.Y.Z` comment, so a
    moved tag cannot change what runs."""
    uses = USES.findall(workflow.read_text(encoding="utf-8"))
    assert uses, f"{workflow.name} uses no action"
    for action, rest in uses:
        assert PINNED.match(action), f"{action} is not pinned to a commit SHA"
        assert re.match(r"\s+# v\d+(\.\d+)*\s*$", rest), f"{action} lacks a '# vX.Y.Z' comment"
