"""attune.research_job (the library's research job, as `attune score` runs it) and the frame's columns
taken from the library's table of output columns (issue 19)."""
import json
import subprocess

import pandas as pd
import pytest

import attune
from attune import _core, _frame


def _one_row_file(tmp_path, plan):
    """A one-row CSV answering every item 1, columns named like the item ids (the header does not
    depend on the answers)."""
    ids = list(plan.instrument.item_ids)
    path = tmp_path / "one.csv"
    path.write_text(",".join(ids) + "\n" + ",".join("1" for _ in ids) + "\n")
    return path, ids


@pytest.mark.parametrize("quality", [False, True])
def test_frame_columns_are_the_cli_header_for_every_instrument(cli, tmp_path, quality):
    for inst in attune.list_instruments():
        plan = attune.scoring_plan(inst)
        path, ids = _one_row_file(tmp_path, plan)
        out = tmp_path / "cli.csv"
        args = [cli, "score", "-i", inst, str(path), "-o", str(out), "-q"]
        subprocess.run(args + (["--quality"] if quality else []), check=False)
        header = out.read_text().splitlines()[0].split(",")
        frame = attune.score_frame(pd.DataFrame([[1] * len(ids)], columns=ids), inst, keep=[], quality=quality)
        assert list(frame.columns) == header, inst


def test_a_column_added_to_the_table_reaches_the_frame(monkeypatch):
    df = pd.DataFrame([[4] * 36], columns=[f"q{i}" for i in range(1, 37)])
    real = _core.output_columns

    # The table decides the order: a table with notes first gives a frame with notes first.
    monkeypatch.setattr(_frame._core, "output_columns", lambda plan, quality=False: ["notes"] + [
        c for c in real(plan, quality) if c != "notes"])
    assert list(attune.score_frame(df, "ecr-r").columns)[0] == "notes"

    # A column the frame has no values for is an error naming it, never a frame silently without it.
    monkeypatch.setattr(_frame._core, "output_columns", lambda plan, quality=False: real(plan, quality) + ["new_column"])
    with pytest.raises(attune.InternalError, match="'new_column'"):
        attune.score_frame(df, "ecr-r")


def test_quality_columns_constant_names_the_tables_quality_columns():
    plan = attune.scoring_plan("ecr-r")
    plain = set(_core.output_columns(plan, False))
    assert tuple(c for c in _core.output_columns(plan, True) if c not in plain) == attune.QUALITY_COLUMNS


@pytest.mark.parametrize("fmt,extra", [("csv", ["--norms", "sample"]), ("jsonl", ["--format", "jsonl"])])
def test_research_job_writes_the_bytes_of_attune_score(cli, source_dir, tmp_path, fmt, extra):
    data = source_dir / "examples" / "data" / "ecr-r-synthetic.csv"
    want_out, want_rel = tmp_path / f"cli.{fmt}", tmp_path / "cli-rel.json"
    subprocess.run([cli, "score", "-i", "ecr-r", "--map", "Q{n}", "--quality", "--reliability", str(want_rel), str(data),
                    "-o", str(want_out), "-q", "--errors", str(tmp_path / "errors.csv")] + extra, check=False)
    got_out = tmp_path / f"py.{fmt}"
    calls = []
    s = attune.research_job(data, "ecr-r", got_out, columns="Q{n}", quality=True, reliability=True, format=fmt,
                            norms="sample" if "sample" in extra else None, progress=lambda *a: calls.append(a))
    assert got_out.read_bytes() == want_out.read_bytes()
    assert s["reliability_json"] == want_rel.read_text()
    assert (s["rows_in"], s["rows_scored"], s["rows_reported"]) == (500, 497, 3)
    assert [e["row"] for e in s["errors"]] == [int(r) for r in
                                               pd.read_csv(tmp_path / "errors.csv")["row"]]
    assert s["response_scale"]["checked"] and s["response_scale"]["fits"]
    assert s["quality"]["flagged"]["any"] >= 0 and "alpha" in json.dumps(s["reliability"])
    assert all(total == data.stat().st_size for _, _, total in calls)


def test_research_job_that_fails_leaves_no_output(source_dir, tmp_path):
    data = source_dir / "examples" / "data" / "ecr-r-synthetic.csv"
    out = tmp_path / "scores.csv"
    with pytest.raises(attune.DataError):
        attune.research_job(data, "ecr-r", out, columns="X{n}")  # the file has no column X1
    assert not out.exists() and not (tmp_path / "scores.csv.part").exists()
    with pytest.raises(attune.UsageError):
        attune.research_job(data, "ecr-r", out, columns="Q{n}", format="xlsx")
