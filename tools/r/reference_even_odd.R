# reference_even_odd.R -- independent reference for the model-free response-quality indices on an
# instrument with many item scales (the ECR's two scales leave even_odd empty), in base R.
#
# Data: a deterministic synthetic ECR-RS sample made here (set.seed below), 400 rows, answers 1..7:
#   - most rows: a person-level anxiety and avoidance per domain, items = trait + noise, rounded;
#   - every 10th row answers at random (even-odd consistency near 0 or negative: the flag's target);
#   - every 25th row answers 4 to everything (halves equal, r undefined -> empty);
#   - about 3% of cells left empty, and every 15th row skips the partner domain entirely.
# Key (Fraley, Heffernan, Vicary & Brumbaugh, 2011, ECR-RS): per domain (mother, father, partner,
# friend) avoidance = q1..q6 with q1..q4 reverse-keyed, anxiety = q7..q9; reversed = 8 - x.
#
# Indices (docs/formulas-reliability.md), raw answers in the published item order:
#   even_odd        per item scale, mean of the keyed 1st, 3rd, ... answered items and of the 2nd, 4th,
#                   ... answered items in the scale's order; the person's Pearson r of the two across
#                   the scales with both halves answered (>= 3 such scales, else NA; no variance -> NA);
#                   Spearman-Brown 2r / (1 + r), and -1 where r = -1 (Jackson 1976; Johnson 2005)
#   longstring      longest run of identical answers; a missing answer ends a run
#   irv             sd() of the answered items (>= 2)
#   share_answered  answered / 36
# Flag counts at attune's defaults: even_odd < .30, longstring >= 18, irv <= 0, share_answered < .5.
#
# Writes (committed; the test reads them without R):
#   tests/reference/ecr_rs_quality_input.csv   id + the 36 items, named by attune's item ids
#   tests/reference/ecr_rs_quality.csv         id,even_odd,longstring,irv,share_answered (15 significant digits)
#   tests/reference/ecr_rs_quality.json        flag counts over the 400 rows
# Run from the repository root (a second):  Rscript tools/r/reference_even_odd.R

suppressPackageStartupMessages(library(jsonlite))
if (!dir.exists("tools/r")) stop("run from the repository root")
source("tools/r/quality_indices.R")
out_dir <- "tests/reference"

set.seed(20261202)
domains <- c("mother", "father", "partner", "friend")
items <- as.vector(t(outer(domains, paste0("_q", 1:9), paste0)))
n <- 400
X <- matrix(NA_real_, n, length(items), dimnames = list(NULL, items))
clamp <- function(v) pmin(7, pmax(1, round(v)))
for (i in seq_len(n)) {
  for (d in domains) {
    avo <- rnorm(1, 3.5, 1.4); anx <- rnorm(1, 3.8, 1.4)
    keyed_avo <- clamp(avo + rnorm(6, 0, 0.8)); keyed_anx <- clamp(anx + rnorm(3, 0, 0.8))
    raw_avo <- keyed_avo; raw_avo[1:4] <- 8 - keyed_avo[1:4]          # as answered
    X[i, paste0(d, "_q", 1:9)] <- c(raw_avo, keyed_anx)
  }
  if (i %% 10 == 0) X[i, ] <- sample(1:7, length(items), replace = TRUE)
  if (i %% 25 == 0) X[i, ] <- 4
}
X[matrix(runif(length(X)) < 0.03, n)] <- NA
X[seq(15, n, by = 15), paste0("partner_q", 1:9)] <- NA

reverse <- unlist(lapply(domains, function(d) paste0(d, "_q", 1:4)))
scales <- unlist(lapply(domains, function(d) list(paste0(d, "_q", 1:6), paste0(d, "_q", 7:9))), recursive = FALSE)
K <- X
K[, reverse] <- 8 - K[, reverse]

even_odd <- apply(K, 1, function(k) {
  a <- c(); b <- c()
  for (s in scales) {
    v <- k[s]
    odd <- v[seq(1, length(v), by = 2)]; even <- v[seq(2, length(v), by = 2)]
    if (any(!is.na(odd)) && any(!is.na(even))) { a <- c(a, mean(odd, na.rm = TRUE)); b <- c(b, mean(even, na.rm = TRUE)) }
  }
  if (length(a) < 3 || sd(a) == 0 || sd(b) == 0) return(NA_real_)
  r <- cor(a, b)
  if (r <= -1) -1 else 2 * r / (1 + r)
})
longstring <- longstring_of(X)
irv <- irv_of(X)
share <- rowSums(!is.na(X)) / ncol(X)

ids <- sprintf("R%03d", seq_len(n))
input <- data.frame(id = ids, X, check.names = FALSE)
write.csv(input, file.path(out_dir, "ecr_rs_quality_input.csv"), row.names = FALSE, quote = FALSE, na = "")
write.csv(data.frame(id = ids, even_odd = fmt(even_odd), longstring = longstring, irv = fmt(irv),
                     share_answered = fmt(share)),
          file.path(out_dir, "ecr_rs_quality.csv"), row.names = FALSE, quote = FALSE)
flags <- list(even_odd = sum(!is.na(even_odd) & even_odd < 0.30), longstring = sum(longstring >= 18),
              irv = sum(!is.na(irv) & irv <= 0), share_answered = sum(share < 0.5))
writeLines(toJSON(list(method = "tools/r/reference_even_odd.R (base R)", r_version = R.version.string, n_rows = n,
                       even_odd_computed = sum(!is.na(even_odd)), flagged = flags),
                  auto_unbox = TRUE, pretty = TRUE),
           file.path(out_dir, "ecr_rs_quality.json"))
cat("wrote ecr_rs_quality_input.csv, ecr_rs_quality.csv, ecr_rs_quality.json; even_odd computed for",
    sum(!is.na(even_odd)), "rows; flagged:", paste(names(flags), unlist(flags), collapse = ", "), "\n")
