# Item response theory (docs/irt.md): each row's theta on a calibration's scales, and calibrations
# made from a data frame, both through the C++ core that `attune score FILE --irt` and
# `attune calibrate` use.

.calibration_arg <- function(calibration) {
  if (inherits(calibration, "attune_calibration")) return(list(text = calibration$json, json = TRUE))
  if (!is.character(calibration) || length(calibration) != 1 || is.na(calibration))
    .usage_error("calibration must be a shipped id, the path of a calibration file, or what calibrate() returned",
                 "e.g. \"ecr-openpsychometrics-1to5\"")
  list(text = calibration, json = FALSE)
}

.method_arg <- function(method) {
  if (identical(method, c("EAP", "MAP"))) method <- "EAP"  # the default
  if (!is.character(method) || length(method) != 1 || is.na(method) || !toupper(method) %in% c("EAP", "MAP"))
    .usage_error(paste0("method '", paste(method, collapse = " "), "' is unknown"),
                 "\"EAP\" (the posterior mean) or \"MAP\" (the posterior mode)")
  toupper(method)
}

# <scale>_theta and <scale>_theta_se per calibrated scale, in the calibration's scale order (the CLI's columns).
.theta_columns <- function(instrument, ds, x, calibration, method) {
  cal <- .calibration_arg(calibration)
  res <- .core(attune_r_theta, instrument, ds, x$matrix, cal$text, cal$json, .method_arg(method))
  out <- list()
  for (s in seq_along(res$scales)) {
    out[[paste0(res$scales[s], "_theta")]] <- res$theta[, s]
    out[[paste0(res$scales[s], "_theta_se")]] <- res$se[, s]
  }
  out
}

theta <- function(data, calibration = "ecr-openpsychometrics-1to5", instrument = NULL, columns = NULL,
                  missing = NULL, data_scale = NULL, keep = NULL, method = c("EAP", "MAP")) {
  cal <- .calibration_arg(calibration)
  if (is.null(instrument)) instrument <- .core(attune_r_calibration_info, cal$text, cal$json)$instrument
  instrument <- .instrument_arg(instrument)
  ds <- .data_scale(data_scale)
  info <- .core(attune_r_instrument, instrument, ds)
  x <- .answers(data, info, columns, missing)
  .as_frame(c(.kept(data, keep), .theta_columns(instrument, ds, x, calibration, method)), data)
}

calibrate <- function(data, instrument, columns = NULL, missing = NULL, data_scale = NULL, complete_only = FALSE,
                      max_iterations = 500, tolerance = 1e-4, description = "", source = "", file = NULL) {
  instrument <- .instrument_arg(instrument)
  ds <- .data_scale(data_scale)
  info <- .core(attune_r_instrument, instrument, ds)
  x <- .answers(data, info, columns, missing)
  opt <- list(date = format(Sys.time(), "%Y-%m-%dT%H:%M:%SZ", tz = "UTC"), complete_only = isTRUE(complete_only), max_iterations = as.integer(max_iterations),
              tolerance = as.numeric(tolerance), description = as.character(description), source = as.character(source))
  res <- structure(.core(attune_r_calibrate, instrument, ds, x$matrix, opt), class = "attune_calibration")
  if (!is.null(file)) writeLines(res$json, file, sep = "", useBytes = TRUE)
  res
}

read_calibration <- function(calibration = "ecr-openpsychometrics-1to5") {
  cal <- .calibration_arg(calibration)
  structure(.core(attune_r_calibration_info, cal$text, cal$json), class = "attune_calibration")
}

print.attune_calibration <- function(x, ...) {
  cat("attune calibration of", x$instrument, "on answers", paste(x$response_scale, collapse = ".."), "\n")
  print(x$scales[, c("scale", "rows_used", "iterations", "converged", "marginal_reliability")], ...)
  print(x$items[, c("scale", "item", "reversed", "a", grep("^b[0-9]+$", names(x$items), value = TRUE))], ...)
  invisible(x)
}
