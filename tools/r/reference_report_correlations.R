# reference_report_correlations.R -- independent reference values for the report's "Correlations
# between the scales" table (tests/test_report_paper.cpp).
#
# Per data set: the scale scores as attune defines them (mean of the answered keyed items, reverse
# keying (min + max) - x, left empty (NA) when fewer than the scale's minimum are answered), their
# Pearson correlation over the rows where both scores exist (cor(use = "pairwise.complete.obs")),
# Cronbach's alpha of each scale on its keyed items (psych::alpha(check.keys = FALSE), pairwise, rows
# with at least one answered item of the scale, as tools/r/reference_reliability.R), and the
# correlation corrected for unreliability, r / sqrt(alpha_1 alpha_2) (Spearman 1904), taken from
# psych::correct.cor (its upper triangle), and also computed directly as a check on each other.
#
# Data set: ecr_r_synthetic = examples/data/ecr-r-synthetic.csv without the 3 bad rows P0100,
# P0200, P0300 (497 rows); anxiety = Q1..Q18, avoidance = Q19..Q36; reverse 9, 11, 20, 22, 26, 27,
# 28, 29, 30, 31, 33, 34, 35, 36; 1..7; min answered 15 per scale (instruments/ecr-r.json).
# Output: tests/reference/ecr_r_synthetic_scale_correlations.json (15 significant digits).
#
# Run from the repository root:  Rscript tools/r/reference_report_correlations.R

suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
})
if (!dir.exists("tools/r")) stop("run from the repository root")

syn <- read.csv("examples/data/ecr-r-synthetic.csv", colClasses = "character", na.strings = character(0))
syn <- syn[!syn$id %in% c("P0100", "P0200", "P0300"), ]
qs <- paste0("Q", 1:36)
cells <- as.matrix(syn[, qs])
if (!all(cells == "" | cells %in% as.character(1:7))) stop("unexpected cell values outside the 3 bad rows")
items <- as.data.frame(lapply(syn[, qs], function(v) suppressWarnings(as.numeric(v))))
for (q in paste0("Q", c(9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36))) items[[q]] <- 8 - items[[q]]

scales <- list(anxiety = paste0("Q", 1:18), avoidance = paste0("Q", 19:36))
min_answered <- 15
score <- function(x) {
  answered <- rowSums(!is.na(x))
  s <- rowMeans(x, na.rm = TRUE)
  s[answered < min_answered] <- NA
  s
}
scores <- as.data.frame(lapply(scales, function(cols) score(items[, cols])))
alphas <- sapply(names(scales), function(sc) {
  x <- items[, scales[[sc]]]
  x <- x[rowSums(!is.na(x)) > 0, , drop = FALSE]
  alpha(x, check.keys = FALSE)$total$raw_alpha
})
r <- cor(scores, use = "pairwise.complete.obs")
corrected <- correct.cor(r, alphas)
n <- sum(complete.cases(scores))
direct <- r[1, 2] / sqrt(alphas[["anxiety"]] * alphas[["avoidance"]])
if (abs(direct - corrected[1, 2]) > 1e-12) stop("psych::correct.cor and r / sqrt(a1 a2) disagree")

out <- list(
  dataset = "ecr_r_synthetic",
  psych_version = as.character(packageVersion("psych")),
  description = "examples/data/ecr-r-synthetic.csv without bad rows P0100, P0200, P0300 (497 rows); ECR-R key, 1..7",
  pairs = list(list(scale_1 = "anxiety", scale_2 = "avoidance", n = n, r = r[1, 2],
                    alpha_1 = alphas[["anxiety"]], alpha_2 = alphas[["avoidance"]],
                    r_disattenuated = corrected[1, 2])))
path <- "tests/reference/ecr_r_synthetic_scale_correlations.json"
writeLines(toJSON(out, auto_unbox = TRUE, pretty = TRUE, digits = I(15)), path)
cat(sprintf("r = %.15g, alphas %.15g %.15g, corrected %.15g, n = %d; wrote %s\n", r[1, 2], alphas[[1]], alphas[[2]],
            corrected[1, 2], n, path))
