# The bridge to the compiled core: the data folders of the installed package, and attune errors
# as R conditions.

.onLoad <- function(libname, pkgname) {
  # The core looks in these variables first (folders split on ":"); the package's own copies go
  # after any folders the user already set there, which still win.
  for (v in list(c("ATTUNE_INSTRUMENT_PATH", "instruments"), c("ATTUNE_GUIDANCE_PATH", "guidance"))) {
    dir <- system.file("extdata", v[2], package = pkgname, lib.loc = libname)
    if (!nzchar(dir)) next
    parts <- strsplit(Sys.getenv(v[1]), ":", fixed = TRUE)[[1]]
    parts <- parts[nzchar(parts)]
    if (!dir %in% parts) do.call(Sys.setenv, stats::setNames(list(paste(c(parts, dir), collapse = ":")), v[1]))
  }
}

# Calls a registered routine; an attune::Error comes back as a list of its fields and is signalled
# here as a condition of classes attune_<kind>_error, attune_error, error, condition.
.core <- function(routine, ...) {
  res <- .Call(routine, ...)
  if (inherits(res, "attune_core_error")) .signal(res, sys.call(-1))
  res
}

.signal <- function(fields, call = NULL) {
  f <- unclass(fields)
  # full_message is the core's what(): the location, the reason and what was expected.
  cond <- c(list(message = f$full_message, call = call, reason = f$message), f[setdiff(names(f), c("message", "full_message"))])
  class(cond) <- c(paste0("attune_", f$kind, "_error"), "attune_error", "error", "condition")
  stop(cond)
}

.usage_error <- function(message, expected = "", item = "") {
  full <- if (nzchar(expected)) paste0(message, " (expected ", expected, ")") else message
  .signal(list(kind = "usage", code = 1L, message = message, full_message = full, expected = expected,
               file = "", row = -1, line = -1, column = -1, column_name = "", item = item, value = "",
               json_path = ""), sys.call(-1))
}

.data_scale <- function(data_scale) {
  if (is.null(data_scale)) return(integer(0))
  if (length(data_scale) != 2 || anyNA(data_scale) || any(data_scale != round(data_scale)))
    .usage_error("data_scale must be two whole numbers", "c(min, max), e.g. c(1, 5)")
  as.integer(data_scale)
}
