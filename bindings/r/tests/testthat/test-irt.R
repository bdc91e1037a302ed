cal_id <- "ecr-openpsychometrics-1to5"

# EAP and posterior SD written out from docs/irt.md (Samejima 1969; Bock & Mislevy 1982), for answers
# on 1..5: 61 points on [-6, 6], N(0, 1) weights, P(X >= k) = plogis(a (theta - b_k)) after the
# reverse key; a missing answer contributes nothing.
eap_by_hand <- function(x, items) {
  q <- seq(-6, 6, length.out = 61)
  post <- stats::dnorm(q)
  for (j in seq_len(nrow(items))) {
    if (is.na(x[j])) next
    k <- if (items$reversed[j]) 5 - x[j] else x[j] - 1  # category 0..4
    b <- unlist(items[j, paste0("b", 1:4)])
    up <- if (k == 0) 1 else stats::plogis(items$a[j] * (q - b[k]))
    down <- if (k == 4) 0 else stats::plogis(items$a[j] * (q - b[k + 1]))
    post <- post * (up - down)
  }
  post <- post / sum(post)
  m <- sum(q * post)
  c(m, sqrt(sum((q - m)^2 * post)))
}

write_rows <- function(d) {
  f <- tempfile(fileext = ".csv")
  utils::write.csv(d, f, row.names = FALSE, na = "")
  f
}

cli_csv <- function(args) {
  out <- tempfile(fileext = ".csv")
  status <- system2(attune_cli(), c(args, "-o", out), stdout = FALSE, stderr = FALSE)
  list(status = status, table = utils::read.csv(out, colClasses = c(notes = "character"), na.strings = ""))
}

test_that("theta() equals `attune score FILE --irt --decimals 9` on 200 rows with missing answers (1e-9)", {
  d <- irt_rows()
  f <- write_rows(d)
  want <- cli_csv(c("score", "-i", "ecr", "--response-scale", "1..5", "--irt", cal_id, "--decimals", "9", f))
  expect_identical(want$status, 1L)  # row 12 reported
  got <- theta(d, cal_id, data_scale = c(1, 5))
  expect_identical(names(got), c("id", "avoidance_theta", "avoidance_theta_se", "anxiety_theta", "anxiety_theta_se"))
  for (col in names(got)[-1]) expect_close(got[[col]], want$table[[col]], 1e-9, info = col)
  expect_true(all(is.na(unlist(got[12, -1]))))                              # the row with a 9
  expect_true(is.na(got$anxiety_theta[7]) && !is.na(got$avoidance_theta[7]))  # no anxiety answer: no theta
  expect_equal(sum(!is.na(got$anxiety_theta)), 198)

  map <- cli_csv(c("score", "-i", "ecr", "--response-scale", "1..5", "--irt", cal_id, "--irt-map", "--decimals", "9", f))
  got_map <- theta(d, cal_id, data_scale = c(1, 5), method = "MAP")
  for (col in names(got_map)[-1]) expect_close(got_map[[col]], map$table[[col]], 1e-9, info = col)
  expect_gt(max(abs(got_map$anxiety_theta - got$anxiety_theta), na.rm = TRUE), 1e-3)  # MAP is another estimate
})

test_that("score(irt = ) has the CLI's columns in its order, with its theta values", {
  d <- irt_rows()
  want <- cli_csv(c("score", "-i", "ecr", "--response-scale", "1..5", "--irt", cal_id, "--decimals", "9", write_rows(d)))
  got <- score(d, "ecr", data_scale = c(1, 5), irt = cal_id)
  expect_identical(names(got), names(want$table))
  for (col in c("avoidance_theta", "anxiety_theta_se")) expect_close(got[[col]], want$table[[col]], 1e-9, info = col)
  expect_identical(got$notes, want$table$notes)
})

