// libFuzzer target: the text pack loader (attune::TextPack::from_json_text) against RQ, a small
// instrument (4 items, 1..7), so the fuzzer can reach a valid pack.
#include "fuzz_common.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const attune::Instrument rq = [] {
    attune_fuzz::use_source_instruments();
    return attune::load_instrument("rq");
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    attune::TextPack tp = attune::TextPack::from_json_text(text, "fuzz.json", rq);
    for (const auto& item : rq.items) (void)tp.item(item.id);
  } catch (const attune::Error& e) {
    attune_fuzz::check_message(e);
    // expected: a malformed pack or one that does not fit the instrument
  }
  return 0;
}
