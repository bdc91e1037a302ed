// Checks of BatchOptions made once per file, before the first byte is read.
#include <attune/batch.hpp>
#include <attune/error.hpp>

#include <string>

namespace attune {

void check_batch_options(const BatchOptions& o) {
  const char d = o.delimiter;
  if (d == '"' || d == '\r' || d == '\n' || (d >= '0' && d <= '9')) {
    Location where;
    where.value = std::string(1, d);
    throw UsageError("the delimiter cannot be a quote, a line end or a digit", where, "e.g. ',' ';' '|' or tab");
  }
  if (o.threads > kMaxBatchThreads)
    throw UsageError(std::to_string(o.threads) + " worker threads are more than " + std::to_string(kMaxBatchThreads), {},
                     "at most " + std::to_string(kMaxBatchThreads) + " threads (0: one per core)");
}

}  // namespace attune
