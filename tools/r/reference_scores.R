# reference_scores.R -- independent reference scale scores for attune's tests, computed with R's psych.
#
# What it computes
#   Scale means (mean of the answered, keyed items; no imputation) with
#   psych::scoreItems(keys, items, impute = "none", totals = FALSE, min = , max = ),
#   cross-checked in the script against rowMeans() of the keyed items (stops on any difference
#   > 1e-12). n_anx / n_avo = number of answered items of that scale in the row. psych averages
#   over whatever is answered (even 1 item); attune has a minimum-answered rule, so compare only rows
#   where attune gives a score, and use n_* to pick them. A scale with no answered item is NA
#   (written as an empty field).
#
#   a. Real ECR data (Open Psychometrics, 51,491 rows; read from the shared folder, never copied
#      into the repo). ECR key (Brennan, Clark & Shaver, 1998): avoidance = odd items Q1..Q35,
#      anxiety = even items Q2..Q36; reverse-keyed 3, 15, 19, 22, 25, 27, 29, 31, 33, 35;
#      answers 1..5, 0 = not answered -> NA; reversed = 6 - x. Values outside 0..5 would be reported
#      (in the summary's out_of_range_rows) and set to NA; none are expected.
#        ROWS_DIR/ecr_openpsychometrics_scores.csv   every 25th data row (1-based data row
#            numbers 1, 26, 51, ...): row,anxiety,avoidance,n_anx,n_avo (15 significant digits).
#            Row-level results of the real data are never committed: ROWS_DIR is a build folder
#            (tools/r/make_row_references.sh writes it before the tests; they skip without it).
#        ROWS_DIR/ecr_openpsychometrics_summary.json over ALL rows: n_rows, rows with each
#            scale non-missing, mean/sd over non-missing, scoreItems' alpha (raw, from pairwise
#            covariances), std alpha (k*r/(1+(k-1)*r), r = mean inter-item correlation of the keyed
#            items from cov2cor(cov(use = "pairwise")), as psych::alpha() computes std.alpha;
#            scoreItems itself gives no standardized alpha), scoreItems' average r (alpha-implied)
#            and G6 (scoreItems' G6, which differs slightly from alpha()'s G6(smc)), psych_version.
#   b. Synthetic ECR-R example data examples/data/ecr-r-synthetic.csv (made by
#      tools/make_example_data.py). ECR-R key (Fraley, Waller & Brennan, 2000): anxiety = Q1..Q18,
#      avoidance = Q19..Q36; reverse-keyed 9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36;
#      answers 1..7, empty = missing; reversed = 8 - x. The three deliberately bad rows P0100
#      (Q5 = 9), P0200 (Q23 = "3.5") and P0300 (Q30 = "x") are EXCLUDED (497 rows remain);
#      the script stops if any other cell is not empty or an integer 1..7.
#        tests/reference/ecr_r_synthetic_scores.csv   id,anxiety,avoidance,n_anx,n_avo
#        tests/reference/ecr_r_one_scores.csv         same columns for examples/data/ecr-r-one.json
#            (id "ecr-r-one"; q17 is null there)
#
# Written with psych 2.2.9 (R 4.x, data.table not needed, jsonlite for JSON).
#
# Run from the repository root (takes a few seconds):
#   Rscript tools/r/reference_scores.R ../shared/data/ecr-openpsychometrics/data.csv [ROWS_DIR [--rows-only]]
# (the first argument is the path of the real ECR data.csv; if it is missing, part a is skipped with a
# message; ROWS_DIR defaults to build/reference-rows; --rows-only writes only the row-level file).
# The other outputs are committed under tests/reference/; rerun and commit after changing this.

suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
real_path <- if (length(args) >= 1) args[1] else "../shared/data/ecr-openpsychometrics/data.csv"
out_dir <- "tests/reference"
rows_dir <- if (length(args) >= 2) args[2] else "build/reference-rows"
rows_only <- length(args) >= 3 && args[3] == "--rows-only"
if (!dir.exists("tools/r")) stop("run from the repository root")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(rows_dir, showWarnings = FALSE, recursive = TRUE)

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.15g", x))

