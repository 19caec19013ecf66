/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The lab store: one SQLite file, the only place that writes lab data.  Every
 * write goes through an audited call that appends to the audit chain in the
 * same transaction (cb-store-audit.h).  The workstation, the server and the
 * CLI share it.
 */

#define CB_STORE_ERROR (cb_store_error_quark ())

typedef enum
{
  CB_STORE_ERROR_IO,             /* the file cannot be opened or written */
  CB_STORE_ERROR_SCHEMA_TOO_NEW, /* written by a newer Calbench */
  CB_STORE_ERROR_NOT_FOUND,
  CB_STORE_ERROR_CONSTRAINT,     /* SQL constraint: names the table and field */
  CB_STORE_ERROR_INVALID,        /* a bad table, field or value */
  CB_STORE_ERROR_REASON_REQUIRED,/* a change to recorded data without a reason */
  CB_STORE_ERROR_TAMPERED,       /* the audit chain or a row does not match */
  CB_STORE_ERROR_BUSY,
  CB_STORE_ERROR_PERMISSION,     /* wrong password, locked account, missing authorisation */
  CB_STORE_ERROR_RULE,           /* a rule of the lab refuses it: names the standard, method, template… */
  CB_STORE_ERROR_MISMATCH,       /* stored results that a recomputation does not give */
} CbStoreError;

typedef struct _CbStore CbStore;

GQuark       cb_store_error_quark        (void);

/* Opens or creates @path and migrates it to the current schema. */
CbStore     *cb_store_open               (const char   *path,
                                          GError      **error);
void         cb_store_close              (CbStore      *store);
const char  *cb_store_get_path           (CbStore      *store);
int          cb_store_get_schema_version (CbStore      *store);
/* The schema this build writes. */
int          cb_store_current_schema     (void);

/* Who acts and where, recorded with every audit entry. */
void         cb_store_set_actor          (CbStore      *store,
                                          const char   *actor,
                                          const char   *workstation);
const char  *cb_store_get_actor          (CbStore      *store);
const char  *cb_store_get_workstation    (CbStore      *store);

/* A write is acknowledged only once commit returns TRUE. */
gboolean     cb_store_begin              (CbStore      *store,
                                          GError      **error);
gboolean     cb_store_commit             (CbStore      *store,
                                          GError      **error);
void         cb_store_rollback           (CbStore      *store);
/* Inside an open transaction: a write that fails between savepoint and
 * end (its rollbacks included) undoes only what was written since the
 * savepoint.  cb_store_savepoint_end keeps or drops it; keeping fails when
 * a failed write has already dropped it. */
gboolean     cb_store_savepoint          (CbStore      *store,
                                          GError      **error);
gboolean     cb_store_savepoint_end      (CbStore      *store,
                                          gboolean      keep,
                                          GError      **error);

/* Audited writes.  @fields and @values are NULL-terminated parallel arrays;
 * a NULL value (given through @n_fields) stores SQL NULL.  Each call runs in
 * its own transaction unless one is open. */
gint64       cb_store_insert             (CbStore            *store,
                                          const char         *table,
                                          const char * const *fields,
                                          const char * const *values,
                                          guint               n_fields,
                                          const char         *reason,
                                          GError            **error);
/* Changing recorded data needs a reason. */
gboolean     cb_store_update             (CbStore            *store,
                                          const char         *table,
                                          gint64              row,
                                          const char         *field,
                                          const char         *value,
                                          const char         *reason,
                                          GError            **error);
/* Nothing is deleted: a row is voided with a reason. */
gboolean     cb_store_void               (CbStore            *store,
                                          const char         *table,
                                          gint64              row,
                                          const char         *reason,
                                          GError            **error);
/* The current text of a field; NULL with an error when the row is missing,
 * NULL without one for SQL NULL. */
char        *cb_store_get_field          (CbStore            *store,
                                          const char         *table,
                                          gint64              row,
                                          const char         *field,
                                          GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbStore, cb_store_close)

G_END_DECLS
