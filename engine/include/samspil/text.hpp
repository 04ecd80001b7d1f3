// Text as the outside world may send it. JSON (RFC 8259 §8.1) and every client we answer
// expect UTF-8; one invalid byte echoed into an answer makes the whole answer unreadable to
// a strict client.
#pragma once

#include <string>
#include <string_view>

namespace samspil {

// Whether `text` is well-formed UTF-8: no stray continuation bytes, no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);

// `text` with every ill-formed sequence replaced by U+FFFD, for echoing input in a message.
std::string ToValidUtf8(std::string_view text);

}  // namespace samspil
