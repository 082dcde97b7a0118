// A thin push-parser interface over libxml2's SAX2, for the spreadsheet
// readers (Storage/Spreadsheet/XMLStream.swift says why libxml2). Kept in C
// so Swift never imports libxml2's headers, which pull in the system's ICU
// and clash with Foundation's own copy of it.
#ifndef SHEETXML_H
#define SHEETXML_H

typedef struct sheetxml_callbacks {
    // attrs: nattrs groups of five pointers (local name, prefix, URI,
    // value start, value end), as libxml2 gives them.
    void (*start)(void *ctx, const unsigned char *local, const unsigned char *uri, int nattrs, const unsigned char **attrs);
    void (*end)(void *ctx, const unsigned char *local, const unsigned char *uri);
    void (*text)(void *ctx, const unsigned char *bytes, int len);
    // A DOCTYPE: the caller refuses it (no workbook part has one).
    void (*doctype)(void *ctx);
} sheetxml_callbacks;

typedef struct sheetxml sheetxml;

/// A parser calling `callbacks` with `ctx`; NULL when out of memory.
sheetxml *sheetxml_new(const sheetxml_callbacks *callbacks, void *ctx);
/// Parses the next `len` bytes (`terminate`: the document ends here).
/// Returns 0, or libxml2's error code.
int sheetxml_feed(sheetxml *p, const char *bytes, int len, int terminate);
/// Stops the parse from inside a callback.
void sheetxml_stop(sheetxml *p);
/// The last error's message (NULL if none), and where the parser is.
const char *sheetxml_error(sheetxml *p);
int sheetxml_line(sheetxml *p);
int sheetxml_column(sheetxml *p);
void sheetxml_free(sheetxml *p);

#endif
