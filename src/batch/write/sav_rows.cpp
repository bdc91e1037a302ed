// The .sav writer's readings of a chunk (sav_rows.hpp): each row's cells taken from the scored
// chunk by walking the table of output columns, then measured (first reading) or handed over as
// values (second reading).
#include "sav_rows.hpp"

#include <attune/irt.hpp>

#include "../../charconv_compat.hpp"
#include "../../number_format.hpp"
#include "../columns.hpp"
#include "padded_text.hpp"
#include "text_rows.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace attune::batch {

bool sav_number_column(const OutputColumn& c) { return c.type != ColumnType::text; }

bool sav_always_text(const OutputColumn& c) {
  return c.type == ColumnType::text && c.group != ColumnGroup::kept && c.group != ColumnGroup::extra;
}

bool sav_parse_number(std::string_view v, double& out) {
  if (v.empty()) return false;
  const char* b = v.data() + (v[0] == '+' ? 1 : 0);
  const char* end = v.data() + v.size();
  return detail::parse_double(b, end, out) == end && std::isfinite(out);
}

namespace {

// One cell of a row: a number with the decimals its column is written with, or a text.
struct SavCell {
  bool is_text = false;
  double number = 0;
  int decimals = 0;
  std::string_view text;
};

SavCell number_cell(double x, int decimals) {
  SavCell c;
  c.number = x;
  c.decimals = decimals;
  return c;
}

SavCell text_cell(std::string_view t) {
  SavCell c;
  c.is_text = true;
  c.text = t;
  return c;
}

// The inside of a quoted CSV field (the readers escape kept columns and the norm cell for CSV
// output, quoting only when they must), its doubled quotes made single again.
std::string_view undoubled(std::string_view inside, std::string& scratch) {
  scratch.clear();
  for (std::size_t i = 0; i < inside.size(); ++i) {
    scratch.push_back(inside[i]);
    if (inside[i] == '"') ++i;  // the second of a doubled quote
  }
  return scratch;
}

// What every row of a chunk shares.
struct SavRowShape {
  const Job& job;
  const Workspace& ws;
  std::size_t S = 0, theta_values = 0;
  int decimals = 6;
  char dl = ',';
  explicit SavRowShape(const Job& j, const Workspace& w) : job(j), ws(w) {
    S = j.plan->data().n_scales;
    theta_values = j.opt->theta ? 2 * j.opt->theta->scale_count() : 0;
    decimals = j.opt->decimals;
    dl = j.opt->delimiter;
  }
};

SavCell profile_cell(const SavRowShape& s, std::size_t r, std::size_t k) {
  const BlockScores& b = s.ws.scores;
  if (k < 4) return number_cell(b.dimensions[r * 4 + k], s.decimals);
  if (k == 4) {
    const PaddedText& cat = category_texts()[b.category[r] & 15u];
    return text_cell(std::string_view(cat.text(), cat.len));
  }
  if (k == 5) return number_cell(b.confidence[r], s.decimals);
  return text_cell(s.job.plan->data().method.name);
}

// Quality column k (kQualityColumns order); the counts are whole numbers, negative when unknown.
SavCell quality_cell(const SavRowShape& s, std::size_t r, std::size_t k) {
  const QualityValues& q = s.ws.quality[r];
  const double values[8] = {q.longstring < 0 ? std::nan("") : q.longstring, q.irv, q.even_odd, q.synonyms,
                            q.mahalanobis, q.mahalanobis_p, q.share_answered, q.out_of_range < 0 ? std::nan("") : q.out_of_range};
  if (k < 8) return number_cell(values[k], k == 0 || k == 7 ? 0 : s.decimals);
  const PaddedText& flags = quality_flag_texts()[q.flags];
  return text_cell(std::string_view(flags.text(), flags.len));
}

SavCell cell_of(const SavRowShape& s, const RowWalk& walk, std::size_t r, std::string_view kept, const OutputColumn& c,
                std::string& scratch) {
  const std::size_t k = c.index;
  const BlockScores& b = s.ws.scores;
  switch (c.group) {
    case ColumnGroup::kept: {
      bool escaped = false;
      const std::string_view v = kept_field(kept, k, false, s.dl, escaped);
      return text_cell(escaped ? undoubled(v, scratch) : v);  // kept_field drops the outer quotes
    }
    case ColumnGroup::scales: {
      const double* v = k % 3 == 0 ? b.raw.data() : k % 3 == 1 ? b.z.data() : b.percentile.data();
      return number_cell(v[r * s.S + k / 3], s.decimals);
    }
    case ColumnGroup::profile: return profile_cell(s, r, k);
    case ColumnGroup::quality: return quality_cell(s, r, k);
    case ColumnGroup::theta: return number_cell(s.ws.theta[r * s.theta_values + k], s.decimals);
    case ColumnGroup::norms:
      if (k > 0) return number_cell(walk.norms.values[k - 1], s.decimals);
      if (!walk.norms.cell_text.empty() && walk.norms.cell_text.front() == '"')
        return text_cell(undoubled(walk.norms.cell_text.substr(1, walk.norms.cell_text.size() - 2), scratch));
      return text_cell(walk.norms.cell_text);
    case ColumnGroup::extra: return text_cell(walk.extra_cells[k].text);
    default: return text_cell(walk.notes);  // notes (the row number is the writer's)
  }
}

void count_decimals(std::string_view v, SavShape& shape) {
  const std::size_t dot = v.find('.');
  if (dot != std::string_view::npos && v.find_first_of("eE") == std::string_view::npos)
    shape.decimals = std::max(shape.decimals, static_cast<std::int32_t>(v.size() - dot - 1));
}

// A cell's text as the CSV writer writes it (for a number) or as it is.
void measure(const SavCell& c, SavShape& shape) {
  char buf[48];
  std::string_view v = c.text;
  if (!c.is_text) {
    if (std::isnan(c.number)) return;  // an empty cell
    v = std::string_view(buf, detail::format_fixed(c.number, c.decimals, buf));
  }
  shape.width = std::max(shape.width, static_cast<std::uint32_t>(v.size()));
  if (v.empty() || !shape.numeric) return;
  double d;
  if (c.is_text ? !sav_parse_number(v, d) : !std::isfinite(c.number)) {
    shape.numeric = 0;
    return;
  }
  count_decimals(v, shape);
}

// A number as its column shows it: rounded to the column's decimals (the text's value).
double shown_value(double x, int decimals) {
  if (std::isnan(x)) return x;
  char buf[48];
  double d;
  return sav_parse_number(std::string_view(buf, detail::format_fixed(x, decimals, buf)), d) ? d : x;
}

void append_value(const SavCell& c, std::string& out) {
  if (!c.is_text) {
    const double x = shown_value(c.number, c.decimals);
    out.append(reinterpret_cast<const char*>(&x), sizeof x);
    return;
  }
  const auto n = static_cast<std::uint32_t>(c.text.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(c.text.data(), c.text.size());
}

// Each row's cells, column by column (the row number is the writer's), to `use(column, cell)`.
template <class Use>
void walk_cells(const Job& job, Workspace& ws, ChunkResult& res, const Use& use) {
  const SavRowShape shape(job, ws);
  const std::vector<OutputColumn>& table = *job.columns;
  RowWalk walk(job, ws, res);
  std::string scratch;
  for (std::size_t r = 0; r < res.rows; ++r) {
    const std::string_view kept = walk.next(r);
    for (std::size_t i = 0; i < table.size(); ++i) {
      if (table[i].group == ColumnGroup::row_number) continue;
      use(i, cell_of(shape, walk, r, kept, table[i], scratch));
    }
  }
}

}  // namespace

void measure_sav_rows(const Job& job, Workspace& ws, ChunkResult& res) {
  const std::vector<OutputColumn>& table = *job.columns;
  std::vector<SavShape> shapes(table.size());
  for (std::size_t i = 0; i < table.size(); ++i) shapes[i].numeric = sav_always_text(table[i]) ? 0 : 1;
  walk_cells(job, ws, res, [&](std::size_t i, const SavCell& c) { measure(c, shapes[i]); });
  res.text.assign(reinterpret_cast<const char*>(shapes.data()), shapes.size() * sizeof(SavShape));
  res.text_len = res.text.size();
}

void sav_value_rows(const Job& job, Workspace& ws, ChunkResult& res) {
  std::string& out = res.text;
  if (job.texts) out = job.texts->take();
  out.clear();
  walk_cells(job, ws, res, [&](std::size_t, const SavCell& c) { append_value(c, out); });
  res.text_len = out.size();
}

}  // namespace attune::batch
