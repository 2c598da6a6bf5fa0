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

/* Detect the format from the first bytes of the content. */
emb_format emb_load_detect(const void *data, size_t len);

/* UN Security Council Consolidated List XML (2020 and later layouts).
 * `label` names the source in messages and in the list descriptor. */
int emb_load_un_xml(emb_model *m, const char *label, const void *data, size_t len);

/* Detect and dispatch. */
int emb_load_buffer(emb_model *m, const char *label, const void *data, size_t len);

#endif
