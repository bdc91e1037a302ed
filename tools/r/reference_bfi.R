# reference_bfi.R -- psych's bfi data and its scoreItems scale scores, for the test that scores bfi
# through examples/instruments/bfi.json (a questionnaire that is not about attachment: no profile).
#
# What it writes
#   tests/reference/bfi_first500.csv   the first 500 rows of psych::bfi, the 25 items only (A1..O5,
#       answers 1..6, NA written as an empty field), with a leading `id` column (1..500) and the
#       original column names, so the test reads the items under their own (upper-case) names.
#   tests/reference/bfi_first500_scores.csv   id,agree,conscientious,extraversion,neuroticism,openness:
#       psych::scoreItems(psych::bfi.keys[1:5], items, impute = "none", totals = FALSE, min = 1,
#       max = 6)$scores, 15 significant digits. With impute = "none" a scale is the mean of its
#       answered keyed items (reversed = 7 - x), which the script cross-checks against rowMeans()
#       of the keyed items (stops on any difference > 1e-12). A scale with no answered item is NA.
#
# The data: psych's bfi holds 2,800 people's answers to 25 IPIP items (Goldberg, 1999) collected by
# the SAPA project (Revelle, Wilt & Rosenthal, 2010); psych documents it as public IPIP data. Only
# the answers (no demographics, no item wording) are exported, and only 500 rows.
#
# Written with psych 2.2.9. Run from the repository root:  Rscript tools/r/reference_bfi.R

suppressPackageStartupMessages(library(psych))
if (!dir.exists("tools/r")) stop("run from the repository root")
out_dir <- "tests/reference"

items <- psych::bfi[1:500, 1:25]
stopifnot(identical(colnames(items), c(paste0("A", 1:5), paste0("C", 1:5), paste0("E", 1:5), paste0("N", 1:5), paste0("O", 1:5))))
stopifnot(all(is.na(as.matrix(items)) | as.matrix(items) %in% 1:6))

keys <- psych::bfi.keys[c("agree", "conscientious", "extraversion", "neuroticism", "openness")]
sc <- psych::scoreItems(keys, items, impute = "none", totals = FALSE, min = 1, max = 6)$scores

# Cross-check: the mean of the answered keyed items.
for (name in names(keys)) {
  k <- keys[[name]]
  rev <- startsWith(k, "-")
  cols <- sub("^-", "", k)
  m <- as.matrix(items[, cols])
  m[, rev] <- 7 - m[, rev]
  direct <- rowMeans(m, na.rm = TRUE)
  direct[is.nan(direct)] <- NA
  d <- abs(direct - sc[, name])
  if (any(is.na(direct) != is.na(sc[, name])) || any(d[!is.na(d)] > 1e-12)) stop("scoreItems and rowMeans differ on ", name)
}

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.15g", x))
data_out <- data.frame(id = 1:500, lapply(items, function(x) ifelse(is.na(x), "", as.character(x))), check.names = FALSE)
write.csv(data_out, file.path(out_dir, "bfi_first500.csv"), row.names = FALSE, quote = FALSE)
scores_out <- data.frame(id = 1:500, lapply(as.data.frame(sc), fmt), check.names = FALSE)
write.csv(scores_out, file.path(out_dir, "bfi_first500_scores.csv"), row.names = FALSE, quote = FALSE)
cat("psych", as.character(packageVersion("psych")), "- wrote", nrow(data_out), "rows\n")
