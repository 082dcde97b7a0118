#include "sheetxml.h"
#include <stdlib.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

struct sheetxml {
    xmlParserCtxtPtr ctxt;
    sheetxml_callbacks cb;
    void *ctx;
};

static void on_start(void *user, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs) {
    (void)prefix; (void)nns; (void)ns; (void)ndefaulted;
    sheetxml *p = user;
    p->cb.start(p->ctx, local, uri, nattrs, attrs);
}

static void on_end(void *user, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri) {
    (void)prefix;
    sheetxml *p = user;
    p->cb.end(p->ctx, local, uri);
}

static void on_text(void *user, const xmlChar *bytes, int len) {
    sheetxml *p = user;
    p->cb.text(p->ctx, bytes, len);
}

static void on_subset(void *user, const xmlChar *name, const xmlChar *external, const xmlChar *system) {
    (void)name; (void)external; (void)system;
    sheetxml *p = user;
    p->cb.doctype(p->ctx);
}

// Errors are read from the context, not printed.
static void on_error(void *user, xmlErrorPtr error) { (void)user; (void)error; }

sheetxml *sheetxml_new(const sheetxml_callbacks *callbacks, void *ctx) {
    sheetxml *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->cb = *callbacks;
    p->ctx = ctx;
    xmlSAXHandler sax = {0};
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.internalSubset = on_subset;
    sax.serror = on_error;
    p->ctxt = xmlCreatePushParserCtxt(&sax, p, NULL, 0, NULL);
    if (!p->ctxt) { free(p); return NULL; }
    // No network, no entity substitution (the default), no DTD loading.
    xmlCtxtUseOptions(p->ctxt, XML_PARSE_NONET);
    return p;
}

int sheetxml_feed(sheetxml *p, const char *bytes, int len, int terminate) {
    return xmlParseChunk(p->ctxt, bytes, len, terminate);
}

void sheetxml_stop(sheetxml *p) { xmlStopParser(p->ctxt); }

const char *sheetxml_error(sheetxml *p) {
    xmlErrorPtr e = xmlCtxtGetLastError(p->ctxt);
    return e ? e->message : NULL;
}

int sheetxml_line(sheetxml *p) { return xmlSAX2GetLineNumber(p->ctxt); }
int sheetxml_column(sheetxml *p) { return xmlSAX2GetColumnNumber(p->ctxt); }

void sheetxml_free(sheetxml *p) {
    if (!p) return;
    if (p->ctxt) xmlFreeParserCtxt(p->ctxt);
    free(p);
}
