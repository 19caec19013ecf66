/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cb-store.h"

G_BEGIN_DECLS

struct _CbStore
{
  sqlite3 *db;
  char    *path;
  char    *actor;
  char    *workstation;
  guint    depth;       /* nested begin calls; only the outermost commits */
  guint    password_iterations;
};

/* Sets @error from the connection's last error, naming @what. */
void      cb_store_set_sqlite_error (CbStore     *store,
                                     GError     **error,
                                     const char  *what);
gboolean  cb_store_exec             (CbStore     *store,
                                     const char  *sql,
                                     GError     **error);
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
