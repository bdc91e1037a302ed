# quality_indices.R -- the per-row indices both quality reference scripts need, written once
# (sourced by reference_quality.R and reference_even_odd.R). X: rows x items, raw answers in the
# published item order, NA = not answered.

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.15g", x))

# Longest run of identical answers; a missing answer ends a run (-1 marks it for rle).
longstring_of <- function(X) apply(X, 1, function(x) {
  r <- rle(ifelse(is.na(x), -1, x))
  if (any(r$values != -1)) max(r$lengths[r$values != -1]) else 0
})

# sd() of the answered items; NA with fewer than 2.
irv_of <- function(X) apply(X, 1, function(x) { x <- x[!is.na(x)]; if (length(x) < 2) NA else sd(x) })
