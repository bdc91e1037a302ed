// libFuzzer target: the CLI's option texts as library functions. The input is three lines:
// a --response-scale value, a --map value and a --missing value. An accepted scale compiles ECR-R
// for that data scale; then a fixed two-row CSV (header Q1..Q36) is scored with the mapping and the
// missing codes. Invariant: rows in = scored + reported, one error callback per reported row.
#include "fuzz_common.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

namespace {

std::string line(const std::string& text, std::size_t& pos) {
  const std::size_t nl = text.find('\n', pos);
  std::string out = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
  pos = nl == std::string::npos ? text.size() : nl + 1;
  return out;
}

const std::string& csv() {
  static const std::string text = [] {
    std::string s;
    for (int i = 1; i <= 36; ++i) s += (i > 1 ? ",Q" : "Q") + std::to_string(i);
    s += "\n";
    for (int r = 0; r < 2; ++r) {
      for (int i = 1; i <= 36; ++i) s += (i > 1 ? "," : "") + std::to_string(r == 0 ? 1 + i % 5 : 0);
      s += "\n";
    }
    return s;
  }();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const attune::Instrument ins = [] {
    attune_fuzz::use_source_instruments();
    return attune::load_instrument("ecr-r");
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::size_t pos = 0;
  const std::string scale = line(text, pos), map = line(text, pos), missing = line(text, pos);
  try {
    attune::ScoringOptions so;
    if (!scale.empty()) so.data_scale = attune::parse_response_scale(scale);
    const attune::ScoringPlan plan = attune::ScoringPlan::compile(ins, so);
    attune::BatchOptions bo;
    if (!map.empty()) bo.mapping = attune::ColumnMapping::parse(map);
    bo.missing_codes = attune::split_comma_lists({missing});
    bo.threads = 1;
    std::FILE* in = fmemopen(const_cast<char*>(csv().data()), csv().size(), "rb");
    std::FILE* out = std::fopen("/dev/null", "wb");
    if (!in || !out) attune_fuzz::fail("fmemopen or /dev/null");
    std::uint64_t callbacks = 0;
    attune::BatchSummary s;
    try {
      s = attune::score_csv(plan, in, "fuzz.csv", out, bo, [&](const attune::RowError&) { ++callbacks; });
    } catch (...) {
      std::fclose(in);
      std::fclose(out);
      throw;
    }
    std::fclose(in);
    std::fclose(out);
    if (s.rows_in != s.rows_scored + s.rows_reported) attune_fuzz::fail("rows in != scored + reported");
    if (callbacks != s.rows_reported) attune_fuzz::fail("error callbacks != rows reported");
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
  }
  return 0;
}
