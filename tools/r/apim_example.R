# A trivial actor-partner interdependence model (APIM) on attune's pairwise dyad export, to show the
# file is read as it is, without reshaping (attune couple --export pairwise; docs/change.md).
#
# Usage: Rscript tools/r/apim_example.R EXPORT.csv [OUTCOME] [PREDICTOR]
#   default: anxiety predicted by one's own avoidance (actor effect) and the partner's (partner effect).
# Prints the actor and partner coefficients of an ordinary regression (lm), and, when the recommended
# package nlme is installed, of a GLS model with compound symmetry within couples, the usual APIM for
# indistinguishable dyads (Kenny, Kashy & Cook, 2006). lavaan is not needed.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript apim_example.R EXPORT.csv [OUTCOME] [PREDICTOR]")
outcome <- if (length(args) >= 2) args[2] else "anxiety"
predictor <- if (length(args) >= 3) args[3] else "avoidance"
d <- read.csv(args[1], stringsAsFactors = FALSE)
need <- c("couple", "person", paste0(outcome, "_actor"), paste0(predictor, c("_actor", "_partner")))
missing <- setdiff(need, names(d))
if (length(missing)) stop("not a pairwise dyad export: missing ", paste(missing, collapse = ", "))
f <- as.formula(sprintf("%s_actor ~ %s_actor + %s_partner", outcome, predictor, predictor))
fit <- lm(f, data = d)
co <- coef(fit)
cat(sprintf("lm actor %.9f partner %.9f\n", co[[2]], co[[3]]))
if (requireNamespace("nlme", quietly = TRUE)) {
  # An exact fit (as in attune's own test data) leaves no residual correlation to estimate: said, not fatal.
  g <- tryCatch(nlme::gls(f, data = d, correlation = nlme::corCompSymm(form = ~ 1 | couple), na.action = na.omit),
                error = function(e) { cat("gls not fitted:", conditionMessage(e), "\n"); NULL })
  if (!is.null(g)) {
    cg <- coef(g)
    cat(sprintf("gls actor %.9f partner %.9f\n", cg[[2]], cg[[3]]))
  }
}
