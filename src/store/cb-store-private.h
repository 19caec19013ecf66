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
  guint       savepoint_depth; /* the depth a savepoint returns to; 0 without one */
  gboolean    savepoint_dropped; /* rolled back: later rollbacks in it do nothing */
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


/* Helpers of the repository files (cb-store-repo.c). */

/* An audited insert built field by field; a NULL text or a 0 id leaves the
 * field out, so that the schema's default applies. */
typedef struct _CbStoreRow CbStoreRow;

CbStoreRow   *cb_store_row_new        (const char    *table);
void          cb_store_row_free       (CbStoreRow    *row);
void          cb_store_row_text       (CbStoreRow    *row,
                                       const char    *field,
                                       const char    *value);
void          cb_store_row_int        (CbStoreRow    *row,
                                       const char    *field,
                                       gint64         value);
void          cb_store_row_id         (CbStoreRow    *row,
                                       const char    *field,
                                       gint64         id);
void          cb_store_row_blob       (CbStoreRow    *row,
                                       const char    *field,
                                       GBytes        *blob);
gint64        cb_store_row_insert     (CbStore       *store,
                                       CbStoreRow    *row,
                                       const char    *reason,
                                       GError       **error);
gboolean      cb_store_update_int     (CbStore       *store,
                                       const char    *table,
                                       gint64         row,
                                       const char    *field,
                                       gint64         value,
                                       const char    *reason,
                                       GError       **error);

/* Input checks: each fails with CB_STORE_ERROR_INVALID (NOT_FOUND for a
 * missing row) and a message "WHAT: expected …" naming the field. */
gboolean      cb_store_expect_text    (const char    *value,
                                       const char    *what,
                                       const char    *expected,
                                       GError       **error);
/* YYYY-MM-DD, a real calendar date; NULL passes when @optional. */
gboolean      cb_store_expect_date    (const char    *value,
                                       gboolean       optional,
                                       const char    *what,
                                       GError       **error);
/* An ISO 8601 time with a zone; returns it in UTC as YYYY-MM-DDTHH:MM:SSZ. */
char         *cb_store_expect_time    (const char    *value,
                                       const char    *what,
                                       GError       **error);
gboolean      cb_store_expect_one_of  (const char    *value,
                                       const char * const *allowed,
                                       const char    *what,
                                       GError       **error);
/* A decimal number such as 20.3 or -1.5e-3; NULL passes when @optional. */
gboolean      cb_store_expect_number  (const char    *value,
                                       gboolean       optional,
                                       const char    *what,
                                       GError       **error);
gboolean      cb_store_expect_amount  (gint64         cents,
                                       const char    *what,
                                       GError       **error);
/* Row @id of @table exists and is not voided. */
gboolean      cb_store_expect_row     (CbStore       *store,
                                       const char    *table,
                                       gint64         id,
                                       const char    *what,
                                       const char    *expected,
                                       GError       **error);

/* Reading: a plain statement the caller finalizes, or hands to read_all or
 * read_one, which step it and finalize it. */
typedef gpointer (*CbStoreReadFunc) (sqlite3_stmt *stmt);

sqlite3_stmt *cb_store_query          (CbStore       *store,
                                       const char    *sql,
                                       GError       **error);
char         *cb_store_column_dup     (sqlite3_stmt  *stmt,
                                       int            column);
GPtrArray    *cb_store_read_all       (CbStore       *store,
                                       sqlite3_stmt  *stmt,
                                       CbStoreReadFunc read,
                                       GDestroyNotify free_func,
                                       GError       **error);
/* NOT_FOUND "WHAT ID does not exist" when there is no row. */
gpointer      cb_store_read_one       (CbStore       *store,
                                       sqlite3_stmt  *stmt,
                                       CbStoreReadFunc read,
                                       const char    *what,
                                       gint64         id,
                                       GError       **error);
/* The first column of the first row as an integer, @fallback without a row. */
gint64        cb_store_read_int       (CbStore       *store,
                                       sqlite3_stmt  *stmt,
                                       gint64         fallback,
                                       GError       **error);
/* Today (UTC) as YYYY-MM-DD, and now as YYYY-MM-DDTHH:MM:SSZ. */
char         *cb_store_today          (void);
char         *cb_store_now_utc        (void);
/* @date (YYYY-MM-DD) plus @days. */
char         *cb_store_date_add_days  (const char    *date,
                                       int            days);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbStoreRow, cb_store_row_free)

G_END_DECLS
