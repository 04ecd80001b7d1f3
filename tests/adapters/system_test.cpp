// Password hashing, random ids and the JSON mapping of field values.
#include <set>

#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/json_data.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "support/builders.hpp"

namespace samspil::test {
namespace {

TEST_CASE("a password hash verifies the password and nothing else", "[system]") {
  Pbkdf2PasswordHasher hasher(1000);  // the production cost is 600,000; the format is the same
  const std::string stored = hasher.Hash("korrekt hest");
  CHECK(stored.rfind("pbkdf2-sha256$1000$", 0) == 0);
  CHECK(hasher.Verify("korrekt hest", stored));
  CHECK_FALSE(hasher.Verify("korrekt Hest", stored));
  CHECK_FALSE(hasher.Verify("", stored));
  CHECK(hasher.Hash("korrekt hest") != stored);  // salted
}

TEST_CASE("the default hash cost is at least 600,000 PBKDF2 iterations", "[system]") {
  CHECK(Pbkdf2PasswordHasher::kDefaultIterations >= 600000);
  // A hash made with another cost still verifies: the cost is read from the stored value.
  const std::string cheap = Pbkdf2PasswordHasher(2000).Hash("pw");
  CHECK(Pbkdf2PasswordHasher(1000).Verify("pw", cheap));
}

TEST_CASE("a malformed stored hash never verifies", "[system]") {
  Pbkdf2PasswordHasher hasher(1000);
  for (const std::string bad :
       {"", "plain", "pbkdf2-sha256$", "pbkdf2-sha256$x$00$00", "pbkdf2-sha256$1000$zz$00",
        "pbkdf2-sha256$1000$00$00", "md5$1$00$00"}) {
    INFO(bad);
    CHECK_FALSE(hasher.Verify("pw", bad));
  }
}

TEST_CASE("ids are prefixed and carry 128 random bits", "[system]") {
  RandomIdSource ids;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = ids.NewId("case_");
    CHECK(id.size() == 5 + 32);
    CHECK(id.rfind("case_", 0) == 0);
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("field values round-trip through JSON text, æøå included", "[system]") {
  Data data{{"flag", true},
            {"navn", std::string("Søren Ærø \"Å\"\n")},
            {"antal", 3.0},
            {"liste", std::vector<std::string>{"a", "b"}},
            {"tom", Value{}}};
  const std::string text = DataToJsonText(data);
  CHECK(text.find("Søren Ærø") != std::string::npos);  // UTF-8 kept readable
  auto back = DataFromJsonText(text);
  REQUIRE(back.ok());
  CHECK(*back == data);
}

TEST_CASE("JSON that is not a flat object of values is refused with its path", "[system]") {
  CHECK(DataFromJsonText("[1]").error().message == "data: expected an object");
  CHECK(DataFromJsonText("{\"a\": {\"b\": 1}}").error().message ==
        "data.a: expected null, a boolean, a number, a string or a list of strings");
  CHECK(DataFromJsonText("{\"a\": [1]}").error().message == "data.a[0]: expected a string");
  CHECK(DataFromJsonText("{\"a\": ").error().code == ErrorCode::kInvalidRequest);
}

}  // namespace
}  // namespace samspil::test
