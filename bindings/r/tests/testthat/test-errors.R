test_that("attune errors are R conditions with their fields", {
  e <- tryCatch(score(data.frame(Q1 = 1), "no-such-instrument"), attune_error = function(e) e)
  expect_s3_class(e, "attune_usage_error")
  expect_s3_class(e, "error")
  expect_identical(e$kind, "usage")
  expect_identical(e$code, 1L)
  expect_identical(e$value, "no-such-instrument")
  expect_match(e$expected, "built-in id")
  expect_match(conditionMessage(e), "unknown instrument")
})

test_that("a missing item column names the column", {
  e <- tryCatch(score(data.frame(Q1 = 1), "ecr-s", columns = "Q{n}"), attune_error = function(e) e)
  expect_s3_class(e, "attune_usage_error")
  expect_match(conditionMessage(e), "no column 'Q2'")
})

test_that("an instrument file with an error is an attune_instrument_error", {
  f <- tempfile(fileext = ".json")
  writeLines('{"format": "attune-instrument/1", "id": "x"}', f)
  e <- tryCatch(score(data.frame(Q1 = 1), f), attune_error = function(e) e)
  expect_s3_class(e, "attune_instrument_error")
  expect_identical(e$file, f)
})

test_that("the package finds its own instruments", {
  expect_true(all(c("ecr", "ecr-r", "ecr-s", "rq", "rsq") %in% list_instruments()))
  dir <- system.file("extdata", "instruments", package = "attune")
  expect_true(dir %in% strsplit(Sys.getenv("ATTUNE_INSTRUMENT_PATH"), ":", fixed = TRUE)[[1]])
})
