// The JSON Lines writer: one object per row, keys in the order of output_columns().
#include <attune/output_columns.hpp>

#include "../../number_format.hpp"
#include "../../text/json_escape.hpp"
#include "padded_text.hpp"
#include "text_rows.hpp"

#include <array>
#include <cmath>

namespace attune::batch {

namespace {

void append_number(std::string& out, double x, int decimals) {
  if (std::isnan(x)) {
    out += "null";
    return;
  }
  char buf[40];
  out.append(buf, detail::format_fixed(x, decimals, buf));
}

// Keys and values of one row after the first key (`first` says whether none was written yet).
struct JsonRow {
  std::string& out;
  bool first;
  void key(std::string_view k) {
    if (!first) out.push_back(',');
    first = false;
    io::append_json_string(out, k);
    out.push_back(':');
  }
  void number(std::string_view k, double x, int decimals) {
    key(k);
    append_number(out, x, decimals);
  }
};

void profile_fields(const Job& job, const Workspace& ws, std::size_t r, const std::array<std::string, 4>& dims, JsonRow& j) {
  const auto& d = job.plan->data();
  const int dec = job.opt->decimals;
  for (int c = 0; c < 4; ++c) j.number(dims[c], ws.scores.dimensions[r * 4 + static_cast<std::size_t>(c)], dec);
  j.key("category");
  std::string cat = category_text(ws.scores.category[r]);
  if (cat.empty()) j.out += "null"; else io::append_json_string(j.out, cat);
  j.number("confidence", ws.scores.confidence[r], dec);
  j.key("method");
  io::append_json_string(j.out, d.method.name);
}

void quality_fields(const QualityValues& q, int dec, JsonRow& j) {
  j.number("longstring", q.longstring < 0 ? std::nan("") : q.longstring, 0);
  j.number("irv", q.irv, dec);
  j.number("even_odd", q.even_odd, dec);
  j.number("synonyms", q.synonyms, dec);
  j.number("mahalanobis", q.mahalanobis, dec);
  j.number("mahalanobis_p", q.mahalanobis_p, dec);
  j.number("share_answered", q.share_answered, dec);
  j.number("out_of_range", q.out_of_range < 0 ? std::nan("") : q.out_of_range, 0);
  j.key("quality_flags");
  j.out.push_back('"');
  for (int f = 0, n = 0; f < kQualityFlags; ++f) {
    if (!((q.flags >> f) & 1u)) continue;
    if (n++) j.out.push_back('|');
    j.out += to_string(static_cast<QualityFlag>(f));
  }
  j.out.push_back('"');
}

}  // namespace

void append_jsonl_row(const Job& job, const Workspace& ws, std::size_t r, std::string_view kept, const std::string& notes,
                      const std::vector<RowCell>& extra_cells, const std::array<std::string, 4>& dims, std::string& out) {
  const auto& d = job.plan->data();
  const BatchOptions& opt = *job.opt;
  const std::size_t S = d.n_scales;
  const int dec = opt.decimals;
  // With row numbers the writer opens the object with {"row":N, (numbers are global).
  JsonRow j{out, true};
  if (!opt.row_numbers) out.push_back('{');
  if (!kept.empty()) { out.append(kept); j.first = false; }
  for (std::size_t s = 0; s < S; ++s) {
    const std::string& id = d.instrument.scales[s].id;
    j.number(id, ws.scores.raw[r * S + s], dec);
    j.number(id + "_z", ws.scores.z[r * S + s], dec);
    j.number(id + "_pct", ws.scores.percentile[r * S + s], dec);
  }
  if (d.has_profile) profile_fields(job, ws, r, dims, j);
  if (opt.quality) quality_fields(ws.quality[r], dec, j);
  const std::vector<std::string>* names = opt.extra_columns ? &opt.extra_columns->names() : nullptr;
  for (std::size_t k = 0; k < extra_cells.size(); ++k) {
    j.key((*names)[k]);
    const RowCell& c = extra_cells[k];
    if (c.text.empty()) out += "null";
    else if (c.number) out.append(c.text);
    else io::append_json_string(out, c.text);
  }
  j.key("notes");
  if (notes.empty()) out += "null"; else io::append_json_string(out, notes);
  out += "}\n";
}

}  // namespace attune::batch

namespace attune::batch {

void format_jsonl_rows(const Job& job, Workspace& ws, ChunkResult& res) {
  const auto& d = job.plan->data();
  const std::size_t rows = res.rows;
  std::string& out = res.text;
  if (job.texts) out = job.texts->take();
  out.clear();
  out.reserve(rows * (32 + d.n_scales * 24 + 96) + ws.kept.size());
  const std::array<std::string, 4> dims = dimension_columns(d.instrument);
  RowWalk walk(job, ws, res);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::string_view kept = walk.next(r);
    append_jsonl_row(job, ws, r, kept, walk.notes, walk.extra_cells, dims, out);
    if (job.opt->row_numbers) res.row_end.push_back(static_cast<std::uint32_t>(out.size()));
  }
  res.text_len = out.size();
}

}  // namespace attune::batch
