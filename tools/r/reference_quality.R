# reference_quality.R -- independent reference response-quality indices for attune's tests, in base R.
#
# Why base R: the `careless` package is not packaged for Debian, so the indices are written out here
# from their published definitions with R's own primitives (rle, sd, cor, mahalanobis, pchisq). Nothing
# here calls attune or reuses its arithmetic: attune sums integers exactly, R works in ordinary
# floating point, so agreement to ~1e-9 checks both.
#
# Definitions (docs/formulas-reliability.md, "Response quality"), over the raw (unkeyed) answers in the
# instrument's published item order:
#   longstring      longest run of identical answers; a missing answer ends a run (Johnson 2005)
#   irv             sd() of the answered items, NA with fewer than 2 (Dunn et al. 2018)
#   synonyms        item pairs with pairwise-complete sample r > .60 are synonyms (Meade & Craig 2012);
#                   the person's Pearson r across the pairs answered on both sides, NA with fewer than
#                   3 such pairs or no variance on either side
#   mahalanobis     D^2 of the answered items from the item means (each over the rows answering it),
#                   with the pairwise-complete covariance matrix restricted to the answered items;
#                   mahalanobis_p = pchisq(D^2, df = answered, lower.tail = FALSE)
#   share_answered  answered / items
# Flags (attune's defaults): longstring >= items / 2, irv <= 0, synonyms < 0, mahalanobis_p < .001,
# share_answered < .5.
#
# Real ECR data (Open Psychometrics, 51,491 rows; read from the shared folder, never copied into the
# repo): Q1..Q36, answers 1..5, 0 = not answered -> NA.
#   ROWS_DIR/ecr_openpsychometrics_quality.csv   every 25th data row (1-based row 1, 26, 51, ...):
#       row,longstring,irv,synonyms,mahalanobis,mahalanobis_p,share_answered (15 significant digits;
#       an empty field is NA). Row-level results of the real data are never committed: ROWS_DIR is a
#       build folder (tools/r/make_row_references.sh writes it before the tests; they skip without it).
#   ROWS_DIR/ecr_openpsychometrics_quality.json  over ALL rows: the synonym pairs, how many rows
#       each flag catches, and how many rows have a synonym r of exactly 0 (not flagged: 0 is not < 0)
#
# Run from the repository root (about half a minute):
#   Rscript tools/r/reference_quality.R ../shared/data/ecr-openpsychometrics/data.csv [ROWS_DIR [--rows-only]]
# (ROWS_DIR defaults to build/reference-rows; --rows-only writes only the row-level file)

suppressPackageStartupMessages(library(jsonlite))

args <- commandArgs(trailingOnly = TRUE)
real_path <- if (length(args) >= 1) args[1] else "../shared/data/ecr-openpsychometrics/data.csv"
out_dir <- "tests/reference"
rows_dir <- if (length(args) >= 2) args[2] else "build/reference-rows"
rows_only <- length(args) >= 3 && args[3] == "--rows-only"
dir.create(rows_dir, showWarnings = FALSE, recursive = TRUE)
if (!dir.exists("tools/r")) stop("run from the repository root")
source("tools/r/quality_indices.R")
if (!file.exists(real_path)) stop("real ECR data not found at ", real_path)

d <- read.csv(real_path)
items <- paste0("Q", 1:36)
X <- as.matrix(d[, items])
storage.mode(X) <- "double"
if (any(!(X %in% 0:5))) stop("an answer outside 0..5")
X[X == 0] <- NA
k <- ncol(X)
answered <- !is.na(X)
n_ans <- rowSums(answered)

longstring <- longstring_of(X)
irv <- irv_of(X)

R <- cor(X, use = "pairwise.complete.obs")
pairs <- which(upper.tri(R) & R > 0.60, arr.ind = TRUE)
pairs <- pairs[order(pairs[, 1], pairs[, 2]), , drop = FALSE]
A <- X[, pairs[, 1], drop = FALSE]
B <- X[, pairs[, 2], drop = FALSE]
synonyms <- vapply(seq_len(nrow(X)), function(i) {
  ok <- !is.na(A[i, ]) & !is.na(B[i, ])
  if (sum(ok) < 3) return(NA_real_)
  a <- A[i, ok]; b <- B[i, ok]
  if (sd(a) == 0 || sd(b) == 0) return(NA_real_)
  cor(a, b)
}, numeric(1))

mu <- colMeans(X, na.rm = TRUE)
S <- cov(X, use = "pairwise.complete.obs")
maha <- rep(NA_real_, nrow(X))
full <- n_ans == k
maha[full] <- mahalanobis(X[full, , drop = FALSE], mu, S)
for (i in which(!full & n_ans > 0)) {
  j <- which(answered[i, ])
  maha[i] <- mahalanobis(X[i, j, drop = FALSE], mu[j], S[j, j, drop = FALSE])
}
maha_p <- ifelse(is.na(maha), NA, pchisq(maha, df = n_ans, lower.tail = FALSE))
share <- n_ans / k

flags <- list(
  longstring = sum(longstring >= k / 2),
  irv = sum(!is.na(irv) & irv <= 0),
  synonyms = sum(!is.na(synonyms) & synonyms < 0),
  mahalanobis = sum(!is.na(maha_p) & maha_p < 0.001),
  share_answered = sum(share < 0.5))
any_flag <- (longstring >= k / 2) | (!is.na(irv) & irv <= 0) | (!is.na(synonyms) & synonyms < 0) |
  (!is.na(maha_p) & maha_p < 0.001) | (share < 0.5)

# A row whose exact synonym r is 0 comes out as about +-1e-17 in floating point; count the rows
# within 1e-12 of 0 so the test can allow for them without guessing.
near_zero <- sum(!is.na(synonyms) & abs(synonyms) < 1e-12)

sel <- seq(1, nrow(X), by = 25)
out <- data.frame(row = sel, longstring = longstring[sel], irv = fmt(irv[sel]), synonyms = fmt(synonyms[sel]),
                  mahalanobis = fmt(maha[sel]), mahalanobis_p = fmt(maha_p[sel]), share_answered = fmt(share[sel]))
write.csv(out, file.path(rows_dir, "ecr_openpsychometrics_quality.csv"), row.names = FALSE, quote = FALSE)

summary <- list(
  source = "Open Psychometrics ECR data (51,491 rows), read from the shared folder; not in the repo",
  method = "tools/r/reference_quality.R: base R (rle, sd, cor and cov with use = 'pairwise.complete.obs', mahalanobis, pchisq)",
  r_version = R.version.string,
  n_rows = nrow(X),
  items = k,
  synonym_pairs = lapply(seq_len(nrow(pairs)), function(p) c(items[pairs[p, 1]], items[pairs[p, 2]])),
  flagged = flags,
  any = sum(any_flag),
  synonyms_within_1e12_of_zero = near_zero)
writeLines(toJSON(summary, auto_unbox = TRUE, pretty = TRUE, digits = NA),
           file.path(rows_dir, "ecr_openpsychometrics_quality.json"))
cat("wrote", file.path(rows_dir, "ecr_openpsychometrics_quality.csv"), "and", file.path(rows_dir, "ecr_openpsychometrics_quality.json"), ";",
    nrow(pairs), "synonym pairs; flagged:", paste(names(flags), unlist(flags), collapse = ", "), "; any", sum(any_flag), "\n")
