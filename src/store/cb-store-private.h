/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cb-store.h"

G_BEGIN_DECLS

#define CB_STORE_HASH_LENGTH 32

struct _CbStore
{
  sqlite3    *db;
  char       *path;
  char       *actor;
  char       *workstation;
  guint       depth;       /* nested begin calls; only the outermost commits */
  guint       password_iterations;

  /* Kept for the connection's life: the schema only changes when the file
   * is opened (migrations), so neither goes stale. */
  GHashTable *columns;     /* table → set of its column names */
  GHashTable *statements;  /* SQL text → prepared statement */

  /* The audit chain's last entry, so that an append need not read it back.
   * Valid only while chain_cached; a rollback or a commit by another
   * connection (seen through PRAGMA data_version) drops it. */
  gboolean    chain_cached;
  gint64      chain_seq;
  guint8      chain_hash[CB_STORE_HASH_LENGTH];
  gint64      data_version;
};

/* Sets @error from the connection's last error, naming @what. */
void      cb_store_set_sqlite_error (CbStore     *store,
                                     GError     **error,
                                     const char  *what);
gboolean  cb_store_exec             (CbStore     *store,
                                     const char  *sql,
                                     GError     **error);
/* A prepared statement kept for the connection's life, reset and with its
 * bindings cleared; the caller resets it again after use.  NULL with @error
 * set when @sql does not prepare. */
sqlite3_stmt *cb_store_prepare_cached (CbStore     *store,
                                       const char  *sql,
                                       GError     **error);
/* The audit text of a blob: "sha256:" and its digest in hex. */
char     *cb_store_blob_digest      (const void  *data,
                                     gsize        length);
/* cb_store_insert with one more field, @blob_field, holding @blob as bytes;
 * its audit entry holds the blob's digest (cb_store_blob_digest). */
gint64    cb_store_insert_full      (CbStore            *store,
                                     const char         *table,
                                     const char * const *fields,
                                     const char * const *values,
                                     guint               n_fields,
                                     const char         *blob_field,
                                     GBytes             *blob,
                                     const char         *reason,
                                     GError            **error);
/* The migrations: an array of SQL scripts, index i migrates to version i+1. */
const char * const *cb_store_schema_migrations (guint *n_migrations);
/* Appends one audit entry inside the open transaction. */
gboolean  cb_store_audit_append     (CbStore     *store,
                                     const char  *table,
                                     gint64       row,
                                     const char  *field,
                                     const char  *action,
                                     const char  *old_value,
                                     const char  *new_value,
                                     const char  *reason,
                                     GError     **error);

G_END_DECLS
