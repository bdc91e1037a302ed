norm_cols <- c("anxiety", "anxiety_z", "anxiety_pct", "avoidance", "avoidance_z", "avoidance_pct", "secure", "anxious",
               "avoidant", "fearful", "confidence")

cli_scores <- function(args) {
  out <- tempfile(fileext = ".csv")
  system2(attune_cli(), c("score", args, "--decimals", "9", "-o", out), stdout = FALSE, stderr = FALSE)
  utils::read.csv(out, colClasses = c(notes = "character", category = "character"), na.strings = "")
}

expect_same_scores <- function(got, want, cols) {
  expect_identical(names(got), names(want))
  for (col in cols) expect_close(got[[col]], as.numeric(want[[col]]), 1e-9, info = col)  # 9 decimals: within 5e-10
  expect_identical(got$category, want$category)
}

test_that("score(norms = 'sample') equals `attune score --norms sample` (1..7, and the ECR on 1..5)", {
  path <- source_file("examples", "data", "ecr-r-synthetic.csv")
  want <- cli_scores(c("-i", "ecr-r", "--map", "'Q{n}'", "--norms", "sample", path))
  got <- score(utils::read.csv(path, colClasses = "character"), "ecr-r", columns = "Q{n}", norms = "sample")
  expect_same_scores(got, want, norm_cols)
  expect_gt(sum(!is.na(got$anxiety_pct)), 490)
  # by hand (docs/formulas.md): z = (score - mean) / SD (n - 1) over the rows where the scale is scored
  for (sc in c("anxiety", "avoidance")) {
    z <- (got[[sc]] - mean(got[[sc]], na.rm = TRUE)) / stats::sd(got[[sc]], na.rm = TRUE)
    expect_close(got[[paste0(sc, "_z")]], z, 1e-12, info = sc)
    expect_close(got[[paste0(sc, "_pct")]], 100 * stats::pnorm(z), 1e-10, info = sc)
  }
  # the ECR on 1..5, answers that follow two traits through the published keys (ecr_key), 10 % missing
  set.seed(7)
  trait <- matrix(stats::rnorm(300 * 2), 300)
  x <- sapply(1:36, function(i) {
    sign <- if (i %in% ecr_key$reversed) -1 else 1
    round(3 + 1.2 * sign * trait[, 1 + i %% 2] + stats::rnorm(300, sd = 0.8))
  })
  x[] <- pmin(5, pmax(1, x))
  x[matrix(stats::runif(300 * 36) < 0.1, 300)] <- NA
  d <- stats::setNames(as.data.frame(x), paste0("Q", 1:36))
  f <- tempfile(fileext = ".csv")
  utils::write.csv(d, f, row.names = FALSE, na = "")
  want <- cli_scores(c("-i", "ecr", "--response-scale", "1..5", "--map", "'Q{n}'", "--norms", "sample", f))
  got <- score(d, "ecr", columns = "Q{n}", data_scale = c(1, 5), norms = "sample")
  expect_same_scores(got, want, norm_cols)
  expect_gt(sum(!is.na(got$avoidance_pct)), 250)
  # answers with no consistency: the sample's alpha is negative; both score them with the sample's
  # mean and SD and no alpha (no standard error), as the CLI does, rather than refusing the run
  d <- irt_rows()
  got <- score(d, "ecr", data_scale = c(1, 5), norms = "sample")
  f <- tempfile(fileext = ".csv")
  utils::write.csv(d, f, row.names = FALSE, na = "")
  want <- cli_scores(c("-i", "ecr", "--response-scale", "1..5", "--norms", "sample", f))
  expect_same_scores(got, want, norm_cols)
  expect_gt(sum(!is.na(got$anxiety_z)), 0)
})

test_that("score(norms = FILE, a list or a data frame) equals `attune score --norms FILE` and the formula", {
  path <- source_file("examples", "data", "ecr-r-synthetic.csv")
  norms <- list(anxiety = list(mean = 3.56, sd = 1.12, alpha = 0.91), avoidance = list(mean = 2.92, sd = 1.13))
  f <- tempfile(fileext = ".json")
  writeLines(jsonlite::toJSON(norms, auto_unbox = TRUE, digits = NA), f)
  want <- cli_scores(c("-i", "ecr-r", "--map", "'Q{n}'", "--norms", f, path))
  d <- utils::read.csv(path, colClasses = "character")
  got <- score(d, "ecr-r", columns = "Q{n}", norms = f)
  expect_same_scores(got, want, norm_cols)
  frame <- data.frame(scale = c("anxiety", "avoidance"), mean = c(3.56, 2.92), sd = c(1.12, 1.13), alpha = c(0.91, NA))
  expect_identical(score(d, "ecr-r", columns = "Q{n}", norms = norms), got)
  expect_identical(score(d, "ecr-r", columns = "Q{n}", norms = frame), got)
  expect_close(got$anxiety_pct, 100 * stats::pnorm((got$anxiety - 3.56) / 1.12), 1e-10)
  expect_close(got$avoidance_z, (got$avoidance - 2.92) / 1.13, 1e-12)
  # the instrument's (none published for ECR-R: no percentiles) and the midpoint, as the CLI
  for (n in c("instrument", "midpoint")) {
    want <- cli_scores(c("-i", "ecr-r", "--map", "'Q{n}'", "--norms", n, path))
    got <- score(d, "ecr-r", columns = "Q{n}", norms = n)
    expect_same_scores(got, want, norm_cols)
    expect_true(all(is.na(got$anxiety_pct)))
  }
})

test_that("norms the CLI refuses are refused, as R conditions naming the problem", {
  d <- as.data.frame(matrix(4, nrow = 2, ncol = 12, dimnames = list(NULL, paste0("Q", 1:12))))
  e <- tryCatch(score(d, "ecr-s", columns = "Q{n}", norms = list(anxiety = list(mean = 3, sd = 0))),
                attune_error = function(e) e)
  expect_s3_class(e, "attune_usage_error")
  expect_match(e$json_path, "anxiety")
  e <- tryCatch(score(d, "ecr-s", columns = "Q{n}", norms = list(anxiety = list(mean = 3, sd = 1, median = 2))),
                attune_error = function(e) e)
  expect_s3_class(e, "attune_usage_error")
  e <- tryCatch(score(d, "ecr-s", columns = "Q{n}", norms = "no-such-norms.json"), attune_error = function(e) e)
  expect_s3_class(e, "attune_usage_error")
  expect_match(e$expected, "sample")
})
