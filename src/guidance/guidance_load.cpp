// Loading and validating a guidance pack. Every check names the file and the JSON path, because a
// translator editing guidance/<lang>/ must be able to find a mistake without reading C++. This file
// reads the folder, the sources, the forbidden words and the ui strings and runs the word check; the
// content files are read in pack_content.cpp, rules.json in pack_rules.cpp (pack_loader.hpp).
#include "../data_dirs.hpp"
#include "pack_loader.hpp"

#include <attune/error.hpp>
#include <attune/limits.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace attune {

namespace detail {

int stage_index(const std::string& name) {
  for (std::size_t i = 0; i < kStageNames.size(); ++i) {
    if (name == kStageNames[i]) return static_cast<int>(i);
  }
  return -1;
}

int slot_index(const GuidanceData& g, const std::string& slot) {
  for (std::size_t i = 0; i < g.slots.size(); ++i) {
    if (g.slots[i] == slot) return static_cast<int>(i);
  }
  return -1;
}

std::string read_pack_file(const fs::path& p) { return read_document(p.string(), "guidance file"); }

PackFile::PackFile(const fs::path& p, std::initializer_list<const char*> fields)
    : name(p.string()), doc(parse_json(read_pack_file(p), name, kPackErrorKind)), root(doc, "", name, kPackErrorKind) {
  root.allow_only(fields);
}

std::vector<std::string> nonempty_strings(const JsonNode& list) {
  list.require_array();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(list.at(i).nonempty_str());
  return out;
}

namespace {

bool valid_id(const std::string& id) {
  // <file>.<key>[.<sub>...]: lowercase letters, digits and '_' between dots.
  if (id.empty() || id.front() == '.' || id.back() == '.') return false;
  bool dot = false;
  char prev = 0;
  for (char c : id) {
    if (c == '.') {
      if (prev == '.') return false;
      dot = true;
    } else if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
    prev = c;
  }
  return dot;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

}  // namespace

void PackLoader::claim_id(const JsonNode& node, const std::string& id, const std::string& prefix, const std::string& file) {
  if (!valid_id(id)) node.fail("malformed id '" + id + "'", "lowercase letters, digits and '_' separated by dots, e.g. roadmap.step1");
  if (!starts_with(id, prefix + ".")) node.fail("id '" + id + "' does not start with '" + prefix + ".'", "an id under " + prefix);
  auto [it, fresh] = id_file.emplace(id, file);
  if (!fresh) node.fail("duplicate id '" + id + "' (also in " + it->second + ")", "ids unique across the pack");
}

SourceRef PackLoader::source(const JsonNode& n) {
  n.allow_only({"article", "section"});
  SourceRef s;
  JsonNode a = n.at("article");
  s.article = a.nonempty_str();
  const Article* art = nullptr;
  for (const auto& x : g.articles) {
    if (x.id == s.article) art = &x;
  }
  if (!art) a.fail("unknown article '" + s.article + "'", "an article id from sources.json");
  JsonNode sec = n.at("section");
  s.section = sec.nonempty_str();
  if (std::find(art->sections.begin(), art->sections.end(), s.section) == art->sections.end()) {
    sec.fail("'" + s.section + "' is not a section of " + s.article, "a heading listed for that article in sources.json");
  }
  return s;
}

void PackLoader::read_also_from(const JsonNode& entry, ContentEntry& c) {
  if (!entry.has("also_from")) return;
  JsonNode af = entry.at("also_from");
  af.require_array();
  for (std::size_t k = 0; k < af.size(); ++k) c.also_from.push_back(source(af.at(k)));
}

void PackLoader::load_sources(const fs::path& p) {
  const PackFile file(p, {"format", "lang", "file", "articles"});
  const JsonNode& root = file.root;
  JsonNode arts = root.at("articles");
  arts.require_array();
  for (std::size_t i = 0; i < arts.size(); ++i) {
    JsonNode a = arts.at(i);
    // title_note is for maintainers (why a title is descriptive) and never reaches a plan.
    a.allow_only({"id", "title", "title_note", "publisher", "seed_file", "sections", "section_notes", "left_out", "author"});
    Article art;
    art.id = a.at("id").nonempty_str();
    art.title = a.at("title").nonempty_str();
    if (a.has("publisher")) art.publisher = a.at("publisher").str();
    art.sections = nonempty_strings(a.at("sections"));
    g.articles.push_back(std::move(art));
  }
}

void PackLoader::load_forbidden(const fs::path& p) {
  const PackFile file(p, {"words", "allowed_phrases", "why"});
  const JsonNode& root = file.root;
  g.forbidden = nonempty_strings(root.at("words"));
  if (root.has("allowed_phrases")) g.allowed = nonempty_strings(root.at("allowed_phrases"));
}

void PackLoader::load_ui(const fs::path& p) {
  const PackFile file(p, {"format", "lang", "file", "strings"});
  const JsonNode& root = file.root;
  JsonNode s = root.at("strings");
  s.require_object();
  for (auto it = s.raw().begin(); it != s.raw().end(); ++it) {
    JsonNode v = s.child(it.key());
    if (!starts_with(it.key(), "ui.")) v.fail("ui string id '" + it.key() + "' does not start with 'ui.'", "ids like ui.section.focus");
    g.ui[it.key()] = v.nonempty_str();
  }
}

// Every string in every file goes through the word check, so a translation cannot slip a shaming
// or diagnostic word past the tests by adding a new field.
void PackLoader::scan_words(const json& v, const std::string& path, const std::string& file) {
  if (v.is_string()) {
    std::string hit = find_forbidden_in(v.get<std::string>());
    if (!hit.empty()) {
      Location where;
      where.file = file;
      where.json_path = path.empty() ? "/" : path;
      where.value = hit;
      throw Error(kPackErrorKind, "text uses the forbidden word '" + hit + "'", where, "wording without the words in forbidden-words.json (speak of patterns and tendencies)");
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) scan_words(v[i], path + "/" + std::to_string(i), file);
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) scan_words(*it, path + "/" + it.key(), file);
  }
}

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (static_cast<unsigned char>(c) & 0x80); }