test_that("theta() equals the NumPy reference EAP (tools/irt/grm_reference.py) on a few rows (1e-6)", {
  py <- reference_python()
  script <- source_file("tools", "irt", "grm_reference.py")
  cal_file <- source_file("instruments", "calibrations", paste0(cal_id, ".json"))
  d <- irt_rows()
  d$q1[3] <- NA
  d[5, paste0("q", setdiff(1:36, 2))] <- NA  # one answer only
  rows <- c(1, 2, 3, 5, 7, 50, 199)
  f <- write_rows(d[rows, ])
  code <- c(
    "import csv, json, sys", "import numpy as np",
    sprintf("sys.path.insert(0, %s)", shQuote(dirname(script))), "import grm_reference as ref",
    sprintf("cal = json.load(open(%s))", shQuote(cal_file)),
    sprintf("rows = list(csv.DictReader(open(%s)))", shQuote(f)),
    "for r in rows:",
    "    out = [r['id']]",
    "    for name in ('avoidance', 'anxiety'):",
    "        s = cal['scales'][name]",
    "        vals = [r[it['id']] for it in s['items']]",
    "        if all(v == '' for v in vals):",
    "            out += ['NA', 'NA']",
    "            continue",
    "        ref.REVERSED = [it['reversed'] for it in s['items']]",
    "        t, se = ref.eap([(it['a'], np.array(it['b'])) for it in s['items']], [np.nan if v == '' else float(v) for v in vals])",
    "        out += ['%.17g' % t, '%.17g' % se]",
    "    print(','.join(out))")
  pyfile <- tempfile(fileext = ".py")
  writeLines(code, pyfile)
  lines <- system2(py, pyfile, stdout = TRUE)
  want <- utils::read.csv(text = lines, header = FALSE, col.names = c("id", "avoidance_theta", "avoidance_theta_se",
                                                                     "anxiety_theta", "anxiety_theta_se"))
  got <- theta(d[rows, ], cal_id, data_scale = c(1, 5))
  expect_identical(got$id, want$id)
  for (col in names(want)[-1]) expect_close(got[[col]], want[[col]], 1e-6, info = col)
  expect_true(is.na(got$anxiety_theta[got$id == "p7"]))
})

test_that("theta() refuses what the CLI refuses, as R conditions with their fields", {
  d <- irt_rows()[1:3, ]
  e <- tryCatch(theta(d, cal_id), attune_error = function(e) e)  # 1..7 (the ECR's own scale) with a 1..5 calibration
  expect_s3_class(e, "attune_usage_error")
  expect_match(e$reason, "made on answers from 1 to 5, but these answers are on 1..7", fixed = TRUE)
  expect_match(e$expected, "calibration's response scale")
  e <- tryCatch(theta(d, cal_id, instrument = "ecr-r", columns = "q{n}", data_scale = c(1, 5)), attune_error = function(e) e)
  expect_s3_class(e, "attune_usage_error")
  expect_match(e$reason, "for instrument 'ecr', not 'ecr-r'", fixed = TRUE)
  expect_identical(e$file, cal_id)
  e <- tryCatch(theta(d, cal_id, data_scale = c(1, 5), method = "ML"), attune_error = function(e) e)
  expect_s3_class(e, "attune_usage_error")
  expect_match(e$expected, "EAP")
  e <- tryCatch(theta(d, "no-such-calibration", data_scale = c(1, 5)), attune_error = function(e) e)
  expect_s3_class(e, "attune_error")
  expect_identical(e$value, "no-such-calibration")
})

