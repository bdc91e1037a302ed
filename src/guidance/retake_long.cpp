// compare_long(): the retake comparison over a long file, one output row per person and interval.
// The standard error of each scale is fixed once per file (not per row): the user's SD and
// reliability, the SD of the first occasions in the file (Jacobson & Truax use the pre-treatment SD)
// with a given or published reliability, a norm set's whole sample (change_error.hpp, as for a saved
// result), or the instrument's published SD and reliability.
#include "change_error.hpp"
#include "long_csv.hpp"

#include <attune/error.hpp>
#include <attune/instrument.hpp>
#include <attune/retake.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <istream>
#include <map>
#include <utility>

namespace attune {

namespace {

using detail::Record;
using detail::next_record;
using detail::cell_number;
using detail::csv_num;
using detail::csv_text;

struct Occasion {
  std::string time;
  std::vector<double> scores;
  double order = 0;  // the time as a number, when the times are not all dates
};

struct LongColumns {
  std::size_t id = 0, time = 0;
  std::vector<std::size_t> scale_col;
  std::vector<std::string> scale_id;
};

std::size_t find_column(const Record& header, const std::string& name, const std::string& source, const std::string& option) {
  for (std::size_t k = 0; k < header.size(); ++k) if (header[k] == name) return k;
  Location where = Location::in_file(source);
  where.column_name = name;
  throw DataError("the long file has no column '" + name + "'", where, "a column named as " + option + " says");
}

LongColumns columns_of(const Record& header, const Instrument& ins, const LongCompareOptions& o, const std::string& source) {
  LongColumns c;
  c.id = find_column(header, o.id_col, source, "--id");
  c.time = find_column(header, o.time_col, source, "--time");
  for (const Scale& s : ins.scales) {
    for (std::size_t k = 0; k < header.size(); ++k) {
      if (header[k] == s.id) { c.scale_col.push_back(k); c.scale_id.push_back(s.id); }
    }
  }
  if (c.scale_id.empty()) {
    throw DataError("the long file has no column named like a scale of " + ins.id, Location::in_file(source),
                    "scale columns as 'attune score' writes them, e.g. " + ins.scales.front().id);
  }
  return c;
}

bool is_date(const std::string& s) {
  try { Date::parse(s); return true; } catch (const Error&) { return false; }
}

// Occasions in time order: all dates (calendar order) or all numbers; anything else is refused.
void order_occasions(std::vector<Occasion>& occ, bool dates, const std::string& source, const std::string& id) {
  for (auto& o : occ) {
    if (dates) continue;
    double t = kMissing;
    try {
      t = cell_number(o.time, source, -1, "time");
    } catch (const DataError&) {
      // said below, as a time rather than as a score
    }
    if (std::isnan(t)) {
      Location where = Location::in_file(source);
      where.value = id + " at '" + o.time + "'";
      throw DataError("a time that is neither a date nor a number", where, "all times YYYY-MM-DD dates, or all numbers");
    }
    o.order = t;
  }
  std::stable_sort(occ.begin(), occ.end(), [dates](const Occasion& x, const Occasion& y) { return dates ? x.time < y.time : x.order < y.order; });
  for (std::size_t k = 1; k < occ.size(); ++k) {
    if (dates ? occ[k].time == occ[k - 1].time : occ[k].order == occ[k - 1].order) {
      Location where = Location::in_file(source);
      where.value = id + " at " + occ[k].time;
      throw DataError("two rows for the same person and time", where, "one row per person and occasion");
    }
  }
}

double sample_sd(const std::vector<double>& xs) {
  double n = 0, mean = 0, m2 = 0;
  for (double x : xs) {
    if (std::isnan(x)) continue;
    n += 1;
    const double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  return n > 1 ? std::sqrt(m2 / (n - 1)) : kMissing;
}

// The scores' response scale: the one given, else the instrument's.
std::pair<int, int> scores_scale(const Instrument& ins, const LongCompareOptions& o) {
  if (o.scale_min || o.scale_max) return {o.scale_min, o.scale_max};
  return {ins.response_scale.min, ins.response_scale.max};
}

// The words that say where a scale's SEM came from, or why there is none (as a saved result's basis).
std::string sem_words(double sd, double r, const std::string& source) {
  return "SEM = SD " + detail::change_fmt(sd) + " x sqrt(1 - " + detail::change_fmt(r) + "): " + source;
}

// One SEM per scale for the whole file, resolved as for two saved results that name no norm set
// (change_error.hpp), with the file's own baseline SD as a further choice; each scale's basis goes to
// o.on_basis, since the CSV has no room for a sentence per row.
std::vector<double> standard_errors(const LongColumns& c, const Instrument& ins, const LongCompareOptions& o,
                                    const std::vector<std::vector<Occasion>>& people) {
  std::vector<double> se(c.scale_id.size(), kMissing);
  const auto [lo, hi] = scores_scale(ins, o);
  for (std::size_t s = 0; s < se.size(); ++s) {
    const std::string& id = c.scale_id[s];
    auto given = o.supplied.find(id);
    const double rel = given != o.supplied.end() ? given->second.reliability : detail::published_reliability(ins, id);
    const char* rel_from = given != o.supplied.end() ? "reliability given with --reliability" : "the instrument's published reliability";
    double sd = 0, r = 0;
    std::string basis;
    const detail::CellError cell = detail::norm_cell_error(o.norms, {ins.id, lo, hi, "", "", id});
    if (o.sd_baseline) {
      std::vector<double> first;
      for (const auto& p : people) first.push_back(p.front().scores[s]);
      const double base_sd = sample_sd(first);
      se[s] = sem_from(base_sd, rel);
      basis = sem_words(base_sd, rel, std::string("the SD of every person's first occasion in the file (--sd baseline), ") + rel_from);
    } else if (given != o.supplied.end()) {
      se[s] = sem_from(given->second.sd, rel);
      basis = sem_words(given->second.sd, rel, "SD and reliability given with --sd and --reliability");
    } else if (cell.found()) {
      se[s] = sem_from(cell.sd, cell.alpha);
      basis = "SEM = SD x sqrt(1 - alpha), with the SD and alpha of " + cell.text;
    } else if (detail::published_error(&ins, id, sd, r, basis)) {
      se[s] = sem_from(sd, r);
    }
    if (std::isnan(se[s])) {
      basis = "not known" + (cell.why_not.empty() ? std::string() : ": " + cell.why_not) +
              " (give --sd and --reliability, or --sd baseline with a reliability): its rci, mdc95 and reliable columns are empty";
    }
    if (o.on_basis) o.on_basis(id, basis);
  }
  return se;
}

std::string header_line(const LongColumns& c) {
  std::string h = "id,time_before,time_after,days_apart";
  for (const auto& s : c.scale_id) {
    for (const char* f : {"_before", "_after", "_difference", "_rci", "_mdc95", "_reliable"}) h += "," + s + f;
  }
  return h + "\n";
}

std::string interval_row(const std::string& id, const Occasion& a, const Occasion& b, bool dates, const std::vector<double>& se) {
  std::string row = csv_text(id) + "," + csv_text(a.time) + "," + csv_text(b.time) + ",";
  if (dates) row += std::to_string(days_between(a.time, b.time));
  for (std::size_t s = 0; s < se.size(); ++s) {
    const ReliableChange rc = reliable_change(a.scores[s], b.scores[s], se[s], se[s]);
    row += "," + csv_num(a.scores[s]) + "," + csv_num(b.scores[s]) + "," + csv_num(rc.difference) + "," + csv_num(rc.rci) + "," +
           csv_num(rc.mdc95) + "," + (rc.known ? (rc.reliable ? "1" : "0") : "");
  }
  return row + "\n";
}

}  // namespace

std::string compare_long(std::istream& in, const std::string& source, const LongCompareOptions& o) {
  if (o.time_col.empty()) throw UsageError("--long needs --time COLUMN: the column that orders the occasions", {}, "--time COLUMN");
  if (o.instrument.empty()) throw UsageError("--long needs --instrument: it says which columns are scales", {}, "-i ID");
  const Instrument ins = load_instrument(o.instrument);
  detail::check_fallback(o.norms, ins.id, scores_scale(ins, o).first, scores_scale(ins, o).second);
  Record rec;
  long line = 0;
  if (!next_record(in, rec, line)) throw DataError("the long file is empty", Location::in_file(source), "a header row and data rows");
  const LongColumns c = columns_of(rec, ins, o, source);
  std::map<std::string, std::size_t> index;
  std::vector<std::string> ids;
  std::vector<std::vector<Occasion>> people;
  bool dates = true;
  while (next_record(in, rec, line)) {
    if (rec.size() == 1 && rec[0].empty()) continue;  // a blank line
    if (rec.size() <= std::max(c.id, c.time)) {
      Location where = Location::in_file(source);
      where.line = line;
      throw DataError("the row has too few fields", where, "as many fields as the header");
    }
    Occasion occ{rec[c.time], {}};
    for (std::size_t s = 0; s < c.scale_col.size(); ++s)
      occ.scores.push_back(c.scale_col[s] < rec.size() ? cell_number(rec[c.scale_col[s]], source, line, c.scale_id[s]) : kMissing);
    dates = dates && is_date(occ.time);
    auto [it, fresh] = index.emplace(rec[c.id], people.size());
    if (fresh) { ids.push_back(rec[c.id]); people.emplace_back(); }
    people[it->second].push_back(std::move(occ));
  }
  for (std::size_t p = 0; p < people.size(); ++p) order_occasions(people[p], dates, source, ids[p]);
  const std::vector<double> se = standard_errors(c, ins, o, people);
  std::string out = header_line(c);
  for (std::size_t p = 0; p < people.size(); ++p) {
    for (std::size_t k = 1; k < people[p].size(); ++k) out += interval_row(ids[p], people[p][k - 1], people[p][k], dates, se);
  }
  return out;
}

}  // namespace attune