std::string find_forbidden(const std::vector<std::string>& words, const std::vector<std::string>& allowed, const std::string& text) {
  std::string t = lower(text);
  for (const auto& a : allowed) {
    std::string la = lower(a);
    for (std::size_t pos; (pos = t.find(la)) != std::string::npos;) t.replace(pos, la.size(), " ");
  }
  for (const auto& w : words) {
    std::string lw = lower(w);
    for (std::size_t pos = t.find(lw); pos != std::string::npos; pos = t.find(lw, pos + 1)) {
      bool left = pos == 0 || !word_char(t[pos - 1]);
      bool right = pos + lw.size() >= t.size() || !word_char(t[pos + lw.size()]);
      if (left && right) return w;
    }
  }
  return {};
}

std::vector<fs::path> guidance_dirs() { return detail::data_search_dirs("ATTUNE_GUIDANCE_PATH", "guidance", ATTUNE_INSTALLED_GUIDANCE, ATTUNE_SOURCE_GUIDANCE); }

}  // namespace

std::string PackLoader::find_forbidden_in(const std::string& text) const { return find_forbidden(g.forbidden, g.allowed, text); }

}  // namespace detail

const std::string* ContentEntry::text_field(const std::string& name) const {
  for (const auto& t : texts) {
    if (t.first == name) return &t.second;
  }
  return nullptr;
}

// The JSON walker throws the base Error with kind usage; callers catch UsageError.
Guidance Guidance::from_directory(const std::string& folder) {
  try {
    return load_folder(folder);
  } catch (const UsageError&) {
    throw;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) throw;
    throw UsageError(e.message(), e.where(), e.expected());
  }
}

