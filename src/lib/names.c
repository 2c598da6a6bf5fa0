/*
 * names.c - the fixed names of enums, used in JSON output and the CLI. They
 * are part of the output contract: extend, never rename.
 */
#include "util/compat.h"
#include "embargo.h"

EMB_API const char *emb_version(void)
{
    return EMB_VERSION_STRING;
}

EMB_API const char *emb_schema_name(emb_schema s)
{
    switch (s) {
    case EMB_SCHEMA_PERSON: return "Person";
    case EMB_SCHEMA_ORGANIZATION: return "Organization";
    case EMB_SCHEMA_VESSEL: return "Vessel";
    case EMB_SCHEMA_AIRCRAFT: return "Airplane";
    default: return "Thing";
    }
}

EMB_API const char *emb_name_kind_name(emb_name_kind k)
{
    switch (k) {
    case EMB_NAME_PRIMARY: return "primary";
    case EMB_NAME_ALIAS: return "alias";
    case EMB_NAME_WEAK: return "weak_alias";
    case EMB_NAME_FORMER: return "former_name";
    case EMB_NAME_ORIGINAL: return "original_script";
    case EMB_NAME_VESSEL: return "vessel_in_remarks";
    default: return "unknown";
    }
}

EMB_API const char *emb_id_kind_name(emb_id_kind k)
{
    switch (k) {
    case EMB_ID_PASSPORT: return "passport";
    case EMB_ID_NATIONAL: return "national_id";
    case EMB_ID_IMO: return "imo";
    case EMB_ID_IMO_COMPANY: return "imo_company";
    case EMB_ID_MMSI: return "mmsi";
    case EMB_ID_REGISTRATION: return "registration";
    default: return "other";
    }
}

EMB_API const char *emb_align_kind_name(emb_align_kind k)
{
    switch (k) {
    case EMB_ALIGN_EXACT: return "exact";
    case EMB_ALIGN_VARIANT: return "variant";
    case EMB_ALIGN_FUZZY: return "fuzzy";
    case EMB_ALIGN_INITIAL: return "initial";
    case EMB_ALIGN_MISSING: return "missing";
    case EMB_ALIGN_EXTRA: return "extra";
    default: return "unknown";
    }
}

EMB_API const char *emb_evidence_field_name(emb_evidence_field f)
{
    switch (f) {
    case EMB_EV_BIRTH_DATE: return "birth_date";
    case EMB_EV_COUNTRY: return "country";
    case EMB_EV_IDENTIFIER: return "identifier";
    case EMB_EV_GENDER: return "gender";
    default: return "unknown";
    }
}

EMB_API const char *emb_evidence_outcome_name(emb_evidence_outcome o)
{
    switch (o) {
    case EMB_EV_AGREE: return "agree";
    case EMB_EV_CONFLICT: return "conflict";
    case EMB_EV_NO_DATA: return "no_data";
    default: return "unknown";
    }
}
