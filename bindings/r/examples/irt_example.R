# Theta per person from the shipped ECR calibration (IRT, docs/irt.md), beside the mean scores, and a
# calibration of your own. Theta is a position among the calibration's volunteers, not a diagnosis.
library(attune)
set.seed(3)
trait <- matrix(rnorm(400), ncol = 2)  # avoidance (odd items), anxiety (even items)
reversed <- c(3, 15, 19, 22, 25, 27, 29, 31, 33, 35)  # the ECR's reverse-keyed items
answer <- function(i) {
  keyed <- if (i %in% reversed) -1 else 1
  pmin(5, pmax(1, round(3 + 1.2 * keyed * trait[, 2 - i %% 2] + rnorm(200, sd = 0.8))))
}
d <- as.data.frame(sapply(1:36, answer))
names(d) <- paste0("Q", 1:36)
d$Q2[1:20] <- NA  # missing answers contribute nothing to theta
d$id <- sprintf("P%03d", 1:200)

# The shipped calibration was made on answers from 1 to 5: say so (1..7 answers are refused).
th <- theta(d, "ecr-openpsychometrics-1to5", columns = "Q{n}", data_scale = c(1, 5))
print(head(th, 3))
# The same columns inside score(), with percentiles against this sample's own norms.
s <- score(d, "ecr", columns = "Q{n}", data_scale = c(1, 5), irt = "ecr-openpsychometrics-1to5", norms = "sample")
print(head(s[, c("id", "anxiety", "anxiety_pct", "anxiety_theta", "anxiety_theta_se")], 3))
print(cor(s$anxiety, s$anxiety_theta))
# A calibration of these answers (as attune calibrate), its parameters as data frames.
cal <- calibrate(d, "ecr", columns = "Q{n}", data_scale = c(1, 5))
print(cal$scales[, c("scale", "iterations", "converged", "marginal_reliability")])
print(head(theta(d, cal, columns = "Q{n}", data_scale = c(1, 5)), 3))
