#pragma once
// One exception family. Every error says where it happened and what was expected, so a researcher
// can find the offending cell and an app can show a precise message.
#include <attune/export.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace attune {

// Stable numeric codes: the C ABI and the CLI exit status derive from these. Never renumber.
enum class ErrorKind : int {
  usage = 1,           // a caller passed something the API does not accept
  instrument = 2,      // an instrument file is malformed or inconsistent
  answer = 3,          // an answer is out of range, not an integer, or not a number
  data = 4,            // a data file is malformed (CSV syntax, ragged row, missing column)
  io = 5,              // a file could not be opened, read or written
  text_pack = 6,       // a text pack is malformed or does not fit its instrument
  limit = 7,           // an input exceeds a documented limit
  internal = 99,       // a bug in attune
};

ATTUNE_API const char* to_string(ErrorKind kind) noexcept;

// Where an error happened. Fields that do not apply are empty / -1.
struct ATTUNE_API Location {
  std::string file;         // path or "<stdin>"
  std::int64_t row = -1;    // 1-based data row (header excluded)
  std::int64_t line = -1;   // 1-based physical line in the file
  std::int64_t column = -1; // 1-based column number
  std::string column_name;  // header name of that column
  std::string item;         // instrument item id
  std::string value;        // the offending value, as read
  std::string json_path;    // RFC 6901 pointer into a JSON document

  static Location in_file(std::string path) {
    Location l;
    l.file = std::move(path);
    return l;
  }
};

class ATTUNE_API Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, Location where = {}, std::string expected = {});

  ErrorKind kind() const noexcept { return kind_; }
  const Location& where() const noexcept { return where_; }
  // The bare reason, without the location prefix that what() adds.
  const std::string& message() const noexcept { return message_; }
  const std::string& expected() const noexcept { return expected_; }

 private:
  ErrorKind kind_;
  std::string message_;
  Location where_;
  std::string expected_;
};

// Subclasses let callers catch one family; kind() tells them apart without RTTI.
class ATTUNE_API UsageError : public Error {
 public:
  explicit UsageError(std::string message, Location where = {}, std::string expected = {})
      : Error(ErrorKind::usage, std::move(message), std::move(where), std::move(expected)) {}
};
class ATTUNE_API InstrumentError : public Error {
 public:
  InstrumentError(std::string message, Location where, std::string expected = {})
      : Error(ErrorKind::instrument, std::move(message), std::move(where), std::move(expected)) {}
};
class ATTUNE_API AnswerError : public Error {
 public:
  AnswerError(std::string message, Location where, std::string expected = {})
      : Error(ErrorKind::answer, std::move(message), std::move(where), std::move(expected)) {}
};
class ATTUNE_API DataError : public Error {
 public:
  DataError(std::string message, Location where, std::string expected = {})
      : Error(ErrorKind::data, std::move(message), std::move(where), std::move(expected)) {}
};
class ATTUNE_API IoError : public Error {
 public:
  IoError(std::string message, Location where = {})
      : Error(ErrorKind::io, std::move(message), std::move(where)) {}
};
class ATTUNE_API TextPackError : public Error {
 public:
  TextPackError(std::string message, Location where, std::string expected = {})
      : Error(ErrorKind::text_pack, std::move(message), std::move(where), std::move(expected)) {}
};
class ATTUNE_API LimitError : public Error {
 public:
  LimitError(std::string message, Location where, std::string expected = {})
      : Error(ErrorKind::limit, std::move(message), std::move(where), std::move(expected)) {}
};

// "file, row 3, column 7 'Q7' (item q7), value '9'": the location part of what().
ATTUNE_API std::string describe(const Location& where);

// `text` with control characters made visible, for messages a person reads on a terminal: NUL
// becomes \0, tab \t, line feed \n, carriage return \r, any other byte below 0x20 and DEL \xHH.
// Other bytes (UTF-8 included) pass unchanged. Error::what() is built with it, so a value holding a
// NUL byte cannot cut a printed message short and an escape sequence cannot reach the terminal;
// Location::value and message() keep the raw bytes for programs.
ATTUNE_API std::string printable(const std::string& text);

}  // namespace attune
