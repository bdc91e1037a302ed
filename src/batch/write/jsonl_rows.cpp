// The JSON Lines writer: one object per row, keys in the order of output_columns().
#include <attune/irt.hpp>
#include <attune/output_columns.hpp>

#include "../../number_format.hpp"
#include "../../text/json_escape.hpp"
#include "../columns.hpp"
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

// The value of quality column k (kQualityColumns order); the counts (longstring, out_of_range) are
// whole numbers, negative when unknown.
void quality_value(const QualityValues& q, std::size_t k, int dec, std::string& out) {
  switch (k) {
    case 0: append_number(out, q.longstring < 0 ? std::nan("") : q.longstring, 0); return;
    case 1: append_number(out, q.irv, dec); return;
    case 2: append_number(out, q.even_odd, dec); return;
    case 3: append_number(out, q.synonyms, dec); return;
    case 4: append_number(out, q.mahalanobis, dec); return;
    case 5: append_number(out, q.mahalanobis_p, dec); return;
    case 6: append_number(out, q.share_answered, dec); return;
    case 7: append_number(out, q.out_of_range < 0 ? std::nan("") : q.out_of_range, 0); return;
    default: break;
  }
  out.push_back('"');
  for (int f = 0, n = 0; f < kQualityFlags; ++f) {
    if (!((q.flags >> f) & 1u)) continue;
    if (n++) out.push_back('|');
    out += to_string(static_cast<QualityFlag>(f));
  }
  out.push_back('"');
}

void profile_value(const Job& job, const BlockScores& b, std::size_t r, std::size_t k, std::string& out) {
  const int dec = job.opt->decimals;
  if (k < 4) {
    append_number(out, b.dimensions[r * 4 + k], dec);
  } else if (k == 4) {
    const std::string cat = category_text(b.category[r]);
    if (cat.empty()) out += "null"; else io::append_json_string(out, cat);
  } else if (k == 5) {
    append_number(out, b.confidence[r], dec);
  } else {
    io::append_json_string(out, job.plan->data().method.name);
  }
}

void text_value(std::string_view text, std::string& out) {
  if (text.empty()) out += "null"; else io::append_json_string(out, text);
}

// Norm column k (OutputColumn::index): the cell, already a JSON string, or a number.
void norm_value(const RowNorms& n, std::size_t k, int dec, std::string& out) {
  if (k > 0) append_number(out, n.values[k - 1], dec);
  else if (n.cell_text.empty()) out += "null";
  else out.append(n.cell_text);
}

}  // namespace

void append_jsonl_row(const Job& job, const Workspace& ws, std::size_t r, std::string_view kept, const RowWalk& walk,
                      const std::vector<std::string>& keys, std::string& out) {
  const std::string& notes = walk.notes;
  const std::vector<RowCell>& extra_cells = walk.extra_cells;
  const std::vector<OutputColumn>& table = *job.columns;
  const std::size_t S = job.plan->data().n_scales;
  const int dec = job.opt->decimals;
  const BlockScores& b = ws.scores;
  // With row numbers the writer opens the object with {"row":N, (numbers are global).
  bool first = true;
  if (!job.opt->row_numbers) out.push_back('{');
  for (std::size_t i = 0; i < table.size(); ++i) {
    const OutputColumn& c = table[i];
    if (c.group == ColumnGroup::row_number) continue;
    if (c.group == ColumnGroup::kept) {  // the kept columns' keys and values, escaped as they were read
      if (c.index == 0 && !kept.empty()) { out.append(kept); first = false; }
      continue;
    }
    if (!first) out.push_back(',');
    first = false;
    out.append(keys[i]);
    const std::size_t k = c.index;
    switch (c.group) {
      case ColumnGroup::scales: {
        const double* v = k % 3 == 0 ? b.raw.data() : k % 3 == 1 ? b.z.data() : b.percentile.data();
        append_number(out, v[r * S + k / 3], dec);
        break;
      }
      case ColumnGroup::profile: profile_value(job, b, r, k, out); break;
      case ColumnGroup::quality: quality_value(ws.quality[r], k, dec, out); break;
      case ColumnGroup::theta: append_number(out, ws.theta[r * 2 * job.opt->theta->scale_count() + k], dec); break;
      case ColumnGroup::norms: norm_value(walk.norms, k, dec, out); break;
      case ColumnGroup::extra:
        if (!extra_cells[k].text.empty() && extra_cells[k].number) out.append(extra_cells[k].text);
        else text_value(extra_cells[k].text, out);
        break;
      default: text_value(notes, out); break;  // notes
    }
  }
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
  // Each column's key, escaped, with its colon.
  std::vector<std::string> keys;
  for (const OutputColumn& c : *job.columns) {
    keys.emplace_back();
    io::append_json_string(keys.back(), c.name);
    keys.back().push_back(':');
  }
  RowWalk walk(job, ws, res);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::string_view kept = walk.next(r);
    append_jsonl_row(job, ws, r, kept, walk, keys, out);
    if (job.opt->row_numbers) res.row_end.push_back(static_cast<std::uint32_t>(out.size()));
  }
  res.text_len = out.size();
}

}  // namespace attune::batch
