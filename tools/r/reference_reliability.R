# reference_reliability.R -- independent reference reliability statistics for attune's tests (psych).
#
# What it computes, per data set and per scale, on the KEYED items (reverse-keyed items are reversed
# here, (min + max) - x, and psych::alpha is called with check.keys = FALSE, so nothing is flipped
# by psych):
#   * psych::alpha(x, check.keys = FALSE) with its defaults (use = "pairwise": item variances,
#     covariances and correlations over pairwise-complete observations):
#       alpha (total$raw_alpha), std_alpha (total$std.alpha), lambda6 (total$`G6(smc)`),
#       average_r, median_r, ase (total$ase),
#       alpha_ci_feldt   {lower, upper} = alpha()$feldt$lower.ci / $upper.ci (psych::alpha.ci,
#                        Feldt's F-based 95% interval),
#       alpha_ci_duhachek {lower, upper} = raw_alpha -/+ 1.96 * total$ase. psych 2.2.9 stores no
#                        Duhachek interval in the alpha object (str() shows total, alpha.drop,
#                        item.stats, response.freq, feldt, ...); its print method computes exactly
#                        this from total$ase and labels it "Duhachek", so we do the same.
#       n = number of rows passed to alpha() (rows with at least one answered item of the scale),
#       n_complete = rows with every item of the scale answered,
#       items: per item column -- r_drop (item.stats$r.drop), r_cor (item.stats$r.cor),
#              alpha_if_deleted (alpha.drop$raw_alpha), mean, sd, n (item.stats), and
#              response_freq (response.freq row: proportion of each answer among answered, and
#              "miss" = proportion missing).
#   * psych::omega(x, nfactors = 1, plot = FALSE)$omega.tot (omega total; psych warns that
#     omega_h for one factor is not meaningful -- expected, the warning is suppressed).
#   * "listwise": the same statistics on na.omit(x) (complete cases of that scale only).
#
# Data sets (same keys and exclusions as tools/r/reference_scores.R):
#   ecr_openpsychometrics  real ECR data (51,491 rows, read from the shared folder, never copied;
#                          its reference goes to ROWS_DIR, a build folder, made at test time):
#                          anxiety = even items, avoidance = odd items; reverse 3, 15, 19, 22, 25, 27,
#                          29, 31, 33, 35; 1..5, 0 = missing; reversed = 6 - x.
#   ecr_r_synthetic        examples/data/ecr-r-synthetic.csv without the 3 bad rows P0100, P0200,
#                          P0300 (497 rows): anxiety = Q1..Q18, avoidance = Q19..Q36; reverse 9, 11,
#                          20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36; 1..7; reversed = 8 - x.
# Outputs: tests/reference/<dataset>_reliability.json keyed by scale id; numbers printed with 15
# significant digits (jsonlite, digits = I(15)).
#
# Written with psych 2.2.9 (R 4.x, jsonlite, GPArotation as installed with psych).
#
# Run from the repository root (well under a minute):
#   Rscript tools/r/reference_reliability.R ../shared/data/ecr-openpsychometrics/data.csv
# (if the real data is absent, that data set is skipped with a message). Outputs are committed
# under tests/reference/; rerun and commit after changing this.

suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
real_path <- if (length(args) >= 1) args[1] else "../shared/data/ecr-openpsychometrics/data.csv"
out_dir <- "tests/reference"
# The real data's reference goes to a build folder, made at test time (tools/r/make_row_references.sh).
rows_dir <- if (length(args) >= 2) args[2] else "build/reference-rows"
real_only <- length(args) >= 3 && args[3] == "--real-only"
dir.create(rows_dir, showWarnings = FALSE, recursive = TRUE)
if (!dir.exists("tools/r")) stop("run from the repository root")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
psych_version <- as.character(packageVersion("psych"))

keyed_items <- function(items, reverse, min, max) {
  for (q in reverse) items[[q]] <- (min + max) - items[[q]]
  items
}

