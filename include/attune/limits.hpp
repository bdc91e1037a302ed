#pragma once
// Documented maximums that protect the caller (docs/robustness.md, "Limits"), and the bounded reader
// that enforces the one on JSON documents.
#include <attune/export.hpp>

#include <cstddef>
#include <string>

namespace attune {

// A JSON document that is read whole and parsed into memory: an instrument file, a text pack, one
// person's answers, a saved result, a norms file, a guidance file. 16 MiB is over 500 times the
// largest shipped file (a 1000-item instrument with long labels stays under 1 MiB), and it keeps a
// parsed document (several times its text) well inside a small machine's memory. Larger text is a
// LimitError (ErrorKind::limit) naming the file, the limit and the size seen. JSON Lines data are
// not documents: each line is a record, bounded by BatchOptions::max_record_bytes (64 MiB).
inline constexpr std::size_t kMaxJsonDocumentBytes = std::size_t{16} << 20;

// Reads a whole file ("-" is standard input) of at most max_bytes. A regular file is checked by its
// size before anything is read; a pipe is read until max_bytes + 1 bytes at most, so a 10 GB input
// costs neither the time nor the memory to read it. Throws LimitError naming the file (`what` says
// what it is, e.g. "instrument file"), the limit and the size seen; IoError when the file cannot be
// opened or read.
// Pretty-printing width of the to_json functions: -1 compact, 0..16 spaces. nlohmann's serializer
// grows its indent buffer by doubling once, so a larger width read past it; 16 is more than any reader needs.
inline constexpr int kMaxJsonIndent = 16;

// UsageError unless indent is -1 (compact) or 0..kMaxJsonIndent; every to_json(..., indent) checks it.
ATTUNE_API void check_json_indent(int indent);

// The answers' scale (ScoringOptions::data_scale, --response-scale, data_scale in the bindings) is
// bounded as an instrument's response_scale is: both ends within -1000..1000, so min + max (the
// reverse keying) and every sum of answers stay far inside an int.
inline constexpr int kMaxResponseScaleValue = 1000;

ATTUNE_API std::string read_document(const std::string& path, const std::string& what,
                                     std::size_t max_bytes = kMaxJsonDocumentBytes);

}  // namespace attune
