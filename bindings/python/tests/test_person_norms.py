"""One person's norms from Python (attune.score(..., norm_group=...)): the "norms" member equals the
one `attune score --json` writes for the same answers and options; refusals are the CLI's."""
import json
import subprocess

import pytest

import attune

ANSWERS = {f"q{i}": (5 if i % 3 == 0 else 2) for i in range(1, 37)} | {"q7": None}


def _cli(cli, tmp_path, answers, *args):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(answers))
    out = subprocess.run([cli, "score", "-i", "ecr", "--json", str(path), *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("group", [None, "gender=female,age=30", "gender=male,age=70", "age=30"])
def test_norms_member_is_the_clis(cli, tmp_path, group):
    args = ["--response-scale", "1..5"] + (["--norm-group", group] if group else [])
    want = _cli(cli, tmp_path, ANSWERS, *args)["norms"]
    got = attune.score(ANSWERS, "ecr", data_scale=(1, 5), norm_group=group).to_dict()["norms"]
    assert got == want
    assert got["scales"]["anxiety"]["percentile"] is not None and "not a diagnosis" in got["meaning"]


def test_converted_and_none_are_the_clis(cli, tmp_path):
    seven = {f"q{i}": (6 if i % 3 == 0 else 3) for i in range(1, 37)}
    want = _cli(cli, tmp_path, seven, "--norm-set", "ecr-openpsychometrics-1to5", "--convert-response-scale", "linear",
                "--norm-group", "gender=male,age=40")["norms"]
    got = attune.score(seven, "ecr", norm_set="ecr-openpsychometrics-1to5", convert_response_scale="linear",
                       norm_group="gender=male,age=40").to_dict()
    assert got["norms"] == want and "converted linearly" in got["norms"]["conversion"]
    assert "norms" not in attune.score(seven, "ecr").to_dict()  # 1..7: the 1..5 default does not apply
    assert "norms" not in attune.score(ANSWERS, "ecr", data_scale=(1, 5), norm_set="none").to_dict()
    assert "norms" not in _cli(cli, tmp_path, seven)


def test_refusals():
    seven = {f"q{i}": 4 for i in range(1, 37)}
    with pytest.raises(attune.UsageError, match="convert-response-scale linear"):
        attune.score(seven, "ecr", norm_group="gender=male,age=40")
    with pytest.raises(attune.UsageError):
        attune.score(ANSWERS, "ecr", data_scale=(1, 5), norm_group="gender=other")
    with pytest.raises(attune.UsageError):
        attune.score(ANSWERS, "ecr", data_scale=(1, 5), convert_response_scale="cubic")
