list_instruments <- function() .core(attune_r_list_instruments)

instrument_info <- function(instrument, data_scale = NULL) {
  .core(attune_r_instrument, .instrument_arg(instrument), .data_scale(data_scale))
}

.instrument_arg <- function(instrument) {
  if (!is.character(instrument) || length(instrument) != 1 || is.na(instrument))
    .usage_error("instrument must be one built-in id or the path of an instrument file", "e.g. \"ecr-r\"")
  instrument
}

# The data column of each item, in item order: declared, never guessed (as the CLI's --map).
.item_columns <- function(info, data, columns) {
  ids <- info$item_ids
  if (is.null(columns)) {
    wanted <- ids
  } else if (is.character(columns) && length(columns) == 1 && is.null(names(columns))) {
    if (!grepl("{", columns, fixed = TRUE))
      .usage_error(paste0("column pattern '", columns, "' has no {n} or {id}"), "e.g. 'Q{n}' or '{id}'")
    wanted <- vapply(seq_along(ids), function(i)
      gsub("{id}", ids[i], gsub("{n}", info$item_positions[i], columns, fixed = TRUE), fixed = TRUE), "")
  } else if (!is.null(names(columns))) {
    unknown <- setdiff(names(columns), ids)
    if (length(unknown)) .usage_error(paste0("no item '", unknown[1], "' in ", info$id), "item ids of the instrument", unknown[1])
    absent <- setdiff(ids, names(columns))
    if (length(absent)) .usage_error(paste0("no column given for item '", absent[1], "'"), "one column for every item", absent[1])
    wanted <- unname(unlist(columns[ids]))
  } else {
    wanted <- as.character(columns)
  }
  if (length(wanted) != length(ids))
    .usage_error(paste0(length(wanted), " columns for ", length(ids), " items"), "one column per item, in item order")
  absent <- setdiff(wanted, names(data))
  if (length(absent)) .usage_error(paste0("no column '", absent[1], "' in the data"), "the columns named by `columns`")
  wanted
}

# A rows x items numeric matrix; declared missing codes become NA. Text that is not a number makes
# its row invalid (Inf is never a valid answer), and the cell is remembered for the notes.
.answers <- function(data, info, columns, missing) {
  if (is.matrix(data)) data <- as.data.frame(data)
  if (!is.data.frame(data)) .usage_error("data must be a data.frame or a matrix", "one row per person")
  cols <- .item_columns(info, data, columns)
  x <- matrix(NA_real_, nrow(data), length(cols))
  text <- rep(NA_character_, nrow(data))
  for (j in seq_along(cols)) {
    v <- data[[cols[j]]]
    if (is.factor(v)) v <- as.character(v)
    if (is.character(v)) {
      v[trimws(v) == ""] <- NA
      num <- suppressWarnings(as.numeric(v))
      bad <- !is.na(v) & is.na(num) & !(v %in% as.character(missing))
      first <- bad & is.na(text)
      text[first] <- sprintf("error: not a number in column '%s', value '%s'", cols[j], v[first])
      num[bad] <- Inf
      v <- num
    } else if (is.logical(v) && all(is.na(v))) {
      v <- as.numeric(v)
    } else if (!is.numeric(v)) {
      .usage_error(paste0("column '", cols[j], "' is not numeric"), "numbers, or text holding numbers")
    }
    v <- as.numeric(v)
    if (length(missing)) v[v %in% missing] <- NA
    x[, j] <- v
  }
  list(matrix = x, columns = cols, text = text)
}

.dimensions <- c("secure", "anxious", "avoidant", "fearful")

.category_text <- function(mask) {
  out <- rep(NA_character_, length(mask))
  for (m in unique(mask[mask > 0])) {
    out[mask == m] <- paste(.dimensions[bitwAnd(m, 2^(0:3)) > 0], collapse = "|")
  }
  out
}

# The CLI's notes column: only rows that need one (an invalid answer, a scale with too few answers).
.notes <- function(res, info, x) {
  n <- length(res$bad_item)
  notes <- rep(NA_character_, n)
  short <- is.na(res$raw) & (res$bad_item < 0)
  for (r in which(rowSums(short) > 0)) {
    s <- which(short[r, ])
    unit <- ifelse(info$derived[s], " scales", " answered")
    notes[r] <- paste(sprintf("%s: %d of %d%s, minimum %d", info$scale_ids[s], res$answered[r, s],
                              info$members[s], unit, info$min_answered[s]), collapse = "; ")
  }
  for (r in which(res$bad_item >= 0)) {
    notes[r] <- if (!is.na(x$text[r])) x$text[r] else {
      t <- sprintf("error: %s in column '%s'", res$reason[r], x$columns[res$bad_item[r] + 1])
      if (!is.na(res$value[r]) && nzchar(res$value[r])) t <- sprintf("%s, value '%s'", t, res$value[r])
      t
    }
  }
  notes
}

.keep_columns <- function(data, keep) {
  if (is.null(keep)) return(utils::head(intersect(c("id", "ID"), names(data)), 1))
  absent <- setdiff(keep, names(data))
  if (length(absent)) .usage_error(paste0("no column '", absent[1], "' to keep"), "columns of the data")
  keep
}

