/*
 * load.h - list loaders. Each loader parses one format from a buffer and
 * adds one list and its entities to a model. On any error it returns a
 * negative code with emb_err_last() naming the source and the position
 * (line, element, field); the caller then discards the whole model, so a
 * list is never loaded in part.
 */
#ifndef EMB_LOAD_H
#define EMB_LOAD_H

#include "model/model.h"

typedef enum emb_format {
    EMB_FMT_UNKNOWN = 0,
    EMB_FMT_UN_XML = 1
} emb_format;

/* Length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0. */
size_t emb_utf8_seq_len(const unsigned char *s, size_t n);

/* A list must be UTF-8 without NUL bytes: EMB_EPARSE naming label:line:col
 * otherwise. Checking before libxml2 sees the bytes gives a precise position
 * and keeps libxml2 away from its encoding auto-detection, whose errors go to
 * its process-wide error handler. */
int emb_load_check_utf8(const char *label, const unsigned char *s, size_t n);

/* Two entities a load added (from index first on) sharing their id (by_ref
 * 0) or their list reference (1): *a and *b, or both NULL when every key is
 * unique. EMB_ENOMEM (message naming label) when out of memory. A list's
 * primary key used twice makes it unusable: callers refuse the load. */
int emb_load_find_duplicate(const emb_model *m, size_t first, int by_ref, const char *label,
                            const emb_entity **a, const emb_entity **b);

#define EMB_XML_DETECT_WINDOW 4096   /* bytes of prolog searched for the root element */

/* Where the root element of XML content starts, skipping a BOM, the XML
 * declaration, comments and a DOCTYPE within the first
 * EMB_XML_DETECT_WINDOW bytes; sets *name to its local name (after any
 * "prefix:"). SIZE_MAX when there is no such element there. */
size_t emb_xml_root(const char *s, size_t len, const char **name, size_t *name_len);

/* An OFAC date as the CSV remarks and the XML write it: "10 Dec 1948",
 * "Dec 1948", "1962", ISO "1948-12-10", "circa 1947" / "approximately 1947"
 * (approximate year), "1960 to 1962" or "01 Jan 1960 to 31 Dec 1962" (a
 * range of years). Impossible days (31 Feb, 29 Feb 1981) are refused.
 * Leaves v->raw NULL; returns false when s[0..n) is not such a date. */
bool emb_ofac_date(const char *s, size_t n, emb_date *v);

/* Detect the format from the first bytes of the content. */
emb_format emb_load_detect(const void *data, size_t len);

/* UN Security Council Consolidated List XML (2020 and later layouts).
 * `label` names the source in messages and in the list descriptor. */
int emb_load_un_xml(emb_model *m, const char *label, const void *data, size_t len);

/* Detect and dispatch. */
int emb_load_buffer(emb_model *m, const char *label, const void *data, size_t len);

/* A list format beside the UN XML. Each loader file defines one of the
 * emb_loader_* objects below; emb_load_buffer asks each, in the order of
 * the table in load.c, whether the content is its format. `label` is the
 * source's path when it was read from a file (a loader may read sibling
 * files next to it, as the OFAC CSV set does) or a label for memory. */
typedef struct emb_loader {
    const char *format;   /* "ofac-csv", "ofac-xml", "ftm-jsonl", "eu-xml", "uk-csv" ... */
    /* 1 when data (its first bytes; len may be the whole file) is this format */
    int (*detect)(const char *data, size_t len);
    int (*load)(emb_model *m, const char *label, const void *data, size_t len);
} emb_loader;

extern const emb_loader emb_loader_ofac_csv;
extern const emb_loader emb_loader_ofac_xml;
extern const emb_loader emb_loader_ftm;
extern const emb_loader emb_loader_eu_xml;
extern const emb_loader emb_loader_uk;

#endif
