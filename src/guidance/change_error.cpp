// The error model of a comparison (change_error.hpp): a norm cell's SD and alpha, converted when the
// scores are on another response scale and the caller asked for it, and the published figures.
#include "change_error.hpp"

#include <attune/error.hpp>

#include <cstdio>
#include <initializer_list>
#include <string_view>

namespace attune::detail {

namespace {

// One out-of-line join instead of chains of std::string operator+, each inlined at -O2: the
// WebAssembly module carries this file but never loads a set, so its words should cost little there.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p.data(), p.size());
  return out;
}

std::string range_text(int lo, int hi) { return cat({std::to_string(lo), "..", std::to_string(hi)}); }

const norms::Cell* cell_by_id(const norms::NormSet& set, std::string_view id) {
  if (id.empty()) return set.cells.empty() ? nullptr : &set.cells.front();
  for (const auto& c : set.cells) if (c.id == id) return &c;
  return nullptr;
}

const norms::ScaleNorm* scale_in(const norms::Cell& cell, std::string_view scale) {
  for (const auto& s : cell.scales) if (s.scale == scale) return &s;
  return nullptr;
}

// The set and cell that apply, or the reason none does.
const norms::ScaleNorm* find_norm(const ChangeNorms& n, const CellQuery& q, const norms::NormSet*& set, const norms::Cell*& cell,
                                  std::string& why_not) {
  const std::string_view id = q.set_id.empty() ? std::string_view(n.fallback) : q.set_id;
  if (id.empty()) return nullptr;
  set = n.find(id);
  if (!set) {
    why_not = cat({"the result names the norm set '", id, "', which attune does not have here"});
    return nullptr;
  }
  if (set->instrument != q.instrument) {
    why_not = cat({"the norm set '", id, "' is for another questionnaire (", set->instrument, ")"});
    return nullptr;
  }
  cell = cell_by_id(*set, q.cell_id);
  if (!cell) {
    why_not = cat({"the result names the group '", q.cell_id, "' of the norm set '", id, "', which that set does not have"});
    return nullptr;
  }
  const norms::ScaleNorm* sn = scale_in(*cell, q.scale);
  if (!sn || !(sn->mean_score.sd > 0) || !(sn->alpha >= 0 && sn->alpha < 1)) {
    why_not = cat({"the norm set '", id, "' gives no SD and alpha for this scale"});
    return nullptr;
  }
  return sn;
}

}  // namespace

std::string change_fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

CellError norm_cell_error(const ChangeNorms& n, const CellQuery& q) {
  CellError e;
  const norms::NormSet* set = nullptr;
  const norms::Cell* cell = nullptr;
  const norms::ScaleNorm* sn = find_norm(n, q, set, cell, e.why_not);
  if (!sn) return e;
  const ResponseScale& from = set->response_scale;
  const std::string to_text = range_text(q.scale_min, q.scale_max), from_text = range_text(from.min, from.max);
  const bool same = from.min == q.scale_min && from.max == q.scale_max;
  if (!same && (!n.convert_linear || from.max <= from.min || q.scale_max <= q.scale_min)) {
    e.why_not = cat({"these scores are on ", to_text, ", but the norm set '", set->id, "' was made on answers from ", from_text,
                     ", so its SD does not apply as it is"});
    return e;
  }
  // A linear change of every item's scale moves the mean score by the same factor and leaves alpha as it is.
  const int to_range = q.scale_max - q.scale_min, from_range = from.max - from.min;
  e.sd = sn->mean_score.sd * (same ? 1.0 : static_cast<double>(to_range) / from_range);
  e.alpha = sn->alpha;
  const std::string who = set->name.empty() ? cat({"the norm sample of set ", set->id}) : cat({set->name, " (set ", set->id, ")"});
  const std::string head = cat({who, ", ", cell->label, ", N = ", std::to_string(cell->n), ": SD "});
  if (same) {
    e.text = cat({head, change_fmt(e.sd), ", alpha ", change_fmt(e.alpha),
                  q.set_id.empty() ? " (the result names no norm set, so this set's whole sample is used)"
                                   : " (looked up in the set, since the saved result does not carry them)"});
    return e;
  }
  e.text = cat({head, change_fmt(sn->mean_score.sd), " on ", from_text, ", times ", std::to_string(to_range), "/", std::to_string(from_range),
                " for ", to_text, ": ", change_fmt(e.sd), ", alpha ", change_fmt(e.alpha), ". The error was estimated from answers given on a ",
                std::to_string(from.min), " to ", std::to_string(from.max), " scale, converted: an approximation"});
  return e;
}

void check_fallback(const ChangeNorms& n, const std::string& instrument, int scale_min, int scale_max) {
  const norms::NormSet* set = n.fallback.empty() ? nullptr : n.find(n.fallback);
  if (!set) return;
  Location where = Location::in_file(set->file);
  if (set->instrument != instrument) {
    throw UsageError(cat({"the norm set '", set->id, "' is for instrument '", set->instrument, "', not '", instrument, "'"}), where,
                     "a norm set of the questionnaire compared");
  }
  if (!n.convert_linear && (set->response_scale.min != scale_min || set->response_scale.max != scale_max)) {
    where.value = range_text(scale_min, scale_max);
    throw UsageError(cat({"the norm set '", set->id, "' was made on answers from ", range_text(set->response_scale.min, set->response_scale.max),
                          ", but these scores are on ", where.value}),
                     where, "scores on the set's response scale, or --convert-response-scale linear (docs/change.md)");
  }
}

bool published_error(const Instrument* ins, const std::string& scale, double& sd, double& r, std::string& basis) {
  if (!ins || !ins->norms.published) return false;
  const Scale* sc = ins->find_scale(scale);
  auto n = ins->norms.scales.find(scale);
  if (!sc || n == ins->norms.scales.end()) return false;
  r = sc->reliability ? sc->reliability->alpha : n->second.alpha;
  sd = n->second.sd;
  if (!(r > 0)) return false;
  const std::string& rsrc = sc->reliability ? sc->reliability->citation : ins->norms.citation;
  basis = cat({"SEM = SD ", change_fmt(sd), " x sqrt(1 - ", change_fmt(r), "): the instrument's norm SD (", ins->norms.citation,
               ") and published reliability (", rsrc, ")"});
  return true;
}

double published_reliability(const Instrument& ins, const std::string& scale) {
  const Scale* s = ins.find_scale(scale);
  if (s && s->reliability) return s->reliability->alpha;
  auto n = ins.norms.scales.find(scale);
  return ins.norms.published && n != ins.norms.scales.end() && n->second.alpha > 0 ? n->second.alpha : kMissing;
}

}  // namespace attune::detail
