/*
 * qschema.c - the query schema names accepted from callers (batch files,
 * the HTTP API). Names are FollowTheMoney schema names, matched exactly and
 * case-sensitively as yente does, so a query valid for yente is valid here
 * and a typo ("person") is reported rather than silently widened to Thing.
 */
#include "util/compat.h"
#include <string.h>
#include "embargo.h"
#include "util/err.h"

static const struct {
    const char *name;
    emb_qschema schema;
} qschemas[] = {
    { "Thing", EMB_Q_THING },
    { "Person", EMB_Q_PERSON },
    { "Organization", EMB_Q_ORGANIZATION },
    { "Company", EMB_Q_ORGANIZATION },
    { "LegalEntity", EMB_Q_LEGAL_ENTITY },
    { "Vessel", EMB_Q_VESSEL },
    { "Airplane", EMB_Q_AIRPLANE },
};

EMB_API int emb_qschema_parse(emb_qschema *out, const char *s)
{
    if (!out || !s)
        return emb_err_set(EMB_EINVAL, "no schema given");
    for (size_t i = 0; i < EMB_ARRAY_LEN(qschemas); i++) {
        if (strcmp(s, qschemas[i].name) == 0) {
            *out = qschemas[i].schema;
            return EMB_OK;
        }
    }
    /* the caller names the value: it may be long or not even UTF-8 */
    return emb_err_set(EMB_EINVAL, "unknown schema");
}
