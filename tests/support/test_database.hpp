// A fresh, empty database per test, on either backend, with raw SQL access that bypasses
// the store (to inspect what it wrote, or to tamper with it as an attacker could).
//
// SQLite always; PostgreSQL when a server is configured or required (backends.hpp). Each
// PostgreSQL test gets a database of its own, dropped afterwards.
#pragma once

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "samspil/adapters/ids.hpp"
#include "support/backends.hpp"

namespace samspil::test {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() / ("samspil-test-" + RandomHex(8));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class TestDatabase {
 public:
  explicit TestDatabase(std::string backend) : backend_(std::move(backend)) {
    if (sqlite()) {
      url_ = "sqlite:" + (dir_.path() / "test.db").string();
      return;
    }
    if (PostgresAdminUrl() == nullptr) FAIL(kPostgresRequiredButMissing);
    const std::string admin = PostgresAdminUrl();
    name_ = "samspil_test_" + RandomHex(6);
    const auto slash = admin.rfind('/');
    REQUIRE(slash != std::string::npos);
    url_ = admin.substr(0, slash + 1) + name_;
    AdminExec("CREATE DATABASE " + name_);
  }

  ~TestDatabase() {
    if (sqlite()) return;
    try {
      AdminExec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
      // A leftover test database is harmless; the next run uses a new name.
    }
  }

  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& backend() const { return backend_; }
  bool sqlite() const { return backend_ == "sqlite"; }
  const TempDir& dir() const { return dir_; }

  void Exec(const std::string& sql) {
    soci::session session = Open();
    if (sqlite()) session << "PRAGMA foreign_keys = ON";  // as the store's own connections
    session << sql;
  }

  // All rows as text, "v1|v2|...|" per line, NULL as "NULL".
  std::string Query(const std::string& sql) {
    soci::session session = Open();
    soci::rowset<soci::row> rows = (session.prepare << sql);
    std::ostringstream out;
    for (const soci::row& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (row.get_indicator(i) == soci::i_null) {
          out << "NULL|";
          continue;
        }
        switch (row.get_properties(i).get_data_type()) {
          case soci::dt_string:
            out << row.get<std::string>(i);
            break;
          case soci::dt_integer:
            out << row.get<int>(i);
            break;
          case soci::dt_long_long:
            out << row.get<long long>(i);
            break;
          case soci::dt_unsigned_long_long:
            out << row.get<unsigned long long>(i);
            break;
          case soci::dt_double:
            out << row.get<double>(i);
            break;
          case soci::dt_date:
            out << "date";
            break;
          case soci::dt_blob:
            out << "blob";
            break;
          case soci::dt_xml:
            out << "xml";
            break;
        }
        out << "|";
      }
      out << "\n";
    }
    return out.str();
  }

  // Removes the database's refusal to edit an append-only table, as an attacker with
  // direct access could.
  void AllowEditing(const std::string& table) {
    if (sqlite()) {
      Exec("DROP TRIGGER " + table + "_no_UPDATE");
      Exec("DROP TRIGGER " + table + "_no_DELETE");
    } else {
      Exec("ALTER TABLE " + table + " DISABLE TRIGGER " + table + "_append_only");
    }
  }

 private:
  soci::session Open() {
    if (sqlite())
      return soci::session(*soci::factory_sqlite3(),
                           "db=\"" + (dir_.path() / "test.db").string() + "\"");
    return soci::session(*soci::factory_postgresql(), Keywords(url_));
  }

  void AdminExec(const std::string& sql) {
    soci::session session(*soci::factory_postgresql(), Keywords(PostgresAdminUrl()));
    session << sql;
  }

  // postgresql://user:pass@host:port/db -> libpq keywords (test URLs hold no special
  // characters, so no quoting is needed here).
  static std::string Keywords(const std::string& url) {
    const std::string rest = url.substr(url.find("://") + 3);
    const auto at = rest.find('@');
    const std::string userinfo = rest.substr(0, at);
    const std::string hostpart = rest.substr(at + 1);
    const auto slash = hostpart.find('/');
    const std::string hostport = hostpart.substr(0, slash);
    const auto colon = hostport.find(':');
    const auto ucolon = userinfo.find(':');
    std::string out = "host=" + hostport.substr(0, colon);
    if (colon != std::string::npos) out += " port=" + hostport.substr(colon + 1);
    out += " dbname=" + hostpart.substr(slash + 1);
    out += " user=" + userinfo.substr(0, ucolon);
    if (ucolon != std::string::npos) out += " password=" + userinfo.substr(ucolon + 1);
    return out;
  }

  std::string backend_;
  TempDir dir_;
  std::string url_;
  std::string name_;
};

}  // namespace samspil::test
