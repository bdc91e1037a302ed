// compare_results(): which scores and which standard errors enter the reliable change index for
// each scale, and why (docs/change.md, "Which standard error"). In order of preference:
//   1. theta and its SE, when both results were scored with IRT on the same calibration;
//   2. an SD and a reliability the user supplied for the scale;
//   3. the SEM saved with each result (norm SD x sqrt(1 - reliability), as scoring computed it);
//   4. the SD and alpha of the norm-set cell each result was standardized with (saved in its "norms", or
//      looked up in the set; a set on another response scale only when asked, converted);
//   5. the instrument's published reliability and norm SD;
// and otherwise the index is unknown, said so, never guessed.
#include "change_error.hpp"
#include "guidance_data.hpp"

#include <attune/error.hpp>
#include <attune/instrument.hpp>
#include <attune/retake.hpp>

#include <cmath>
#include <cstdio>
#include <memory>

namespace attune {

namespace {

void refuse_mismatch(const SavedResult& before, const SavedResult& after) {
  Location where;
  where.file = after.source;
  if (before.result.instrument_id != after.result.instrument_id) {
    where.json_path = "/instrument/id";
    where.value = after.result.instrument_id;
    throw UsageError("the two results are for different questionnaires (" + before.result.instrument_id + " and " +
                         after.result.instrument_id + "), so their scores cannot be compared",
                     where, "two results of the same instrument");
  }
  if (before.scale_min != after.scale_min || before.scale_max != after.scale_max) {
    where.json_path = "/response_scale";
    where.value = std::to_string(after.scale_min) + ".." + std::to_string(after.scale_max);
    throw UsageError("the two results were answered on different response scales (" + std::to_string(before.scale_min) + ".." +
                         std::to_string(before.scale_max) + " and " + where.value + "), so their scores are not on one metric",
                     where, "two results on the same response scale");
  }
}

std::string norm_sample_text(const SavedResult& s, double sd, double alpha) {
  const std::string who = s.norm_name.empty() ? "the norm sample of set " + s.norm_set : s.norm_name + " (set " + s.norm_set + ")";
  return who + ", " + s.norm_cell + ": SD " + detail::change_fmt(sd) + ", alpha " + detail::change_fmt(alpha);
}

// The SD and alpha the result saved with its norm cell, else those of the cell (or the fallback set)
// looked up in the sets the caller gave.
detail::CellError result_cell_error(const SavedResult& s, const std::string& scale, const ChangeNorms& norms) {
  auto saved = s.norm_error.find(scale);
  if (saved == s.norm_error.end()) {
    return detail::norm_cell_error(norms, {s.result.instrument_id, s.scale_min, s.scale_max, s.norm_set, s.norm_cell_id, scale});
  }
  detail::CellError e;
  e.sd = saved->second.first, e.alpha = saved->second.second;
  e.text = norm_sample_text(s, e.sd, e.alpha);
  return e;
}

// Each result's own norm cell: a person who moved into another age band between the two is measured
// against the SD and alpha of the cell each result names.
bool norm_set_error(ScaleChange& sc, const SavedResult& before, const SavedResult& after, const ChangeNorms& norms, std::string& why_not) {
  const detail::CellError b = result_cell_error(before, sc.id, norms), a = result_cell_error(after, sc.id, norms);
  if (!b.found() || !a.found()) {
    why_not = b.found() ? a.why_not : b.why_not;
    return false;
  }
  sc.se_before = sem_from(b.sd, b.alpha);
  sc.se_after = sem_from(a.sd, a.alpha);
  sc.basis = "SEM = SD x sqrt(1 - alpha), with the SD and alpha of " + (b.text == a.text ? b.text : "before: " + b.text + "; after: " + a.text);
  return true;
}

std::string unknown_basis(const std::string& why_not) {
  const std::string researcher = "(a researcher who has them for a comparable sample can give them with --sd and --reliability)";
  if (why_not.empty()) {
    return "not known: no reliability and SD are published for this scale on this response scale, and the results carry none " + researcher;
  }
  return "not known: " + why_not + "; no reliability and SD are published for this scale on this response scale " + researcher;
}

void choose_error(ScaleChange& sc, const ScaleScore& b, const ScaleScore& a, const SavedResult& before, const SavedResult& after,
                  const CompareOptions& opt, const Instrument* ins) {
  auto tb = before.theta.find(sc.id), ta = after.theta.find(sc.id);
  if (tb != before.theta.end() && ta != after.theta.end() && before.irt_calibration == after.irt_calibration) {
    sc.metric = "theta";
    sc.before = tb->second.first, sc.after = ta->second.first;
    sc.se_before = tb->second.second, sc.se_after = ta->second.second;
    sc.basis = "theta and its standard error from IRT (calibration " + before.irt_calibration + "): S_diff = sqrt(se1^2 + se2^2)";
    return;
  }
  double sd = 0, r = 0;
  std::string why_not;
  auto s = opt.supplied.find(sc.id);
  if (s != opt.supplied.end()) {
    sc.se_before = sc.se_after = sem_from(s->second.sd, s->second.reliability);
    sc.basis = "SEM = SD " + detail::change_fmt(s->second.sd) + " x sqrt(1 - " + detail::change_fmt(s->second.reliability) + "): SD and reliability given with --sd and --reliability";
  } else if (!std::isnan(b.sem) && !std::isnan(a.sem)) {
    sc.se_before = b.sem, sc.se_after = a.sem;
    sc.basis = "the SEM saved with each result (norm SD x sqrt(1 - reliability); " + before.standardization + ")";
  } else if (norm_set_error(sc, before, after, opt.norms, why_not)) {
  } else if (detail::published_error(ins, sc.id, sd, r, sc.basis)) {
    sc.se_before = sc.se_after = sem_from(sd, r);
  } else {
    sc.basis = unknown_basis(why_not);
  }
}

const char* verdict_of(const ScaleChange& sc) {
  if (std::isnan(sc.before) || std::isnan(sc.after)) return "ui.change.verdict.missing";
  // Identical scores need no error model: "within measurement error: it may be real" would read as if
  // something had moved.
  if (sc.before == sc.after) return "ui.change.verdict.same";
  if (!sc.change.known) return "ui.change.verdict.unknown";
  if (!sc.change.reliable) return "ui.change.verdict.within";
  return sc.change.difference > 0 ? "ui.change.verdict.reliable_up" : "ui.change.verdict.reliable_down";
}

void set_dates(Comparison& c, const SavedResult& before, const SavedResult& after, const CompareOptions& opt) {
  c.before_date = opt.before_date.empty() ? before.taken : opt.before_date;
  c.after_date = opt.after_date.empty() ? after.taken : opt.after_date;
  if (c.before_date.empty() || c.after_date.empty()) return;
  c.days_apart = days_between(c.before_date, c.after_date);
  if (c.days_apart < 0) {
    Location where;
    where.value = c.before_date + " .. " + c.after_date;
    throw UsageError("the 'before' result is dated after the 'after' one", where, "the earlier result first");
  }
}

}  // namespace

int days_between(const std::string& a, const std::string& b) {
  return static_cast<int>(detail::day_number(Date::parse(b)) - detail::day_number(Date::parse(a)));
}

Comparison compare_results(const SavedResult& before, const SavedResult& after, const CompareOptions& opt) {
  refuse_mismatch(before, after);
  detail::check_fallback(opt.norms, before.result.instrument_id, before.scale_min, before.scale_max);
  Comparison c;
  c.instrument_id = before.result.instrument_id;
  c.before_source = before.source;
  c.after_source = after.source;
  if (opt.dates) set_dates(c, before, after, opt);
  std::unique_ptr<Instrument> ins;
  try {
    ins = std::make_unique<Instrument>(load_instrument(c.instrument_id));
    c.instrument_name = ins->name;
  } catch (const Error&) {
    // A result of an instrument file that is not at hand: the saved scores and SEMs still compare.
  }
  for (const ScaleScore& b : before.result.scales) {
    const ScaleScore* a = after.result.find_scale(b.id);
    if (!a) {
      throw UsageError("scale '" + b.id + "' is in the first result but not in the second", Location::in_file(after.source),
                       "two results scored with the same instrument version");
    }
    ScaleChange sc;
    sc.id = b.id;
    sc.label = b.label;
    sc.metric = "raw";
    sc.before = b.raw, sc.after = a->raw;
    choose_error(sc, b, *a, before, after, opt, ins.get());
    sc.change = reliable_change(sc.before, sc.after, sc.se_before, sc.se_after);
    sc.verdict_id = verdict_of(sc);
    c.scales.push_back(std::move(sc));
  }
  return c;
}

}  // namespace attune
