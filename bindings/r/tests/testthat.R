library(testthat)
library(attune)
test_check("attune")
