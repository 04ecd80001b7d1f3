#include "samspil/text.hpp"

#include <cstdint>

namespace samspil {
namespace {

// The length of the well-formed sequence at `at`, or 0 when it is ill-formed.
size_t SequenceLength(std::string_view s, size_t at) {
  const auto lead = static_cast<unsigned char>(s[at]);
  size_t n = 0;
  std::uint32_t cp = 0;
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) {
    n = 2;
    cp = lead & 0x1F;
  } else if ((lead >> 4) == 0xE) {
    n = 3;
    cp = lead & 0x0F;
  } else if ((lead >> 3) == 0x1E) {
    n = 4;
    cp = lead & 0x07;
  } else {
    return 0;
  }
  if (at + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[at + k]);
    if ((c >> 6) != 0x2) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t n = SequenceLength(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string ToValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t n = SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER, one per bad byte
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace samspil
