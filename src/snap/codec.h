/*
 * codec.h - the binary record of one entity and of one list descriptor, as
 * stored in the memory-mapped snapshot file (issue #4).
 *
 * A record is position independent: it holds no pointer, only offsets from
 * its own first byte, so it can be mapped at any 8-byte aligned address and
 * decoded in place. Decoding allocates the entity's arrays in an arena and
 * points every string INTO the record (zero copy): the record must stay
 * mapped, unchanged, for as long as the decoded entity is used.
 *
 * Ownership:
 * - put: appends to the caller's emb_buf (respecting its cap); on failure
 *   out is left exactly as it was. Nothing is retained from e.
 * - get: every array of *out lives in the arena `a` (freed with the arena);
 *   every string of *out points into rec[0..len) (valid while rec is). On
 *   failure *out is untouched, and `a` may hold unused memory.
 *
 * Format, version 1 (EMB_CODEC_VERSION). All integers little-endian; a
 * string reference ("ref") is a u32 offset from the record's first byte to
 * a NUL-terminated string in the record's string area, or 0xFFFFFFFF for
 * NULL. Every field below is at a 4-byte aligned offset.
 *
 *   entity record
 *     0  u32 size        record bytes, padding included; a multiple of 8
 *     4  u8  version     1
 *     5  u8  schema      emb_schema, 0..4
 *     6  u16 counts[10]  names, birth_dates, birth_places, nationalities,
 *                        identifiers, addresses, titles, designations,
 *                        updated_on, programs; each <= EMB_DRAFT_MAX_VALUES
 *    26  u16 strmask     bit k set when string k below is present (not
 *                        NULL); bits 0..3 (the required ones) set, bit 15 0
 *    28  u32 list_index  < EMB_MODEL_MAX_LISTS
 *    32  ref str[n]      the present ones of: id, list, reference, caption,
 *                        regime, program, listed_on, remarks, gender, flag,
 *                        flag_cc, vessel_type, call_sign, tonnage, owner
 *                        (n = bits set in strmask; most are rarely given)
 *  32+4n then the arrays, in the order of counts[], back to back:
 *        name        12 bytes: ref full, ref note, u16 nparts (<= cap),
 *                              u8 kind (0..5), u8 0
 *        date        12 bytes: u16 year, u16 year_to (0..9999), u8 prec
 *                              (0..5), u8 month (0..12), u8 day (0..31),
 *                              u8 0, ref raw
 *        place       28 bytes: ref street, city, state, zip, country, cc, note
 *        country      8 bytes: ref name, ref cc
 *        identifier  28 bytes: ref type, number, norm, country, cc, note,
 *                              u8 kind (0..6), u8 0, u8 0, u8 0
 *        (birth_places, then nationalities, identifiers, addresses)
 *        ref pool[]  every name's parts (names in order), then titles,
 *                    designations, updated_on, programs
 *    ..  string area, up to `size`: NUL-terminated strings (each distinct
 *        string once), then zero padding to a multiple of 8.
 *
 *   list record
 *     0  u32 size
 *     4  u8  version 1, u8 0, u16 0
 *     8  u32 nentities   <= EMB_MODEL_MAX_ENTITIES
 *    12  u32 nby_schema[5]   each <= nentities
 *    32  ref id, title, format, source, date
 *    52  string area, zero padding to a multiple of 8
 *
 * Validation on decode: size fits in len; version; every count against its
 * cap; every array inside the record; every enum and date field in range;
 * every ref NULL or inside the string area, whose last byte must be NUL (so
 * every string ends inside the record); the fields the model guarantees are
 * present (entity: id, list, reference, caption, names[0].full; list: id,
 * title, format, source). Strings are bytes: UTF-8 validity is not checked
 * here (the snapshot's checksum covers corruption). A record that fails is
 * EMB_EPARSE, with emb_err_last() naming the field, e.g.
 * "entity record: names[3].parts[1]: string offset 812 beyond record
 * length 640". The encoder refuses (EMB_EINVAL, or EMB_ETOOBIG for a cap)
 * exactly what the decoder would, so whatever decodes re-encodes.
 */
#ifndef EMB_SNAP_CODEC_H
#define EMB_SNAP_CODEC_H

#include "embargo.h"
#include "util/arena.h"
#include "util/buf.h"

#define EMB_CODEC_VERSION 1
#define EMB_CODEC_MAX_YEAR 9999

/* Append the record of e to out (little-endian, length a multiple of 8, so
 * records appended to an 8-aligned buffer stay 8-aligned). EMB_EINVAL for
 * an entity the format cannot hold (a missing required field, an enum or
 * date out of range), EMB_ETOOBIG for a count above its cap or a full out. */
int emb_codec_put_entity(emb_buf *out, const emb_entity *e);

/* Decode one record. rec[0..len) is the record (as located by the caller
 * from an offsets table; the record's own size may be smaller than len);
 * every emb_entity array is allocated in arena a, while every string points
 * INTO rec (zero copy), so rec must outlive the entity. Validates everything
 * (see above) and never reads outside rec[0..len): EMB_EPARSE on a bad
 * record, EMB_ENOMEM when the arena cannot allocate. */
int emb_codec_get_entity(emb_entity *out, const void *rec, size_t len, emb_arena *a);

/* The same for a list descriptor. get allocates nothing (the arena is taken
 * for symmetry and future fields); strings point into rec. */
int emb_codec_put_list(emb_buf *out, const emb_list_info *li);
int emb_codec_get_list(emb_list_info *out, const void *rec, size_t len, emb_arena *a);

#endif
