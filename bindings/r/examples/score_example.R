# Scores a small data frame with attune from R: scale scores, the profile, and reliability.
# Scores describe tendencies on a continuum; they are not a diagnosis.
library(attune)
set.seed(1)
answers <- as.data.frame(matrix(sample(1:7, 36 * 50, replace = TRUE), ncol = 36,
                                dimnames = list(NULL, paste0("Q", 1:36))))
answers$id <- sprintf("P%02d", 1:50)
answers$Q5[3] <- 9  # out of range: that row gets no scores and a note saying why
scores <- score(answers, "ecr-r", columns = "Q{n}")
print(head(scores[, c("id", "anxiety", "avoidance", "category", "notes")], 4))
print(reliability(answers, "ecr-r", columns = "Q{n}"))
