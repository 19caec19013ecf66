/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Original records and their sign-off, with the lab's rules enforced here
 * whatever the caller: who may perform, check and approve; which standards,
 * methods and template versions a record may use; signatures in order; a
 * change after signing voids the signatures over the old data.
 */

typedef enum
{
  CB_SIGN_PERFORMED,
  CB_SIGN_CHECKED,
  CB_SIGN_APPROVED,
} CbSignMeaning;

/* A current (dated today) authorisation of @staff_id for @item; @kind is
 * "perform", "check" or "approve". */
gboolean  cb_store_check_authorisation (CbStore            *store,
                                        gint64              staff_id,
                                        const char         *item,
                                        const char         *kind,
                                        GError            **error);
/* Starts a record for @task_id from an approved template version, with the
 * standards used; refuses expired or out-of-service standards, a withdrawn
 * method, an unapproved template and an unauthorised performer. */
gint64    cb_store_record_create       (CbStore            *store,
                                        gint64              task_id,
                                        gint64              template_version_id,
                                        gint64              performer_id,
                                        const gint64       *standards,
                                        guint               n_standards,
                                        GError            **error);
/* Only the performer changes measured data; a change voids the signatures
 * that covered the old data and takes the record back to draft. */
gboolean  cb_store_record_set_data     (CbStore            *store,
                                        gint64              record_id,
                                        gint64              staff_id,
                                        const char         *data,
                                        const char         *results,
                                        const char         *reason,
                                        GError            **error);
/* Signs with the password again (the second component of the signature). */
gboolean  cb_store_record_sign         (CbStore            *store,
                                        gint64              record_id,
                                        gint64              signer_id,
                                        CbSignMeaning       meaning,
                                        const char         *password,
                                        GError            **error);
/* The checker or approver returns the record to its performer, with a reason. */
gboolean  cb_store_record_return       (CbStore            *store,
                                        gint64              record_id,
                                        gint64              staff_id,
                                        const char         *reason,
                                        GError            **error);
/* One value entered in a record's cell, with where it came from. */
typedef struct
{
  gint64  id;
  gint64  record_id;
  char   *cell;          /* "dcv/3/r/7" */
  char   *value;         /* as entered or as the instrument gave it */
  char   *source;        /* "typed" or "instrument" */
  char   *instrument;    /* identity and serial, NULL when typed */
  char   *raw_reply;     /* the instrument's whole reply, NULL when typed */
  char   *taken_at;      /* UTC, YYYY-MM-DDTHH:MM:SSZ */
  char   *environment;   /* JSON of the room's conditions at that time, or NULL */
} CbRecordReading;

void      cb_record_reading_free       (CbRecordReading    *reading);

/* Appends a reading of @record_id's @cell with its provenance; @source is
 * "typed" or "instrument" (which needs @instrument); @taken_at is ISO 8601
 * with a zone.  Readings are never replaced: a later one for the same cell
 * is the current one. */
gint64    cb_store_record_add_reading  (CbStore            *store,
                                        gint64              record_id,
                                        const char         *cell,
                                        const char         *value,
                                        const char         *source,
                                        const char         *instrument,
                                        const char         *raw_reply,
                                        const char         *taken_at,
                                        const char         *environment,
                                        GError            **error);
/* CbRecordReading of @record_id in the order they were taken. */
GPtrArray *cb_store_record_list_readings (CbStore          *store,
                                        gint64              record_id,
                                        GError            **error);
/* SHA-256 (hex) of the record's data and results: what a signature binds. */
char     *cb_store_record_hash         (CbStore            *store,
                                        gint64              record_id,
                                        GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbRecordReading, cb_record_reading_free)

G_END_DECLS