make_keys <- function(scales, reverse) {
  lapply(scales, function(items) ifelse(items %in% reverse, paste0("-", items), items))
}

# keyed copy of the items (reverse = (min + max) - x)
keyed_items <- function(items, reverse, min, max) {
  for (q in reverse) items[[q]] <- (min + max) - items[[q]]
  items
}

score <- function(items, scales, reverse, min, max) {
  keys <- make_keys(scales, reverse)
  s <- scoreItems(keys, items, impute = "none", totals = FALSE, min = min, max = max)
  keyed <- keyed_items(items, reverse, min, max)
  out <- list(si = s, keyed = keyed)
  for (sc in names(scales)) {
    sub <- keyed[, scales[[sc]], drop = FALSE]
    n <- rowSums(!is.na(sub))
    m <- rowMeans(sub, na.rm = TRUE)
    m[n == 0] <- NA
    ps <- s$scores[, sc]
    ps[n == 0] <- NA  # scoreItems' value for an all-missing row is not a mean; treat as missing
    diff <- abs(ps - m)
    if (any(is.na(ps) != is.na(m)) || any(diff > 1e-12, na.rm = TRUE))
      stop("scoreItems and rowMeans disagree on scale ", sc)
    out[[sc]] <- ps
    out[[paste0("n_", sc)]] <- n
  }
  out
}

std_alpha <- function(keyed_sub) {
  r <- cov2cor(cov(keyed_sub, use = "pairwise"))  # as scoreItems and alpha() build R
  k <- ncol(r)
  rbar <- mean(r[lower.tri(r)])
  k * rbar / (1 + (k - 1) * rbar)
}

write_csv_lines <- function(path, header, cols) {
  lines <- do.call(paste, c(cols, sep = ","))
  writeLines(c(header, lines), path)
  cat("wrote", path, "(", length(lines), "rows )\n")
}

psych_version <- as.character(packageVersion("psych"))

# ---------------------------------------------------------------- a. real ECR data
if (!file.exists(real_path)) {
  cat("real ECR data not found at", real_path, "- part a skipped\n")
} else {
  raw <- read.csv(real_path, check.names = FALSE)
  qs <- paste0("Q", 1:36)
  items <- as.data.frame(lapply(raw[, qs], as.numeric))
  m <- as.matrix(items)
  bad <- matrix(!(m %in% 0:5), nrow = nrow(m))  # NA (unparsable) counts as bad too
  bad_rows <- which(rowSums(bad) > 0)
  if (length(bad_rows)) {
    cat("rows with an out-of-range value (set to NA):", head(bad_rows, 50), "\n")
    m[bad] <- NA
    items <- as.data.frame(m)
  }
  n_zero <- sum(as.matrix(items) == 0, na.rm = TRUE)
  items[items == 0] <- NA
  scales <- list(anxiety = paste0("Q", seq(2, 36, 2)), avoidance = paste0("Q", seq(1, 35, 2)))
  reverse <- paste0("Q", c(3, 15, 19, 22, 25, 27, 29, 31, 33, 35))
  r <- score(items, scales, reverse, 1, 5)

  pick <- seq(1, nrow(items), by = 25)
  write_csv_lines(file.path(rows_dir, "ecr_openpsychometrics_scores.csv"),
                  "row,anxiety,avoidance,n_anx,n_avo",
                  list(pick, fmt(r$anxiety[pick]), fmt(r$avoidance[pick]),
                       r$n_anxiety[pick], r$n_avoidance[pick]))

  summ <- list(
    source = "Open Psychometrics ECR data (51,491 rows), read from the shared folder; not in the repo",
    key = "ECR (Brennan, Clark & Shaver 1998): anxiety = even items, avoidance = odd items; reverse 3,15,19,22,25,27,29,31,33,35; 1..5, 0 = missing; reversed = 6 - x",
    method = "psych::scoreItems(keys, items, impute = 'none', totals = FALSE, min = 1, max = 5): mean of answered keyed items",
    psych_version = psych_version,
    n_rows = nrow(items),
    n_missing_cells = n_zero,
    n_complete_rows = sum(complete.cases(items)),
    out_of_range_rows = as.list(bad_rows),
    scales = list())
  for (sc in names(scales)) {
    v <- r[[sc]]
    summ$scales[[sc]] <- list(
      n_items = length(scales[[sc]]),
      n_nonmissing = sum(!is.na(v)),
      n_all_items_answered = sum(r[[paste0("n_", sc)]] == length(scales[[sc]])),
      mean = mean(v, na.rm = TRUE),
      sd = sd(v, na.rm = TRUE),
      raw_alpha = unname(r$si$alpha[1, sc]),
      std_alpha = std_alpha(r$keyed[, scales[[sc]]]),
      average_r = unname(r$si$av.r[1, sc]),
      G6 = unname(r$si$G6[1, sc]),
      notes = "raw_alpha, average_r (alpha-implied), G6 from scoreItems (pairwise covariances); std_alpha = k*r/(1+(k-1)*r), r = mean off-diagonal of cov2cor(cov(keyed items, use = 'pairwise')), as psych::alpha's std.alpha")
  }
  path <- file.path(rows_dir, "ecr_openpsychometrics_summary.json")  # made at test time, never committed
  writeLines(toJSON(summ, auto_unbox = TRUE, pretty = TRUE, digits = I(15), na = "null"), path)
  cat("wrote", path, "\n")
  for (sc in names(scales))
    cat(sprintf("  %-9s n=%d mean=%.6f sd=%.6f alpha=%.6f std_alpha=%.6f\n", sc,
                summ$scales[[sc]]$n_nonmissing, summ$scales[[sc]]$mean, summ$scales[[sc]]$sd,
                summ$scales[[sc]]$raw_alpha, summ$scales[[sc]]$std_alpha))
}

