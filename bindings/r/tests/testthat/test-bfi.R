test_that("psych's bfi through an instrument file: scores equal scoreItems, reliability equals alpha", {
  skip_if_not_installed("psych")
  bfi <- psych::bfi
  items <- names(bfi)[1:25]                     # A1..A5, C1..C5, E1..E5, N1..N5, O1..O5: the file's item order
  s <- score(bfi, test_path("bfi-instrument.json"), columns = items)
  ref <- psych::scoreItems(psych::bfi.keys, bfi[, items], impute = "none", totals = FALSE, min = 1, max = 6)
  answered <- sapply(psych::bfi.keys, function(k) rowSums(!is.na(bfi[, sub("-", "", k, fixed = TRUE)])))
  for (sc in names(psych::bfi.keys)) {
    ok <- answered[, sc] > 0  # scoreItems' value for a row with no answer is not a mean
    expect_equal(s[[sc]][ok], unname(ref$scores[ok, sc]), tolerance = 1e-12)
    expect_true(all(is.na(s[[sc]][!ok])))
  }
  rel <- reliability(bfi, test_path("bfi-instrument.json"), columns = items)
  for (sc in names(psych::bfi.keys)) {
    keys <- psych::bfi.keys[[sc]]
    x <- bfi[, sub("-", "", keys, fixed = TRUE)]
    for (j in which(startsWith(keys, "-"))) x[[j]] <- 7 - x[[j]]  # reversed on 1..6
    a <- psych::alpha(x, check.keys = FALSE, warnings = FALSE)
    row <- rel$scales[rel$scales$scale == sc, ]
    expect_equal(row$alpha, a$total$raw_alpha, tolerance = 1e-9)
    expect_equal(row$std_alpha, a$total$std.alpha, tolerance = 1e-9)
    expect_equal(row$average_r, a$total$average_r, tolerance = 1e-9)
    it <- rel$items[rel$items$scale == sc, ]
    expect_equal(it$r_drop, unname(a$item.stats$r.drop), tolerance = 1e-9)
    expect_equal(it$alpha_if_deleted, unname(a$alpha.drop$raw_alpha), tolerance = 1e-9)
  }
})
