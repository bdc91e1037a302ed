// Finding built-in instruments. The search order lets a user override a shipped file without
// rebuilding, and lets the build tree and an installed copy both work.
#include "data_dirs.hpp"
#include <attune/instrument.hpp>
#include <attune/error.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace attune {

namespace {

std::vector<fs::path> instrument_dirs() { return detail::data_search_dirs("ATTUNE_INSTRUMENT_PATH", "instruments", ATTUNE_INSTALLED_INSTRUMENTS, ATTUNE_SOURCE_INSTRUMENTS); }

bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos || (s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0);
}

}  // namespace

std::vector<std::string> builtin_instrument_ids() {
  std::set<std::string> ids;
  for (const auto& dir : instrument_dirs()) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".json") ids.insert(entry.path().stem().string());
    }
  }
  return {ids.begin(), ids.end()};
}

std::string builtin_instrument_path(const std::string& id) {
  for (const auto& dir : instrument_dirs()) {
    fs::path p = dir / (id + ".json");
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return {};
}

Instrument load_instrument(const std::string& id_or_path) {
  std::error_code ec;
  if (looks_like_path(id_or_path) || fs::is_regular_file(id_or_path, ec)) {
    if (!fs::exists(id_or_path, ec)) {
      Location where;
      where.file = id_or_path;
      throw IoError("instrument file not found", where);
    }
    return Instrument::from_file(id_or_path);
  }
  std::string path = builtin_instrument_path(id_or_path);
  if (path.empty()) {
    std::string known;
    for (const auto& id : builtin_instrument_ids()) known += (known.empty() ? "" : ", ") + id;
    Location where;
    where.value = id_or_path;
    throw UsageError("unknown instrument '" + id_or_path + "'", where,
                     "a built-in id (" + (known.empty() ? std::string("none found") : known) + ") or the path of an instrument file");
  }
  Instrument ins = Instrument::from_file(path);
  if (ins.id != id_or_path) {
    Location where;
    where.file = path;
    where.json_path = "/id";
    where.value = ins.id;
    throw InstrumentError("file name and id disagree", where, "id \"" + id_or_path + "\"");
  }
  return ins;
}

}  // namespace attune
