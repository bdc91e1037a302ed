// libFuzzer target: the CSV reader and batch scorer (attune::score_csv) on arbitrary bytes.
// The first byte picks the options, so one corpus covers both mappings, both output formats, both
// error policies, tiny chunks (records split across chunk boundaries) and a tiny record limit.
// Invariants checked on every input that does not throw attune::Error:
//   rows in = rows scored + rows reported; one error callback per reported row;
//   JSON Lines output is one valid JSON object (valid UTF-8) per input row.
#include "fuzz_common.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include "../../src/batch/tuning.hpp"

namespace {

struct Plans {
  attune::ScoringPlan ecr_r, rq;
};

const Plans& plans() {
  static const Plans p = [] {
    attune_fuzz::use_source_instruments();
    return Plans{attune::ScoringPlan::compile(attune::load_instrument("ecr-r")),
                 attune::ScoringPlan::compile(attune::load_instrument("rq"))};
  }();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::string csv(reinterpret_cast<const char*>(data + 1), size - 1);

  const bool use_rq = mode & 1;
  const attune::ScoringPlan& plan = use_rq ? plans().rq : plans().ecr_r;
  attune::BatchOptions o;
  if (!use_rq) o.mapping = attune::ColumnMapping::parse("Q{n}");  // rq: columns named by item id
  o.format = (mode & 2) ? attune::OutputFormat::jsonl : attune::OutputFormat::csv;
  o.on_error = (mode & 4) ? attune::ErrorPolicy::stop : attune::ErrorPolicy::report;
  if (mode & 8) attune::batch::set_chunk_bytes(o, 7);
  if (mode & 16) o.max_record_bytes = 64;
  if (mode & 32) o.missing_codes = {"0", "NA"};
  o.row_numbers = mode & 64;
  o.threads = (mode & 128) ? 2 : 1;

  // fmemopen rejects a zero-length buffer; an empty file is tested through a one-byte buffer read
  // to its end first.
  std::FILE* in = fmemopen(const_cast<char*>(csv.empty() ? " " : csv.data()), csv.empty() ? 1 : csv.size(), "r");
  if (!in) attune_fuzz::fail("fmemopen");
  if (csv.empty()) std::fgetc(in);
  char* out_buf = nullptr;
  std::size_t out_size = 0;
  std::FILE* out = open_memstream(&out_buf, &out_size);
  if (!out) attune_fuzz::fail("open_memstream");

  std::uint64_t callbacks = 0;
  bool ok = false;
  attune::BatchSummary s;
  try {
    s = attune::score_csv(plan, in, "fuzz.csv", out, o, [&](const attune::RowError&) { ++callbacks; });
    ok = true;
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
    // expected for a bad file or, with ErrorPolicy::stop, a bad row
  }
  std::fclose(in);
  std::fclose(out);
  const std::string text(out_buf ? out_buf : "", out_size);
  std::free(out_buf);
  if (!ok) return 0;

  if (s.rows_in != s.rows_scored + s.rows_reported) attune_fuzz::fail("rows in != scored + reported");
  if (callbacks != s.rows_reported) attune_fuzz::fail("error callbacks != rows reported");
  if (o.format == attune::OutputFormat::jsonl) {
    std::uint64_t lines = 0;
    std::size_t begin = 0;
    while (begin < text.size()) {
      std::size_t end = text.find('\n', begin);
      if (end == std::string::npos) attune_fuzz::fail("JSON Lines output without a final newline");
      try {
        if (!nlohmann::json::parse(text.begin() + static_cast<std::ptrdiff_t>(begin),
                                   text.begin() + static_cast<std::ptrdiff_t>(end)).is_object()) {
          attune_fuzz::fail("JSON Lines record is not an object");
        }
      } catch (const nlohmann::json::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        attune_fuzz::fail("JSON Lines output is not valid JSON");
      }
      ++lines;
      begin = end + 1;
    }
    if (lines != s.rows_in) attune_fuzz::fail("JSON Lines records != rows in");
  }
  return 0;
}
