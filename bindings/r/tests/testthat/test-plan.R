test_that("plan() equals the CLI's `attune plan --format json` for the same answers", {
  cli <- Sys.getenv("ATTUNE_CLI")
  if (!nzchar(cli) || !file.exists(cli)) skip("ATTUNE_CLI not set")
  answers <- setNames(as.list(c(6, 2, 7, 1, 6, 2, 7, 1, 6, 2, 7, 1)), paste0("q", 1:12))
  p <- plan(answers, "ecr-s", stage = "dating", partnered = TRUE, start = "2026-01-05")
  f <- tempfile(fileext = ".json")
  writeLines(jsonlite::toJSON(answers, auto_unbox = TRUE), f)
  want <- system2(cli, c("plan", "-i", "ecr-s", "--json", f, "--stage", "dating", "--partnered",
                         "--start", "2026-01-05", "--format", "json"), stdout = TRUE)
  expect_identical(p, jsonlite::fromJSON(paste(want, collapse = "\n"), simplifyVector = FALSE))
  expect_match(p$disclaimer, "not a diagnosis")
})

test_that("plan() takes one person only", {
  two <- as.data.frame(matrix(4, nrow = 2, ncol = 12, dimnames = list(NULL, paste0("Q", 1:12))))
  e <- tryCatch(plan(two, "ecr-s", columns = "Q{n}"), attune_error = function(e) e)
  expect_s3_class(e, "attune_usage_error")
})
