#include <catch2/catch.hpp>

#include "samspil/text.hpp"

namespace samspil {
namespace {

TEST_CASE("well-formed UTF-8 is accepted, Danish letters and four-byte forms included",
          "[engine][text]") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("Åse Ærø Øster, konfliktråd"));
  CHECK(IsValidUtf8("\xF0\x9F\x99\x82"));      // U+1F642
  CHECK(IsValidUtf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF, the last code point
  CHECK(IsValidUtf8(std::string("a\0b", 3)));  // NUL is a character
}

TEST_CASE("ill-formed UTF-8 is refused: stray, truncated, overlong, surrogate, too large",
          "[engine][text]") {
  CHECK_FALSE(IsValidUtf8("\x80"));              // a continuation byte alone
  CHECK_FALSE(IsValidUtf8("\xC3"));              // "Ã" cut short
  CHECK_FALSE(IsValidUtf8("\xE6\x97"));          // three-byte form cut short
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // "/" overlong
  CHECK_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // "/" overlong in three bytes
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800, a surrogate
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(IsValidUtf8("\xFF"));
  CHECK_FALSE(IsValidUtf8("ok\xDE"));
}

TEST_CASE("ToValidUtf8 replaces each bad byte with U+FFFD and keeps the rest",
          "[engine][text]") {
  CHECK(ToValidUtf8("Åse") == "Åse");
  CHECK(ToValidUtf8("G\xDE\xDE!") == "G\xEF\xBF\xBD\xEF\xBF\xBD!");
  CHECK(ToValidUtf8("\xC3") == "\xEF\xBF\xBD");
  CHECK(IsValidUtf8(ToValidUtf8("\xED\xA0\x80 \xF4\x90\x80\x80 \x80")));
}

}  // namespace
}  // namespace samspil
