# 200 ECR rows on 1..5 with about 10 % of answers missing, made here (no data file in the package):
# row 7 answers no anxiety item (the even items), row 12 has a 9 (off the scale: no scores at all).
irt_rows <- function() {
  set.seed(20)
  lean <- sample(c(-1, 0, 1), 200, replace = TRUE)
  x <- matrix(sample(1:5, 200 * 36, replace = TRUE), 200, 36)
  x[] <- pmin(5, pmax(1, x + outer(lean, ifelse(seq_len(36) %% 2 == 1, 1, -1))))
  x[matrix(stats::runif(200 * 36) < 0.1, 200, 36)] <- NA
  x[7, seq(2, 36, 2)] <- NA
  x[12, 4] <- 9
  d <- as.data.frame(x)
  names(d) <- paste0("q", 1:36)
  cbind(id = sprintf("p%d", 1:200), d, stringsAsFactors = FALSE)
}

attune_cli <- function() {
  cli <- Sys.getenv("ATTUNE_CLI")
  if (!nzchar(cli) || !file.exists(cli)) skip("ATTUNE_CLI not set")
  cli
}

# NA in the same places, and no value further than tol from the other (absolute: theta is on a
# metric of standard deviations, so 1e-9 means 1e-9 of one).
expect_close <- function(got, want, tol, info = NULL) {
  expect_identical(is.na(got), is.na(want), info = info)
  expect_lt(max(c(0, abs(got - want)), na.rm = TRUE), tol)
}

# Debian's python3 with NumPy, for the independent reference code in tools/irt/.
reference_python <- function() {
  py <- "/usr/bin/python3"
  if (!file.exists(py) || system2(py, c("-c", shQuote("import numpy, scipy")), stdout = FALSE, stderr = FALSE) != 0)
    skip("/usr/bin/python3 with numpy and scipy not present")
  py
}
