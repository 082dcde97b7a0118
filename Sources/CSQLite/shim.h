// The system SQLite (Debian: libsqlite3-dev), for misq export --to sqlite:FILE.
#include <sqlite3.h>
