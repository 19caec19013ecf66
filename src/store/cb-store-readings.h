/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/cb-record.h"
#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Readings: every value entered into a record's cell, typed or from an
 * instrument, with where it came from.  A changed value voids the reading
 * it replaces, with a reason, so a cell's history shows each old value,
 * who entered it and when, and why it was changed.
 */

typedef struct
{
  gint64    id;
  char     *cell;
  char     *value;
  char     *source;       /* "typed" or "instrument" */
  char     *instrument;   /* identity and serial, or NULL */
  char     *raw_reply;    /* the instrument's reply, or NULL */
  char     *taken_at;     /* UTC */
  char     *environment;  /* JSON of the conditions then, or NULL */
  char     *entered_by;   /* from the audit trail */
  char     *entered_at;
  gboolean  voided;
  char     *void_reason;
  char     *voided_by;
  char     *voided_at;
} CbStoredReading;

/* Where an entered value came from; NULL for a typed one. */
typedef struct
{
  const char *instrument;
  const char *raw_reply;
  const char *taken_at;     /* ISO 8601 with a zone; NULL: now */
  const char *environment;
} CbReadingSource;

void              cb_stored_reading_free        (CbStoredReading       *reading);

/* Appends a reading of @record_id's @cell with its provenance; @source is
 * "typed" or "instrument" (which needs @instrument); @taken_at is ISO 8601
 * with a zone.  Refused on an approved record.  A later reading of the same
 * cell is the current one; cb_store_record_enter() also voids the one it
 * replaces, with the reason. */
gint64            cb_store_record_add_reading   (CbStore               *store,
                                                 gint64                 record_id,
                                                 const char            *cell,
                                                 const char            *value,
                                                 const char            *source,
                                                 const char            *instrument,
                                                 const char            *raw_reply,
                                                 const char            *taken_at,
                                                 const char            *environment,
                                                 GError               **error);
/* Enters @text into @cell of @record and stores the reading in the same
 * transaction: a cell that already holds a reading needs @reason, and the
 * old reading is voided with it.  Only the record's performer enters
 * values, and not once the record is approved.  The record's saved data and
 * results are not rewritten: cb_store_record_save() does that; loading a
 * record brings back every reading entered since. */
gboolean          cb_store_record_enter         (CbStore               *store,
                                                 gint64                 record_id,
                                                 gint64                 staff_id,
                                                 CbRecord              *record,
                                                 const char            *cell,
                                                 const char            *text,
                                                 const CbReadingSource *source,
                                                 const char            *reason,
                                                 GError               **error);
/* The current (not voided) reading of every cell, in the order entered. */
GPtrArray        *cb_store_reading_list         (CbStore               *store,
                                                 gint64                 record_id,
                                                 GError               **error);
/* Every reading of one cell, oldest first, the voided ones with who voided
 * them, when and why. */
GPtrArray        *cb_store_reading_history      (CbStore               *store,
                                                 gint64                 record_id,
                                                 const char            *cell,
                                                 GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbStoredReading, cb_stored_reading_free)

G_END_DECLS
