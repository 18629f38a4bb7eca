// Tries to read a database file with plain SQLite, as anyone who finds the file would: prints the
// result code and SQLite's message, and exits with the primary result code (0 when it could read
// the schema). replicatest runs it in its own process, because a process that links SQLCipher must
// never also load plain SQLite (both export the sqlite3_* symbols).
#include <cstdio>
#include <sqlite3.h>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: plainsqliteprobe <database file>\n");
        return 2;
    }
    sqlite3* db = nullptr;
    // No SQLITE_OPEN_CREATE: a missing file must fail, not become an empty database that reads.
    int rc = sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    std::printf("%d %s\n", rc, rc == SQLITE_OK ? "ok" : sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc & 0xff;
}
