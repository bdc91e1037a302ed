// RowNorms (row_norms.hpp): each row's norm cell and standing, at the write stage.
#include "row_norms.hpp"

#include <attune/person_norms.hpp>

#include "../../io/csv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attune::batch {

const char* const kNormFallbackTexts[5] = {"", "all: gender not recognised", "all: age not recognised",
                                           "all: gender and age not recognised", "all: age outside every cell"};

std::size_t longest_norm_cell(const norms::NormSet& set) {
  std::size_t longest = 0;
  for (const auto& c : set.cells) longest = std::max(longest, c.id.size());
  for (const char* t : kNormFallbackTexts) longest = std::max(longest, std::string_view(t).size());
  return longest;
}

namespace {

// From the opening quote at p: the index just past the closing one. Doubled quotes (CSV) or
// backslash escapes (JSON) stay inside.
std::size_t end_of_quoted(std::string_view s, std::size_t p, bool json, bool& escaped) {
  std::size_t i = p + 1;
  while (i < s.size()) {
    if (json && s[i] == '\\') { escaped = true; i += 2; continue; }
    if (s[i] == '"') {
      if (!json && i + 1 < s.size() && s[i + 1] == '"') { i += 2; continue; }
      return i + 1;
    }
    ++i;
  }
  return s.size();
}

std::string_view trim_blanks(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  return t;
}

}  // namespace

std::string_view kept_field(std::string_view s, std::size_t k, bool json, char dl, bool& escaped) {
  std::size_t p = 0;
  for (std::size_t field = 0; p < s.size(); ++field) {
    bool esc = false;
    if (json) {  // "key":"value", then ',' before the next pair
      p = end_of_quoted(s, p, true, esc) + 1;
      esc = false;
    }
    std::size_t end;
    if (p < s.size() && s[p] == '"') {
      end = end_of_quoted(s, p, json, esc);
      esc = esc || !json;  // a quoted CSV field held a delimiter, quote or line end
    } else {
      end = std::min(s.find(json ? ',' : dl, p), s.size());
    }
    if (field == k) {
      escaped = esc;
      const bool quoted = p < s.size() && s[p] == '"';
      return quoted ? s.substr(p + 1, end - p - 2) : s.substr(p, end - p);
    }
    p = end + 1;  // past the delimiter (CSV) or the comma between pairs (JSON)
  }
  escaped = false;
  return {};
}

int read_age(std::string_view t) noexcept {
  t = trim_blanks(t);
  const std::size_t dot = t.find('.');
  if (dot != std::string_view::npos) {
    for (char c : t.substr(dot + 1)) if (c != '0') return -1;
    t = t.substr(0, dot);
  }
  if (t.empty() || t.size() > 4) return -1;
  int age = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return -1;
    age = age * 10 + (c - '0');
  }
  return age;
}

RowNorms::RowNorms(const Job& job) : norms_(job.opt->norms) {
  if (!norms_) return;
  const Layout& L = *job.layout;
  S_ = job.plan->data().n_scales;
  json_ = job.opt->format == OutputFormat::jsonl;
  dl_ = job.opt->delimiter;
  for (std::size_t k = 0; k < L.keep_col.size(); ++k) {
    const std::string& name = L.header[static_cast<std::size_t>(L.keep_col[k])];
    if (name == norms_->gender_column) gender_k_ = k;
    if (name == norms_->age_column) age_k_ = k;
  }
  auto escaped = [&](std::string_view t) {
    std::string out;
    if (json_) io::append_json_string(out, t); else io::append_csv_field(out, t, dl_);
    return out;
  };
  for (const auto& c : norms_->set.cells) cell_texts_.push_back(escaped(c.id));
  for (std::size_t w = 1; w < 5; ++w) cell_texts_.push_back(escaped(kNormFallbackTexts[w]));
  // Theta norm columns only beside theta columns (columns.cpp's add_norms asks the same).
  theta_n_ = job.opt->theta ? norms_->theta_scales.size() : 0;
  values.assign(2 * (norms_->scales.size() + theta_n_), std::numeric_limits<double>::quiet_NaN());
}

norms::NormContext RowNorms::context_of(std::string_view kept, NormFallback& why) const {
  norms::NormContext ctx;
  bool escaped = false;
  const std::string_view g = kept_field(kept, gender_k_, json_, dl_, escaped);
  if (!escaped) ctx.gender = norms::parse_gender(trim_blanks(g));
  const std::string_view a = kept_field(kept, age_k_, json_, dl_, escaped);
  if (!escaped) ctx.age = read_age(a);
  const bool no_gender = ctx.gender == norms::Gender::unknown, no_age = ctx.age < 0;
  why = no_gender && no_age ? NormFallback::both : no_gender ? NormFallback::gender : no_age ? NormFallback::age : NormFallback::none;
  return ctx;
}

void RowNorms::fill(const BlockScores& b, std::size_t r, bool bad, std::string_view kept, const double* theta) {
  std::fill(values.begin(), values.end(), std::numeric_limits<double>::quiet_NaN());
  if (bad) {
    cell_text = {};
    return;
  }
  NormFallback why = NormFallback::none;
  const norms::NormContext ctx = context_of(kept, why);
  const std::size_t cell = norms_->lookup.cell(ctx);
  if (cell == 0 && why == NormFallback::none) why = NormFallback::no_cell;
  const std::size_t n_cells = norms_->set.cells.size();
  cell_text = why == NormFallback::none ? cell_texts_[cell] : cell_texts_[n_cells + static_cast<std::size_t>(why) - 1];
  const ResponseScale& from = norms_->from;
  const ResponseScale& to = norms_->set.response_scale;
  for (std::size_t k = 0; k < norms_->scales.size(); ++k) {
    const std::size_t s = norms_->scales[k];
    double x = b.raw[r * S_ + s];
    if (norms_->converted) x = norms::convert_linear(x, from, to);
    const norms::Standing st = norms_->lookup.score(cell, s, x);
    values[2 * k] = st.z;
    values[2 * k + 1] = st.percentile;
  }
  if (!theta) return;
  double* v = &values[2 * norms_->scales.size()];
  for (std::size_t j = 0; j < theta_n_; ++j) {
    const norms::FileNorms::ThetaScale& t = norms_->theta_scales[j];
    const norms::Standing st = norms_->lookup.theta(cell, t.scale, theta[2 * t.theta]);
    *v++ = st.z;
    *v++ = st.percentile;
  }
}

}  // namespace attune::batch
