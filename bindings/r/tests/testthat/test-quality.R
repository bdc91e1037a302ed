test_that("score(quality = TRUE) equals the CLI's `attune score --quality` on the example data", {
  cli <- Sys.getenv("ATTUNE_CLI")
  if (!nzchar(cli) || !file.exists(cli)) skip("ATTUNE_CLI not set")
  path <- source_file("examples", "data", "ecr-r-synthetic.csv")
  out <- tempfile(fileext = ".csv")
  system2(cli, c("score", "--instrument", "ecr-r", "--map", "'Q{n}'", "--quality", "-o", out, path),
          stdout = FALSE, stderr = FALSE)
  want <- utils::read.csv(out, colClasses = c(notes = "character", quality_flags = "character"), na.strings = "")
  got <- score(utils::read.csv(path, colClasses = "character"), "ecr-r", columns = "Q{n}", quality = TRUE)
  expect_identical(names(got), names(want))
  for (col in c("longstring", "irv", "even_odd", "synonyms", "mahalanobis", "mahalanobis_p", "share_answered",
                "out_of_range")) {
    # as.numeric: a column the CLI leaves empty (even_odd needs three item scales) reads as logical NA
    expect_equal(got[[col]], as.numeric(want[[col]]), tolerance = 1e-6, info = col)  # the CLI: 6 significant digits
  }
  expect_identical(got$quality_flags, want$quality_flags)
  expect_true(any(!is.na(got$quality_flags)))
  q <- quality(utils::read.csv(path, colClasses = "character"), "ecr-r", columns = "Q{n}")
  expect_identical(q$quality_flags, want$quality_flags)
})

test_that("longstring and out_of_range by hand", {
  df <- as.data.frame(matrix(c(rep(4, 12), c(1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 9, 2.5)), nrow = 2, byrow = TRUE,
                             dimnames = list(NULL, paste0("Q", 1:12))))
  q <- quality(df, "ecr-s", columns = "Q{n}")
  expect_equal(q$longstring[1], 12)          # twelve identical answers in a row
  expect_equal(q$irv[1], 0)                  # no variability
  expect_match(q$quality_flags[1], "longstring")
  expect_equal(q$out_of_range[2], 2)         # 9 is outside 1..7, 2.5 is not whole
})

test_that("real ECR data: quality indices equal base R (tools/r/reference_quality.R) on every 25th row", {
  d <- real_ecr()
  # row-level references are made at test time (tools/r/make_row_references.sh), never committed
  ref_path <- file.path(Sys.getenv("ATTUNE_TEST_ROW_REFERENCE"), "ecr_openpsychometrics_quality.csv")
  if (!nzchar(Sys.getenv("ATTUNE_TEST_ROW_REFERENCE")) || !file.exists(ref_path))
    skip("row-level reference absent: ATTUNE_TEST_ROW_REFERENCE (tools/r/make_row_references.sh)")
  ref <- utils::read.csv(ref_path)
  q <- quality(d, "ecr", columns = "Q{n}", missing = 0, data_scale = c(1, 5))
  expect_equal(nrow(q), 51491)
  for (col in c("longstring", "irv", "synonyms", "mahalanobis", "mahalanobis_p", "share_answered")) {
    expect_equal(q[[col]][ref$row], ref[[col]], tolerance = 1e-9, info = col)
  }
})
