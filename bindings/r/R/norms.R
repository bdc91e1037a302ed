# The norms of score(norms = ), as `attune score --norms` (docs/formulas.md): the <scale>_z and
# <scale>_pct columns, and the centre and unit of the profile's plane.

.norm_keywords <- c("instrument", "midpoint", "sample")

.norms_arg <- function(norms, norms_alpha = FALSE) {
  spec <- function(source, json = "", label = source)
    list(source = source, json = json, label = label, prefer_alpha = isTRUE(norms_alpha))
  if (is.null(norms)) return(spec("instrument"))
  if (is.data.frame(norms)) return(spec("user", .norms_json(.norms_from_frame(norms)), "the norms data frame"))
  if (is.list(norms)) return(spec("user", .norms_json(norms), "the norms list"))
  if (!is.character(norms) || length(norms) != 1 || is.na(norms))
    .usage_error("norms must be \"instrument\", \"midpoint\", \"sample\", a norms file, or a list of scales",
                 "e.g. norms = list(anxiety = list(mean = 3.1, sd = 1))")
  if (norms %in% .norm_keywords) return(spec(norms, label = if (norms == "sample") "this data frame" else norms))
  if (!file.exists(norms) || dir.exists(norms))
    .usage_error(paste0("no norms file '", norms, "'"), "\"instrument\", \"midpoint\", \"sample\" or a norms JSON file")
  spec("user", readChar(norms, file.info(norms)$size, useBytes = TRUE), norms)
}

# A data frame with a column scale and the columns mean, sd and (optional) n, alpha: one scale a row.
.norms_from_frame <- function(df) {
  if (!"scale" %in% names(df)) .usage_error("the norms data frame has no column 'scale'", "columns scale, mean, sd (n, alpha optional)")
  fields <- intersect(c("mean", "sd", "n", "alpha"), names(df))
  out <- list()
  for (r in seq_len(nrow(df))) {
    v <- lapply(fields, function(f) df[[f]][r])
    names(v) <- fields
    out[[as.character(df$scale[r])]] <- v[!vapply(v, is.na, TRUE)]
  }
  out
}

# Every number with all its digits: the core reads the same values R holds.
.norms_json <- function(norms) as.character(jsonlite::toJSON(norms, auto_unbox = TRUE, digits = NA))