test_that("calibrate() equals the NumPy reference fit and `attune calibrate` on the simulated GRM data", {
  sim <- utils::read.csv(source_file("tests", "reference", "irt", "grm_sim.csv"))
  ins <- source_file("tests", "reference", "irt", "grm6.instrument.json")
  ref <- jsonlite::fromJSON(source_file("tests", "reference", "irt", "grm_reference.json"), simplifyVector = FALSE)
  # the reference's EM ran to 1e-7; at attune's default 1e-4 the parameters are 1e-4 away
  cal <- calibrate(sim, ins, tolerance = 1e-7, max_iterations = 5000)
  expect_s3_class(cal, "attune_calibration")
  it <- cal$items
  expect_identical(it$item, paste0("i", 1:6))
  expect_identical(it$reversed, unlist(ref$reversed))
  b <- as.matrix(it[, paste0("b", 1:4)])
  b_se <- as.matrix(it[, paste0("b", 1:4, "_se")])
  for (j in 1:6) {
    f <- ref$fitted[[j]]
    expect_lt(abs(it$a[j] - f$a), 1e-5)
    expect_lt(max(abs(b[j, ] - unlist(f$b))), 1e-5)
    expect_lt(abs(it$a_se[j] - f$a_se), 1e-5)
    expect_lt(max(abs(b_se[j, ] - unlist(f$b_se))), 1e-5)
  }
  expect_lt(abs(cal$scales$log_likelihood - ref$log_likelihood), 1e-4)
  # the same engine as the CLI: the same numbers
  out <- tempfile(fileext = ".json")
  system2(attune_cli(), c("calibrate", "-i", ins, "--tolerance", "1e-7", "--max-iterations", "5000", source_file("tests", "reference", "irt", "grm_sim.csv"), "-o", out),
          stdout = FALSE, stderr = FALSE)
  cli <- jsonlite::fromJSON(out, simplifyVector = FALSE)$scales[[1]]
  expect_identical(cal$scales$iterations, as.numeric(cli$iterations))
  expect_lt(max(abs(it$a - sapply(cli$items, `[[`, "a"))), 1e-12)
  expect_lt(max(abs(b - t(sapply(cli$items, function(x) unlist(x$b))))), 1e-12)
  # and theta() takes the result, as a file or as it is
  f <- tempfile(fileext = ".json")
  cal2 <- calibrate(sim, ins, tolerance = 1e-7, max_iterations = 5000, file = f)
  p <- ref$patterns
  answers <- as.data.frame(t(sapply(p, function(x) sapply(x$answers, function(v) if (is.null(v)) NA_real_ else v))))
  names(answers) <- paste0("i", 1:6)
  none <- apply(is.na(answers), 1, all)
  want <- t(apply(answers, 1, eap_by_hand, items = cal2$items))
  want[none, ] <- NA
  for (c in list(cal2, f)) {
    th <- theta(answers, c, instrument = ins)
    expect_identical(names(th), c("s_theta", "s_theta_se"))
    expect_close(th$s_theta, want[, 1], 1e-9)
    expect_close(th$s_theta_se, want[, 2], 1e-9)
  }
})

test_that("real ECR data (51,491 rows, 0 = not answered): theta() equals `attune score --irt` on every row (1e-9)", {
  d <- real_ecr()
  path <- file.path(Sys.getenv("ATTUNE_TEST_SHARED_DATA", file.path(Sys.getenv("ATTUNE_SOURCE_DIR"), "..", "shared", "data")),
                    "ecr-openpsychometrics", "data.csv")
  want <- cli_csv(c("score", "-i", "ecr", "--response-scale", "1..5", "--missing", "0", "--map", "'Q{n}'", "--irt", cal_id,
                    "--decimals", "9", path))
  got <- theta(d, cal_id, columns = "Q{n}", missing = 0, data_scale = c(1, 5))
  expect_equal(nrow(got), 51491)
  for (col in names(got)) expect_close(got[[col]], want$table[[col]], 1e-9, info = col)
  expect_gt(sum(!is.na(got$anxiety_theta)), 51000)
})

test_that("read_calibration(): the shipped file's parameters as data frames, in its order", {
  raw <- jsonlite::fromJSON(source_file("instruments", "calibrations", paste0(cal_id, ".json")), simplifyVector = FALSE)
  cal <- read_calibration(cal_id)
  expect_identical(cal$scales$scale, names(raw$scales))
  expect_identical(cal$response_scale, c(1L, 5L))
  for (sc in names(raw$scales)) {
    items <- raw$scales[[sc]]$items
    got <- cal$items[cal$items$scale == sc, ]
    expect_identical(got$item, vapply(items, `[[`, "", "id"))
    expect_identical(got$reversed, vapply(items, `[[`, TRUE, "reversed"))
    expect_lt(max(abs(got$a - vapply(items, `[[`, 0, "a"))), 1e-15)
    expect_lt(max(abs(as.matrix(got[, paste0("b", 1:4)]) - t(sapply(items, function(x) unlist(x$b))))), 1e-15)
    expect_lt(max(abs(got$s_x2 - vapply(items, `[[`, 0, "s_x2"))), 1e-9)
    expect_equal(cal$scales$marginal_reliability[cal$scales$scale == sc], raw$scales[[sc]]$marginal_reliability, tolerance = 1e-15)
  }
  expect_output(print(cal), "calibration of ecr on answers 1..5")
})
