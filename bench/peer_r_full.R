# The research job in R, as the issue names it: data.table::fread, psych::scoreItems (impute = "none")
# and psych::alpha per scale (pairwise-complete, psych's default), then fwrite of the scores.
# R has no response-quality flags in psych; those are left out here, so R's job is the lighter one.
# Usage: Rscript bench/peer_r_full.R DATA.csv OUT.csv
suppressPackageStartupMessages({ library(data.table); library(psych) })
args <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
d <- fread(args[1])
items <- as.data.frame(d[, paste0("Q", 1:36), with = FALSE])
t_read <- Sys.time()
rev <- c(9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36)
key_of <- function(idx) ifelse(idx %in% rev, paste0("-Q", idx), paste0("Q", idx))
keys <- list(anxiety = key_of(1:18), avoidance = key_of(19:36))
s <- scoreItems(keys, items, impute = "none", min = 1, max = 7)
t_score <- Sys.time()
a_anx <- alpha(items[, paste0("Q", 1:18)], keys = paste0("Q", intersect(1:18, rev)), warnings = FALSE)
a_avo <- alpha(items[, paste0("Q", 19:36)], keys = paste0("Q", intersect(19:36, rev)), warnings = FALSE)
t_alpha <- Sys.time()
fwrite(data.table(id = d$id, s$scores), args[2])
t_write <- Sys.time()
secs <- function(a, b) as.numeric(b - a, units = "secs")
cat(sprintf("R read %.3f s, scoreItems %.3f s, alpha %.3f s, write %.3f s, total %.3f s (alpha %.4f / %.4f)\n",
            secs(t0, t_read), secs(t_read, t_score), secs(t_score, t_alpha), secs(t_alpha, t_write), secs(t0, t_write),
            a_anx$total$raw_alpha, a_avo$total$raw_alpha))
