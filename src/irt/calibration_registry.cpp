// Finding a calibration: a file path, or the id of a shipped one in a `calibrations` folder beside
// the built-in instruments (same search order: $ATTUNE_INSTRUMENT_PATH, installed, source tree).
#include "../data_dirs.hpp"

#include <attune/error.hpp>
#include <attune/irt.hpp>

#include <filesystem>

namespace fs = std::filesystem;

namespace attune::irt {

Calibration load_calibration(const std::string& id_or_path) {
  const bool path_like = id_or_path.find('/') != std::string::npos ||
                         (id_or_path.size() > 5 && id_or_path.compare(id_or_path.size() - 5, 5, ".json") == 0);
  std::error_code ec;
  if (path_like || fs::is_regular_file(id_or_path, ec)) return Calibration::from_file(id_or_path);
  std::string known;
  for (const fs::path& dir : attune::detail::data_search_dirs("ATTUNE_INSTRUMENT_PATH", "instruments", ATTUNE_INSTALLED_INSTRUMENTS,
                                                             ATTUNE_SOURCE_INSTRUMENTS)) {
    const fs::path p = dir / "calibrations" / (id_or_path + ".json");
    if (fs::is_regular_file(p, ec)) return Calibration::from_file(p.string());
    for (const auto& entry : fs::directory_iterator(dir / "calibrations", ec)) {
      if (entry.path().extension() == ".json") known += (known.empty() ? "" : ", ") + entry.path().stem().string();
    }
  }
  Location where;
  where.value = id_or_path;
  throw UsageError("unknown calibration '" + id_or_path + "'", where,
                   "a shipped calibration (" + (known.empty() ? std::string("none found") : known) +
                       ") or the path of a calibration file");
}

}  // namespace attune::irt
