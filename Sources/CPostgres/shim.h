// libpq, PostgreSQL's own client library (Debian: libpq-dev), for
// misq export --to postgres://… and the PostgreSQL engine. Debian keeps its
// headers under postgresql/, which a system library target cannot add to
// the search path, so the path is spelled here.
#include <postgresql/libpq-fe.h>
