#pragma once
// Item wording at run time. Published questionnaire wording belongs to its authors, so attune never
// ships it: a user who has the right to use it supplies a text pack (one JSON file per instrument and
// language) with each item's wording and the response anchors. Format: docs/cli.md, "Text packs".
#include <attune/export.hpp>
#include <attune/instrument.hpp>

#include <map>
#include <string>

namespace attune {

class ATTUNE_API TextPack {
 public:
  // Parses and validates against `instrument`: the instrument id matches, every item has wording,
  // no unknown item ids, one anchor per response value. Errors are TextPackError naming the file,
  // the JSON path and what was expected.
  static TextPack from_json_text(const std::string& text, const std::string& source_name, const Instrument& instrument);
  static TextPack from_file(const std::string& path, const Instrument& instrument);

  const std::string& instrument_id() const { return instrument_id_; }
  const std::string& lang() const { return lang_; }
  const std::string& instructions() const { return instructions_; }  // may be empty
  const std::string& source() const { return source_; }
  const std::string& item(const std::string& item_id) const;         // wording; throws UsageError if unknown
  const std::string& anchor(int value) const;                        // throws UsageError if off the scale
  const std::map<int, std::string>& anchors() const { return anchors_; }

 private:
  static TextPack parse(const std::string& text, const std::string& source_name, const Instrument& instrument);
  std::string instrument_id_, lang_, instructions_, source_;
  std::map<std::string, std::string> items_;
  std::map<int, std::string> anchors_;
};

}  // namespace attune
