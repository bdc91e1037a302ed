# Reliable change index reference (Jacobson & Truax, 1991) for tests/test_change.cpp.
#
# Data: the pre- and post-treatment Dyadic Adjustment Scale scores of the 30 couples in Table 2 of
# Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to defining
# meaningful change in psychotherapy research. Journal of Consulting and Clinical Psychology, 59,
# 12-19. Transcribed from the paper's table by the JTRCI package (github.com/AWKruijt/JT-RCI,
# data/"J&T 1991 table2 DAS data.csv"; the mindmetrics package's jt.data has the same 30 pairs), whose
# example uses reliability .84 with these data; we use the same. The .84 is NOT verified against the
# paper: the DAS reliability the paper itself used could not be found in any source searched (see
# docs/change.md, "Checked against"). As in Jacobson & Truax, the SD is the pre-treatment SD of the sample:
#   SE = s1 * sqrt(1 - rxx), S_diff = sqrt(2 * SE^2), RC = (x2 - x1) / S_diff, reliable when |RC| > 1.96.
# Written from that definition with base R only. Run: Rscript tools/r/reference_rci.R
# Output: tests/reference/rci_jt1991_das.csv (rerun it and `git status` stays clean).
pre  <- c(90.5, 74, 97, 73.5, 61, 66.5, 68.5, 86.5, 88.5, 68.5, 98, 80.5, 89.5, 91.5, 83.5,
          60.5, 83, 88, 98.5, 78.5, 99.5, 79.5, 84.5, 92.5, 93, 85, 64, 61, 80, 82.5)
post <- c(97, 124, 97.5, 88, 96.5, 62.5, 112.5, 103.5, 90, 82.5, 105, 99.5, 112.5, 101, 99.5,
          79.5, 88, 100.5, 119, 116, 116, 129, 113, 118, 92, 114, 68, 52, 60.5, 104.5)
rxx <- 0.84
s1 <- sd(pre)
se <- s1 * sqrt(1 - rxx)
sdiff <- sqrt(2 * se^2)
rc <- (post - pre) / sdiff
out <- data.frame(couple = seq_along(pre), pre = pre, post = post, sd_pre = s1, rxx = rxx,
                  s_diff = sdiff, rc = rc, mdc95 = 1.96 * sdiff, reliable = as.integer(abs(rc) > 1.96))
dir <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "..", "..", "tests", "reference")
num <- function(x) sprintf("%.17g", x)
out[] <- lapply(out, function(col) if (is.double(col)) num(col) else col)
write.csv(out, file.path(dir, "rci_jt1991_das.csv"), row.names = FALSE, quote = FALSE)
