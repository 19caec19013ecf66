/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/cb-record.h"
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
/* The record as the engine computes it: its template version's document, its
 * saved data, and every reading entered since (cb-store-readings.h),
 * recomputed.  Loading does not compare with the stored results:
 * cb_store_record_verify() does, from the saved data alone. */
CbRecord *cb_store_record_load         (CbStore            *store,
                                        gint64              record_id,
                                        GError            **error);
/* Recomputes the record from its stored data and compares with its stored
 * results; a difference is CB_STORE_ERROR_MISMATCH naming the first cell
 * and both values. */
gboolean  cb_store_record_verify       (CbStore            *store,
                                        gint64              record_id,
                                        GError            **error);
/* The newest record of a task, 0 when it has none yet. */
gint64    cb_store_record_find_for_task (CbStore           *store,
                                        gint64              task_id,
                                        GError            **error);
/* Ids of the records that hold computed results, in order. */
GArray   *cb_store_record_list_computed (CbStore           *store,
                                        GError            **error);
/* Stores what @record holds (its data and every computed result) as
 * cb_store_record_set_data() does, with the same rules. */
gboolean  cb_store_record_save         (CbStore            *store,
                                        gint64              record_id,
                                        gint64              staff_id,
                                        CbRecord           *record,
                                        const char         *reason,
                                        GError            **error);
/* SHA-256 (hex) of the record's data and results: what a signature binds. */
char     *cb_store_record_hash         (CbStore            *store,
                                        gint64              record_id,
                                        GError            **error);


G_END_DECLS
