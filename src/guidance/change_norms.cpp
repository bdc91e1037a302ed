// Loading the norm sets a comparison may draw on (retake.hpp, load_change_norms): one rule for the
// CLI's compare, plan --before and couple and for the bindings' one-call compare and couple, so a
// result saved before the sets carried alphas gets the same verdict everywhere.
#include <attune/error.hpp>
#include <attune/instrument.hpp>
#include <attune/norms.hpp>
#include <attune/retake.hpp>

#include <memory>

namespace attune {

namespace {

// The instrument's default set, when the conversion is asked for and no set is given.
std::string change_default_set(const std::string& instrument) {
  try {
    return load_instrument(instrument).norms.default_set;
  } catch (const Error&) {
    return "";  // a result of an instrument file that is not at hand: no default to offer
  }
}

}  // namespace

ChangeNorms load_change_norms(const std::vector<std::string>& named, const std::string& norm_set, bool convert_linear,
                              const std::string& instrument) {
  ChangeNorms n;
  n.convert_linear = convert_linear;
  if (!norm_set.empty()) {
    n.sets.push_back(std::make_shared<const norms::NormSet>(norms::load_norm_set(norm_set)));
    n.fallback = n.sets.back()->id;
  } else if (n.convert_linear) {
    n.fallback = change_default_set(instrument);
  }
  std::vector<std::string> wanted = named;
  wanted.push_back(n.fallback);
  for (const std::string& id : wanted) {
    // Only a shipped set is looked up by the name a result carries: a result file never makes attune read another file.
    if (id.empty() || n.find(id) || id.find_first_of("/\\.") != std::string::npos) continue;
    try {
      n.sets.push_back(std::make_shared<const norms::NormSet>(norms::load_norm_set(id)));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::usage) throw;  // a shipped set that cannot be read is an installation fault, said as such
    }
  }
  return n;
}

}  // namespace attune