if (rows_only) quit(save = "no")

# ---------------------------------------------------------------- b. synthetic ECR-R data
syn_path <- "examples/data/ecr-r-synthetic.csv"
syn <- read.csv(syn_path, colClasses = "character", na.strings = character(0))
bad_ids <- c("P0100", "P0200", "P0300")
syn <- syn[!syn$id %in% bad_ids, ]
qs <- paste0("Q", 1:36)
cells <- as.matrix(syn[, qs])
ok <- cells == "" | cells %in% as.character(1:7)
if (!all(ok)) stop("unexpected cell values outside the 3 bad rows: ", paste(unique(cells[!ok]), collapse = " "))
items <- as.data.frame(lapply(syn[, qs], function(x) as.numeric(ifelse(x == "", NA, x))))
scales_r <- list(anxiety = paste0("Q", 1:18), avoidance = paste0("Q", 19:36))
reverse_r <- paste0("Q", c(9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36))
r <- score(items, scales_r, reverse_r, 1, 7)
stopifnot(!any(is.na(r$anxiety)), !any(is.na(r$avoidance)))
write_csv_lines(file.path(out_dir, "ecr_r_synthetic_scores.csv"),
                "id,anxiety,avoidance,n_anx,n_avo",
                list(syn$id, fmt(r$anxiety), fmt(r$avoidance), r$n_anxiety, r$n_avoidance))
cat(sprintf("  synthetic: %d rows, mean anxiety=%.6f avoidance=%.6f\n", nrow(items),
            mean(r$anxiety, na.rm = TRUE), mean(r$avoidance, na.rm = TRUE)))

# one person (JSON, item ids q1..q36, null = missing)
one <- fromJSON("examples/data/ecr-r-one.json")
one_items <- as.data.frame(setNames(lapply(1:36, function(j) {
  v <- one[[paste0("q", j)]]
  if (is.null(v)) NA_real_ else as.numeric(v)
}), qs))
# scoreItems needs a real data matrix: score the person appended to the synthetic rows (with
# impute = "none" a row's mean does not depend on the other rows) and keep the last row
r1 <- score(rbind(items, one_items), scales_r, reverse_r, 1, 7)
last <- nrow(items) + 1
write_csv_lines(file.path(out_dir, "ecr_r_one_scores.csv"),
                "id,anxiety,avoidance,n_anx,n_avo",
                list("ecr-r-one", fmt(r1$anxiety[last]), fmt(r1$avoidance[last]),
                     r1$n_anxiety[last], r1$n_avoidance[last]))