stats_block <- function(x) {
  a <- alpha(x, check.keys = FALSE)
  om <- suppressWarnings(suppressMessages(omega(x, nfactors = 1, plot = FALSE)))
  tot <- a$total
  rf <- a$response.freq
  items <- list()
  for (q in colnames(x)) {
    freq <- as.list(rf[q, ])
    names(freq) <- colnames(rf)
    items[[q]] <- list(
      r_drop = a$item.stats[q, "r.drop"],
      r_cor = a$item.stats[q, "r.cor"],
      alpha_if_deleted = a$alpha.drop[q, "raw_alpha"],
      mean = a$item.stats[q, "mean"],
      sd = a$item.stats[q, "sd"],
      n = a$item.stats[q, "n"],
      response_freq = freq)
  }
  list(
    alpha = tot$raw_alpha,
    std_alpha = tot$std.alpha,
    lambda6 = tot[["G6(smc)"]],
    average_r = tot$average_r,
    median_r = tot$median_r,
    ase = tot$ase,
    alpha_ci_feldt = list(lower = a$feldt$lower.ci$raw_alpha, upper = a$feldt$upper.ci$raw_alpha),
    alpha_ci_duhachek = list(lower = tot$raw_alpha - 1.96 * tot$ase,
                             upper = tot$raw_alpha + 1.96 * tot$ase),
    omega_total = om$omega.tot,
    n = nrow(x),
    n_complete = sum(complete.cases(x)),
    items = items)
}

reliability <- function(name, items, scales, reverse, min, max, description) {
  keyed <- keyed_items(items, reverse, min, max)
  out <- list(dataset = name, description = description, psych_version = psych_version,
              notes = paste(
                "Keyed items (reversed here), psych::alpha(check.keys = FALSE) defaults (pairwise);",
                "rows with no answered item of the scale dropped before alpha (n);",
                "alpha_ci_duhachek = raw_alpha -/+ 1.96*ase as psych's print method does",
                "(psych 2.2.9 stores no Duhachek interval);",
                "omega_total = psych::omega(nfactors = 1)$omega.tot;",
                "listwise = same on na.omit(scale items)."),
              scales = list())
  for (sc in names(scales)) {
    x <- keyed[, scales[[sc]], drop = FALSE]
    x <- x[rowSums(!is.na(x)) > 0, , drop = FALSE]
    blk <- stats_block(x)
    blk$listwise <- stats_block(na.omit(x))
    out$scales[[sc]] <- blk
    cat(sprintf("  %s %-9s alpha=%.6f std=%.6f G6=%.6f omega=%.6f n=%d | listwise alpha=%.6f n=%d\n",
                name, sc, blk$alpha, blk$std_alpha, blk$lambda6, blk$omega_total, blk$n,
                blk$listwise$alpha, blk$listwise$n))
  }
  path <- file.path(if (name == "ecr_openpsychometrics") rows_dir else out_dir, paste0(name, "_reliability.json"))
  writeLines(toJSON(out, auto_unbox = TRUE, pretty = TRUE, digits = I(15), na = "null"), path)
  cat("wrote", path, "(", file.size(path), "bytes )\n")
}

# ---------------------------------------------------------------- real ECR data
if (!file.exists(real_path)) {
  cat("real ECR data not found at", real_path, "- skipped\n")
} else {
  raw <- read.csv(real_path, check.names = FALSE)
  qs <- paste0("Q", 1:36)
  items <- as.data.frame(lapply(raw[, qs], as.numeric))
  m <- as.matrix(items)
  m[!(m %in% 1:5)] <- NA  # 0 = not answered (and anything out of range)
  items <- as.data.frame(m)
  reliability("ecr_openpsychometrics", items,
              list(anxiety = paste0("Q", seq(2, 36, 2)), avoidance = paste0("Q", seq(1, 35, 2))),
              paste0("Q", c(3, 15, 19, 22, 25, 27, 29, 31, 33, 35)), 1, 5,
              "Open Psychometrics ECR data (51,491 rows), read from the shared folder; ECR key, 1..5, 0 = missing")
}

if (real_only) quit(save = "no")

# ---------------------------------------------------------------- synthetic ECR-R data
syn <- read.csv("examples/data/ecr-r-synthetic.csv", colClasses = "character", na.strings = character(0))
syn <- syn[!syn$id %in% c("P0100", "P0200", "P0300"), ]
qs <- paste0("Q", 1:36)
cells <- as.matrix(syn[, qs])
if (!all(cells == "" | cells %in% as.character(1:7))) stop("unexpected cell values outside the 3 bad rows")
items <- as.data.frame(lapply(syn[, qs], function(x) as.numeric(ifelse(x == "", NA, x))))
reliability("ecr_r_synthetic", items,
            list(anxiety = paste0("Q", 1:18), avoidance = paste0("Q", 19:36)),
            paste0("Q", c(9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36)), 1, 7,
            "examples/data/ecr-r-synthetic.csv without bad rows P0100, P0200, P0300 (497 rows); ECR-R key, 1..7")
