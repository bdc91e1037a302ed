# Independent references: psych::scoreItems / psych::alpha on the published keys, written out here
# (not read from attune's instrument files).
ecr_key <- list(  # Brennan, Clark & Shaver (1998): avoidance odd items, anxiety even items
  anxiety = seq(2, 36, 2), avoidance = seq(1, 35, 2),
  reversed = c(3, 15, 19, 22, 25, 27, 29, 31, 33, 35))
ecr_r_key <- list(  # Fraley, Waller & Brennan (2000)
  anxiety = 1:18, avoidance = 19:36,
  reversed = c(9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36))

psych_scores <- function(items, key, min, max) {
  cols <- function(q) paste0("Q", q)
  keys <- lapply(key[c("anxiety", "avoidance")], function(q) ifelse(q %in% key$reversed, paste0("-", cols(q)), cols(q)))
  s <- psych::scoreItems(keys, items, impute = "none", totals = FALSE, min = min, max = max)
  n <- sapply(key[c("anxiety", "avoidance")], function(q) rowSums(!is.na(items[, cols(q)])))
  list(scores = s$scores, n = n, alpha = s$alpha)
}

keyed <- function(items, key, q, min, max) {
  x <- items[, paste0("Q", q)]
  for (r in intersect(q, key$reversed)) x[[paste0("Q", r)]] <- (min + max) - x[[paste0("Q", r)]]
  x
}

source_file <- function(...) {
  root <- Sys.getenv("ATTUNE_SOURCE_DIR")
  path <- file.path(root, ...)
  if (!nzchar(root) || !file.exists(path)) skip("ATTUNE_SOURCE_DIR (the attune repository) not set")
  path
}

real_ecr <- function() {
  # The repository's sibling shared/data, as the C++ tests; ATTUNE_TEST_SHARED_DATA overrides.
  dir <- Sys.getenv("ATTUNE_TEST_SHARED_DATA", file.path(Sys.getenv("ATTUNE_SOURCE_DIR", "/nonexistent"), "..", "shared", "data"))
  path <- file.path(dir, "ecr-openpsychometrics", "data.csv")
  if (!file.exists(path)) skip("shared real ECR data absent (ATTUNE_TEST_SHARED_DATA)")
  utils::read.csv(path)
}