# The kept input columns, first in the output.
.kept <- function(data, keep) {
  out <- list()
  for (k in .keep_columns(data, keep)) out[[k]] <- data[[k]]
  out
}

# The output columns as a data frame with the input's rows; the kernel's NaN means "no score": R's
# NA, as the CLI's empty field.
.as_frame <- function(out, data) {
  out <- lapply(out, function(v) { if (is.double(v)) v[is.nan(v)] <- NA_real_; v })
  df <- as.data.frame(out, stringsAsFactors = FALSE, optional = TRUE)
  rownames(df) <- rownames(data)
  df
}

score <- function(data, instrument, columns = NULL, missing = NULL, data_scale = NULL, keep = NULL,
                  quality = FALSE, irt = NULL, irt_method = c("EAP", "MAP"), norms = "instrument",
                  norms_alpha = FALSE) {
  instrument <- .instrument_arg(instrument)
  ds <- .data_scale(data_scale)
  info <- .core(attune_r_instrument, instrument, ds)
  x <- .answers(data, info, columns, missing)
  res <- .core(attune_r_score, instrument, ds, x$matrix, .norms_arg(norms, norms_alpha))
  out <- .kept(data, keep)
  for (s in seq_along(info$scale_ids)) {
    sid <- info$scale_ids[s]
    out[[sid]] <- res$raw[, s]
    out[[paste0(sid, "_z")]] <- res$z[, s]
    out[[paste0(sid, "_pct")]] <- res$percentile[, s]
  }
  for (c in seq_along(.dimensions)) out[[.dimensions[c]]] <- res$dimensions[, c]
  out$category <- .category_text(res$category)
  out$confidence <- res$confidence
  out$method <- rep(info$method, length(res$confidence))
  if (!is.null(irt)) out <- c(out, .theta_columns(instrument, ds, x, irt, irt_method))
  if (isTRUE(quality)) out <- c(out, .quality_columns(instrument, ds, x, info))
  out$notes <- .notes(res, info, x)
  .as_frame(out, data)
}

reliability <- function(data, instrument, columns = NULL, missing = NULL, data_scale = NULL,
                        use = c("pairwise", "listwise"), ci_level = 0.95) {
  use <- match.arg(use)
  instrument <- .instrument_arg(instrument)
  ds <- .data_scale(data_scale)
  info <- .core(attune_r_instrument, instrument, ds)
  x <- .answers(data, info, columns, missing)
  res <- .core(attune_r_reliability, instrument, ds, x$matrix, use, as.numeric(ci_level))
  structure(res, class = "attune_reliability")
}

print.attune_reliability <- function(x, ...) {
  print(x$scales[, c("scale", "k", "n", "alpha", "std_alpha", "lambda6", "average_r", "omega_total")], ...)
  for (w in x$warnings) cat("note:", w, "\n")
  invisible(x)
}

plan <- function(answers, instrument, columns = NULL, missing = NULL, data_scale = NULL, stage = NULL,
                 parent = NA, partnered = NA, start = NULL) {
  instrument <- .instrument_arg(instrument)
  ds <- .data_scale(data_scale)
  info <- .core(attune_r_instrument, instrument, ds)
  if (!is.data.frame(answers)) answers <- as.data.frame(as.list(answers), check.names = FALSE)
  if (nrow(answers) != 1) .usage_error(paste0(nrow(answers), " rows given"), "the answers of one person")
  x <- .answers(answers, info, columns, missing)
  if (!is.na(x$text)) .usage_error(sub("^error: ", "", x$text), "numbers")
  if (!is.null(start)) start <- format(as.Date(start), "%Y-%m-%d")
  json <- .core(attune_r_plan, instrument, ds, as.numeric(x$matrix[1, ]), if (is.null(stage)) "" else stage,
                as.logical(parent), as.logical(partnered), if (is.null(start)) "" else start)
  jsonlite::fromJSON(json, simplifyVector = FALSE)
}

# Invalid answer cells per row (outside the data's scale, not whole, text that is not a number:
# Inf here), for the out_of_range index.
.invalid_cells <- function(x, info, data_scale) {
  r <- if (length(data_scale) == 2) data_scale else info$response_scale
  bad <- !is.na(x) & (is.infinite(x) | x != round(x) | x < r[1] | x > r[2])
  as.integer(rowSums(bad))
}

quality <- function(data, instrument, columns = NULL, missing = NULL, data_scale = NULL, keep = NULL) {
  instrument <- .instrument_arg(instrument)
  ds <- .data_scale(data_scale)
  info <- .core(attune_r_instrument, instrument, ds)
  x <- .answers(data, info, columns, missing)
  .as_frame(c(.kept(data, keep), .quality_columns(instrument, ds, x, info)), data)
}

.quality_columns <- function(instrument, ds, x, info) {
  q <- .core(attune_r_quality, instrument, ds, x$matrix, .invalid_cells(x$matrix, info, ds))
  q$quality_flags[q$quality_flags == ""] <- NA_character_  # no flag: the CLI's empty field
  q
}
