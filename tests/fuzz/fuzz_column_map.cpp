// libFuzzer target: the column mapping (--map parsing and matching columns to items). The input's
// first line is the --map value, the rest a CSV whose header the mapping meets; the first byte picks
// the instrument (ECR-R, RQ, or a small one with upper-case item ids) and the keep options.
// Invariants checked on every input:
//   ColumnMapping::parse throws attune::Error (UsageError) or returns; never anything else;
//   a mapping that scores keeps every row (rows in = scored + reported), its CSV header names each
//   column once, and a pattern's expansion holds no unexpanded placeholder for a matched column.
#include "fuzz_common.hpp"

#include <cstdint>
#include <cstring>
#include <set>
#include <string>

namespace {

const char* const kTiny = R"({"format": "attune-instrument/1", "id": "tiny", "version": "1", "name": "Tiny", "short_name": "T",
  "citations": [{"id": "c", "text": "fuzz"}], "key_source": "c", "verified": {"status": false, "note": "fuzz"},
  "response_scale": {"min": 1, "max": 6},
  "items": [{"id": "A1", "position": 1, "label": "x"}, {"id": "a2", "position": 2, "label": "y"}, {"id": "B03", "position": 3, "label": "z"}],
  "scales": [{"id": "total", "label": "T", "aggregation": "mean", "items": ["A1", "a2", "B03"], "reverse": ["a2"], "min_answered": 1}],
  "norms": {"status": "none", "note": "fuzz"}})";

struct Plans {
  attune::ScoringPlan ecr_r, rq, tiny;
};

const Plans& plans() {
  static const Plans p = [] {
    attune_fuzz::use_source_instruments();
    return Plans{attune::ScoringPlan::compile(attune::load_instrument("ecr-r")),
                 attune::ScoringPlan::compile(attune::load_instrument("rq")),
                 attune::ScoringPlan::compile(attune::Instrument::from_json_text(kTiny, "tiny.json"))};
  }();
  return p;
}

void check_header(const std::string& text) {
  std::set<std::string> names;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') { quoted = !quoted; continue; }
    if (!quoted && (c == ',' || c == '\n')) {
      if (!names.insert(cur).second) attune_fuzz::fail("an output column name occurs twice");
      cur.clear();
      if (c == '\n') return;
      continue;
    }
    cur.push_back(c);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t nl = rest.find('\n');
  const std::string spec = rest.substr(0, nl);
  const std::string csv = nl == std::string::npos ? std::string() : rest.substr(nl + 1);

  attune::BatchOptions o;
  try {
    o.mapping = attune::ColumnMapping::parse(spec);
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
    return 0;
  }
  const attune::ScoringPlan& plan = (mode % 3) == 0 ? plans().ecr_r : (mode % 3) == 1 ? plans().rq : plans().tiny;
  if (mode & 4) o.keep = {"id"};
  if (mode & 8) o.keep = {"id", "category"};
  o.keep_id_column = (mode & 16) != 0;
  o.row_numbers = (mode & 32) != 0;
  o.threads = 1;

  std::FILE* in = fmemopen(const_cast<char*>(csv.empty() ? " " : csv.data()), csv.empty() ? 1 : csv.size(), "r");
  if (!in) attune_fuzz::fail("fmemopen");
  if (csv.empty()) std::fgetc(in);
  char* out_buf = nullptr;
  std::size_t out_size = 0;
  std::FILE* out = open_memstream(&out_buf, &out_size);
  if (!out) attune_fuzz::fail("open_memstream");
  bool ok = false;
  attune::BatchSummary s;
  try {
    s = attune::score_csv(plan, in, "fuzz.csv", out, o, [](const attune::RowError&) {});
    ok = true;
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
  }
  std::fclose(in);
  std::fclose(out);
  const std::string text(out_buf ? out_buf : "", out_size);
  std::free(out_buf);
  if (!ok) return 0;
  if (s.rows_in != s.rows_scored + s.rows_reported) attune_fuzz::fail("rows in != scored + reported");
  check_header(text);
  return 0;
}
