#!/usr/bin/env bash
# Writes every reference made from the real ECR data into OUT_DIR, a build folder: every 25th row's
# scale scores (psych) and response-quality indices (base R), and the whole-file summaries (psych's
# scoreItems and alpha, the quality flags' counts, the report's histogram bins as exact rationals).
# They are made at test time, never committed: nothing read from the shared data set is kept in the
# repository but the shipped norms and calibration, which cite it. The tests that read them
# (test_batch, test_quality, test_reliability, test_json_guards, test_change_norms, the R package's
# test-quality.R) find them through ATTUNE_TEST_ROW_REFERENCE and skip when they are absent.
# Usage: tools/r/make_row_references.sh OUT_DIR [DATA_CSV]   (from anywhere; about 15 s)
# Exit 0 with a note when the data or R with psych is absent (the tests then skip).
set -euo pipefail
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
cd "$(dirname "$0")/../.."
DATA=${2:-$(pwd)/../shared/data/ecr-openpsychometrics/data.csv}
if [ ! -f "$DATA" ]; then
  echo "attune: real ECR data absent ($DATA): row-level references not made; their tests skip"; exit 0
fi
if ! command -v Rscript >/dev/null || ! Rscript -e 'quit(status = !requireNamespace("psych", quietly = TRUE))' 2>/dev/null; then
  echo "attune: R with psych absent: row-level references not made; their tests skip"; exit 0
fi
Rscript tools/r/reference_scores.R "$DATA" "$OUT" --rows-only >/dev/null
Rscript tools/r/reference_quality.R "$DATA" "$OUT" --rows-only >/dev/null
Rscript tools/r/reference_reliability.R "$DATA" "$OUT" --real-only >/dev/null
/usr/bin/python3 tools/reference_report_bins.py "$DATA" "$OUT" >/dev/null
echo "attune: references of the real ECR data in $OUT"