Guidance Guidance::load_folder(const std::string& folder) {
  using namespace detail;
  auto data = std::make_shared<GuidanceData>();
  std::error_code ec;
  fs::path dir(folder);
  if (!fs::is_directory(dir, ec)) {
    Location where;
    where.file = folder;
    throw IoError("guidance folder not found", where);
  }
  data->folder = fs::absolute(dir, ec).lexically_normal().string();
  data->lang = dir.lexically_normal().filename().string();
  if (data->lang.empty()) data->lang = dir.lexically_normal().parent_path().filename().string();
  PackLoader L{*data, {}, {}};
  auto need = [&](const char* f) {
    fs::path p = dir / f;
    if (!fs::is_regular_file(p, ec)) {
      Location where;
      where.file = p.string();
      throw IoError(std::string("guidance pack is missing ") + f, where);
    }
    return p;
  };
  L.load_sources(need("sources.json"));
  L.load_forbidden(need("forbidden-words.json"));
  L.load_ui(need("ui.json"));
  std::vector<fs::path> content;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".json") continue;
    std::string f = e.path().filename().string();
    if (f == "sources.json" || f == "forbidden-words.json" || f == "ui.json" || f == "rules.json") continue;
    content.push_back(e.path());
  }
  std::sort(content.begin(), content.end());  // directory order is not stable across file systems
  for (const auto& p : content) L.load_content(p);
  L.load_rules(need("rules.json"));
  for (const auto& p : content) L.scan_words(parse_json(read_pack_file(p), p.string(), ErrorKind::usage), "", p.string());
  for (const char* f : {"ui.json", "rules.json"}) {
    fs::path p = dir / f;
    L.scan_words(parse_json(read_pack_file(p), p.string(), ErrorKind::usage), "", p.string());
  }
  Guidance gd;
  gd.data_ = std::move(data);
  return gd;
}

Guidance Guidance::load(const std::string& lang) {
  for (const auto& dir : detail::guidance_dirs()) {
    std::error_code ec;
    fs::path p = dir / lang;
    if (fs::is_regular_file(p / "rules.json", ec)) return from_directory(p.string());
  }
  std::string known;
  for (const auto& l : guidance_languages()) known += (known.empty() ? "" : ", ") + l;
  Location where;
  where.value = lang;
  throw UsageError("no guidance pack for language '" + lang + "'", where,
                   "one of: " + (known.empty() ? std::string("none found; set ATTUNE_GUIDANCE_PATH") : known));
}

std::vector<std::string> guidance_languages() {
  std::set<std::string> langs;
  for (const auto& dir : detail::guidance_dirs()) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (fs::is_regular_file(e.path() / "rules.json", ec)) langs.insert(e.path().filename().string());
    }
  }
  return {langs.begin(), langs.end()};
}

const std::string& Guidance::lang() const { return data_->lang; }
const std::string& Guidance::folder() const { return data_->folder; }
const std::vector<ContentEntry>& Guidance::entries() const { return data_->entries; }
const ContentEntry* Guidance::find(const std::string& id) const {
  auto it = data_->entry_by_id.find(id);
  return it == data_->entry_by_id.end() ? nullptr : &data_->entries[it->second];
}
const Article* Guidance::article(const std::string& id) const {
  for (const auto& a : data_->articles) {
    if (a.id == id) return &a;
  }
  return nullptr;
}
std::string Guidance::ui(const std::string& id) const {
  auto it = data_->ui.find(id);
  return it == data_->ui.end() ? id : it->second;
}
const std::vector<std::string>& Guidance::forbidden_words() const { return data_->forbidden; }
const std::vector<std::string>& Guidance::allowed_phrases() const { return data_->allowed; }
std::string Guidance::find_forbidden(const std::string& text) const {
  return detail::find_forbidden(data_->forbidden, data_->allowed, text);
}

}  // namespace attune
