/*
 * xmlerr.h - the libxml2 error capture shared by the XML loaders. Each
 * loader installs emb_xml_on_error on its own reader
 * (xmlTextReaderSetStructuredErrorHandler(rd, emb_xml_on_error, &err)), so
 * no process-wide libxml2 state is touched; the first error is kept, on one
 * line, for a "label:line:col: message" report.
 */
#ifndef EMB_XMLERR_H
#define EMB_XMLERR_H

#include "util/compat.h"
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

typedef struct emb_xml_err {
    bool fail;        /* libxml2 reported an error */
    int line, col;    /* where */
    char msg[256];    /* its message, on one line */
} emb_xml_err;

#if LIBXML_VERSION >= 21200
void emb_xml_on_error(void *arg, const xmlError *e);
#else
void emb_xml_on_error(void *arg, xmlErrorPtr e);
#endif

#endif
