test_that("one ECR-S answer set scores as computed by hand", {
  df <- as.data.frame(matrix(1, nrow = 2, ncol = 12, dimnames = list(NULL, paste0("Q", 1:12))))
  df$Q1[2] <- NA
  s <- score(df, "ecr-s", columns = "Q{n}")
  # All answers 1 on 1..7: anxiety = (5 x 1 + reversed q8 = 7) / 6 = 2; avoidance = (3 x 1 + 3 x 7) / 6 = 4.
  expect_equal(s$anxiety[1], 2, tolerance = 1e-12)
  expect_equal(s$avoidance[1], 4, tolerance = 1e-12)
  expect_true(is.na(s$notes[1]))
})

test_that("columns are the CLI's CSV columns, in its order", {
  df <- as.data.frame(matrix(4, nrow = 1, ncol = 36, dimnames = list(NULL, paste0("Q", 1:36))))
  df$id <- "p1"
  s <- score(df, "ecr-r", columns = "Q{n}")
  expect_identical(names(s), c("id", "anxiety", "anxiety_z", "anxiety_pct", "avoidance", "avoidance_z", "avoidance_pct",
                               "secure", "anxious", "avoidant", "fearful", "category", "confidence", "method", "notes"))
})

test_that("the example data equal psych::scoreItems, and the bad rows carry the CLI's notes", {
  df <- utils::read.csv(source_file("examples", "data", "ecr-r-synthetic.csv"), colClasses = "character")
  s <- score(df, "ecr-r", columns = "Q{n}")
  bad <- df$id %in% c("P0100", "P0200", "P0300")
  expect_identical(s$notes[df$id == "P0300"], "error: not a number in column 'Q30', value 'x'")
  expect_identical(s$notes[df$id == "P0100"], "error: answer is out of range in column 'Q5', value '9'")
  expect_true(all(is.na(s$anxiety[bad])))
  items <- as.data.frame(lapply(df[!bad, paste0("Q", 1:36)], as.numeric))
  ref <- psych_scores(items, ecr_r_key, 1, 7)
  for (sc in c("anxiety", "avoidance")) {
    ok <- ref$n[, sc] >= 15  # ECR-R's minimum answered per scale
    expect_gt(sum(ok), 490)
    expect_equal(s[[sc]][!bad][ok], unname(ref$scores[ok, sc]), tolerance = 1e-12)
    expect_true(all(is.na(s[[sc]][!bad][!ok])))
  }
})

test_that("scores equal the attune CLI on the example data", {
  cli <- Sys.getenv("ATTUNE_CLI")
  if (!nzchar(cli) || !file.exists(cli)) skip("ATTUNE_CLI not set")
  path <- source_file("examples", "data", "ecr-r-synthetic.csv")
  out <- tempfile(fileext = ".csv")
  system2(cli, c("score", "--instrument", "ecr-r", "--map", "'Q{n}'", "-o", out, path), stdout = FALSE, stderr = FALSE)
  want <- utils::read.csv(out, colClasses = c(notes = "character"), na.strings = "")
  got <- score(utils::read.csv(path, colClasses = "character"), "ecr-r", columns = "Q{n}")
  expect_identical(names(got), names(want))
  for (col in c("anxiety", "avoidance", "secure", "anxious", "avoidant", "fearful")) {
    expect_equal(got[[col]], want[[col]], tolerance = 1e-6)  # the CLI writes 6 significant digits
  }
  expect_identical(got$category, want$category)
  expect_identical(got$notes, want$notes)
})

test_that("real ECR data (51,491 rows): scores and alpha equal psych", {
  d <- real_ecr()
  items <- d[, paste0("Q", 1:36)]
  items[items == 0] <- NA
  s <- score(d, "ecr", columns = "Q{n}", missing = 0, data_scale = c(1, 5))
  expect_equal(nrow(s), 51491)
  expect_true(all(is.na(s$notes) | !startsWith(s$notes, "error")))
  ref <- psych_scores(items, ecr_key, 1, 5)
  for (sc in c("anxiety", "avoidance")) {
    ok <- ref$n[, sc] >= 15
    expect_equal(s[[sc]][ok], unname(ref$scores[ok, sc]), tolerance = 1e-9)
  }
  rel <- reliability(d, "ecr", columns = "Q{n}", missing = 0, data_scale = c(1, 5))
  for (sc in c("anxiety", "avoidance")) {
    a <- suppressWarnings(psych::alpha(keyed(items, ecr_key, ecr_key[[sc]], 1, 5), check.keys = FALSE))
    row <- rel$scales[rel$scales$scale == sc, ]
    expect_equal(row$alpha, a$total$raw_alpha, tolerance = 1e-9)
    expect_equal(row$std_alpha, a$total$std.alpha, tolerance = 1e-9)
    expect_equal(rel$items$r_drop[rel$items$scale == sc], unname(a$item.stats$r.drop), tolerance = 1e-9)
  }
})
