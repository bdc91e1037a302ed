import datetime
import json
import subprocess

import pytest

import attune

# The same hand-checked answers as test_score_one.py: a fearful-quadrant ECR-R profile.
ANSWERS = {f"q{i}": (7 if i == 1 else 3 if i == 9 else 1 if i == 11 else 5 if i <= 18 else 2) for i in range(1, 37)}


def test_plan_keys_disclaimer_and_determinism():
    r = attune.score(ANSWERS, "ecr-r")
    p = attune.plan(r, stage="dating", start="2026-01-05")
    assert isinstance(p, dict)
    for key in ("focus", "disclaimer", "headline", "schedule", "context"):
        assert key in p
    assert "not a diagnosis" in p["disclaimer"]
    assert len(p["focus"]) >= 1
    assert all(isinstance(s["title"], str) and s["title"] for s in p["focus"])
    assert p["context"]["stage"] == "dating"
    # Same result, same plan: from the Result, its dict, its JSON text, and with a date object.
    assert attune.plan(r, stage="dating", start="2026-01-05") == p
    assert attune.plan(r.to_dict(), stage="dating", start="2026-01-05") == p
    assert attune.plan(r.to_json(), stage="dating", start=datetime.date(2026, 1, 5)) == p


def test_plan_equals_cli(cli, tmp_path):
    # The CLI's `attune plan` on the same saved result is the independent reference.
    r = attune.score(ANSWERS, "ecr-r")
    saved = tmp_path / "result.json"
    saved.write_text(r.to_json())
    out = subprocess.run([cli, "plan", "--json", str(saved), "--format", "json", "--start", "2026-01-05", "--stage", "long_term",
                          "--parent"], check=True, capture_output=True, text=True).stdout
    assert attune.plan(r, stage="long_term", parent=True, start="2026-01-05") == json.loads(out)


def test_plan_errors():
    r = attune.score(ANSWERS, "ecr-r")
    with pytest.raises(attune.UsageError):
        attune.plan(r, stage="married")
    with pytest.raises(attune.UsageError):
        attune.plan(r, start="2026-02-30")
    with pytest.raises(attune.Error):
        attune.plan(r, guidance="/nonexistent/guidance/en")
