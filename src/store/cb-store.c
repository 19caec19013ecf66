/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-private.h"

G_DEFINE_QUARK (cb-store-error-quark, cb_store_error)

void
cb_store_set_sqlite_error (CbStore     *store,
                           GError     **error,
                           const char  *what)
{
  int code = sqlite3_extended_errcode (store->db);
  CbStoreError store_code;

  switch (code & 0xff)
    {
    case SQLITE_CONSTRAINT:
      store_code = CB_STORE_ERROR_CONSTRAINT;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      store_code = CB_STORE_ERROR_BUSY;
      break;
    case SQLITE_ERROR:
      store_code = CB_STORE_ERROR_INVALID;
      break;
    default:
      store_code = CB_STORE_ERROR_IO;
      break;
    }
  g_set_error (error, CB_STORE_ERROR, store_code, "%s: %s", what, sqlite3_errmsg (store->db));
}

gboolean
cb_store_exec (CbStore     *store,
               const char  *sql,
               GError     **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      cb_store_set_sqlite_error (store, error, _("database"));
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
cb_store_prepare_cached (CbStore     *store,
                         const char  *sql,
                         GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      cb_store_set_sqlite_error (store, error, _("database"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (store->statements, g_strdup (sql), stmt);
  return stmt;
}

char *
cb_store_blob_digest (const void *data,
                      gsize       length)
{
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);

  return g_strconcat ("sha256:", hex, NULL);
}

int
cb_store_current_schema (void)
{
  guint n;

  cb_store_schema_migrations (&n);
  return (int) n;
}

static int
read_user_version (CbStore *store)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

/* Each step and its version bump commit together, so a crash leaves the file
 * at one version or the next, never between. */
static gboolean
migrate (CbStore  *store,
         GError  **error)
{
  guint n_migrations;
  const char * const *migrations = cb_store_schema_migrations (&n_migrations);
  int version = read_user_version (store);

  if (version < 0)
    {
      cb_store_set_sqlite_error (store, error, store->path);
      return FALSE;
    }
  if (version > (int) n_migrations)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_SCHEMA_TOO_NEW,
                   _("%s: the database has schema version %d, but this Calbench knows versions up to %u; "
                     "use a newer Calbench to open it"),
                   store->path, version, n_migrations);
      return FALSE;
    }

  for (guint i = (guint) version; i < n_migrations; i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!cb_store_exec (store, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!cb_store_exec (store, migrations[i], error) ||
          !cb_store_exec (store, bump, error))
        {
          cb_store_exec (store, "ROLLBACK", NULL);
          g_prefix_error (error, _("%s: migrating to schema version %u: "), store->path, i + 1);
          return FALSE;
        }
      if (!cb_store_exec (store, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

CbStore *
cb_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(CbStore) store = g_new0 (CbStore, 1);

  g_return_val_if_fail (path != NULL, NULL);

  store->path = g_strdup (path);
  store->actor = g_strdup ("system");
  store->workstation = g_strdup (g_get_host_name ());
  store->password_iterations = 600000;
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sqlite3_finalize);

  if (sqlite3_open_v2 (path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_IO, _("%s: cannot open the database: %s"),
                   path, store->db ? sqlite3_errmsg (store->db) : _("out of memory"));
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, 5000);

  /* WAL with synchronous=FULL: a committed write survives a crash or a power
   * cut; foreign keys hold whatever the caller does. */
  if (!cb_store_exec (store, "PRAGMA journal_mode = WAL", error) ||
      !cb_store_exec (store, "PRAGMA synchronous = FULL", error) ||
      !cb_store_exec (store, "PRAGMA foreign_keys = ON", error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  if (!migrate (store, error))
    return NULL;

  return g_steal_pointer (&store);
}

void
cb_store_close (CbStore *store)
{
  if (store == NULL)
    return;
  /* Statements first: the connection closes once none is left. */
  g_clear_pointer (&store->statements, g_hash_table_unref);
  g_clear_pointer (&store->columns, g_hash_table_unref);
  if (store->db != NULL)
    sqlite3_close_v2 (store->db);
  g_free (store->path);
  g_free (store->actor);
  g_free (store->workstation);
  g_free (store);
}

const char *
cb_store_get_path (CbStore *store)
{
  return store->path;
}

int
cb_store_get_schema_version (CbStore *store)
{
  return read_user_version (store);
}

void
cb_store_set_actor (CbStore    *store,
                    const char *actor,
                    const char *workstation)
{
  g_return_if_fail (actor != NULL && workstation != NULL);

  g_free (store->actor);
  store->actor = g_strdup (actor);
  g_free (store->workstation);
  store->workstation = g_strdup (workstation);
}

const char *
cb_store_get_actor (CbStore *store)
{
  return store->actor;
}

const char *
cb_store_get_workstation (CbStore *store)
{
  return store->workstation;
}

/* Another connection (a second workstation process, the CLI) may have
 * appended to the chain since this one last wrote: its commits change
 * PRAGMA data_version, and then the cached last entry is dropped. */
static void
check_chain_cache (CbStore *store)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (version < 0 || version != store->data_version)
    store->chain_cached = FALSE;
  store->data_version = version;
}

gboolean
cb_store_begin (CbStore  *store,
                GError  **error)
{
  if (store->depth == 0)
    {
      if (!cb_store_exec (store, "BEGIN IMMEDIATE", error))
        return FALSE;
      /* Read under the write lock: nobody else appends until we commit. */
      check_chain_cache (store);
    }
  store->depth++;
  return TRUE;
}

gboolean
cb_store_commit (CbStore  *store,
                 GError  **error)
{
  g_return_val_if_fail (store->depth > 0, FALSE);

  if (store->depth > 1)
    {
      store->depth--;
      return TRUE;
    }
  if (!cb_store_exec (store, "COMMIT", error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  store->depth = 0;
  return TRUE;
}

void
cb_store_rollback (CbStore *store)
{
  if (store->depth == 0)
    return;
  if (store->savepoint_depth > 0)
    {
      /* Only back to the savepoint, once: the failed write's callers roll
       * back too, and the outer transaction goes on. */
      if (!store->savepoint_dropped)
        sqlite3_exec (store->db, "ROLLBACK TO cb_savepoint; RELEASE cb_savepoint", NULL, NULL, NULL);
      store->savepoint_dropped = TRUE;
      store->depth = store->savepoint_depth;
      store->chain_cached = FALSE;
      return;
    }
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  store->depth = 0;
  /* The entries appended in the transaction are gone. */
  store->chain_cached = FALSE;
}

/* Identifiers are checked against the schema before they are put into SQL. */
static gboolean
is_identifier (const char *name)
{
  if (name == NULL || !(g_ascii_islower (*name) || *name == '_'))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

/* Every table's columns, read once per connection. */
static GHashTable *
table_columns (CbStore    *store,
               const char *table)
{
  if (store->columns == NULL)
    {
      sqlite3_stmt *stmt = NULL;

      store->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_hash_table_unref);
      sqlite3_prepare_v2 (store->db,
                          "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info (m.name) p"
                          " WHERE m.type = 'table'",
                          -1, &stmt, NULL);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *name = (const char *) sqlite3_column_text (stmt, 0);
          GHashTable *columns = g_hash_table_lookup (store->columns, name);

          if (columns == NULL)
            {
              columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
              g_hash_table_insert (store->columns, g_strdup (name), columns);
            }
          g_hash_table_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
      sqlite3_finalize (stmt);
    }
  return g_hash_table_lookup (store->columns, table);
}

static gboolean
check_column (CbStore     *store,
              const char  *table,
              const char  *field,
              GError     **error)
{
  GHashTable *columns;

  if (!is_identifier (table) || g_str_equal (table, "audit") || g_str_has_prefix (table, "sqlite_"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("“%s” is not a table of lab data"), table);
      return FALSE;
    }
  if (!is_identifier (field))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("%s: “%s” is not a field name"), table, field);
      return FALSE;
    }

  columns = table_columns (store, table);
  if (columns == NULL || !g_hash_table_contains (columns, field))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("%s: no field “%s” (or no such table)"), table, field);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_system_field (const char *field)
{
  return g_str_equal (field, "id") || g_str_equal (field, "voided") || g_str_equal (field, "void_reason");
}

gint64
cb_store_insert_full (CbStore            *store,
                      const char         *table,
                      const char * const *fields,
                      const char * const *values,
                      guint               n_fields,
                      const char         *blob_field,
                      GBytes             *blob,
                      const char         *reason,
                      GError            **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *what = NULL;
  g_autofree char *digest = NULL;
  guint n_columns = n_fields + (blob_field != NULL ? 1 : 0);
  sqlite3_stmt *stmt = NULL;
  gint64 row;

  if (n_columns == 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID, _("%s: nothing to insert"), table);
      return 0;
    }
  for (guint i = 0; i < n_columns; i++)
    {
      const char *field = i < n_fields ? fields[i] : blob_field;

      if (!check_column (store, table, field, error))
        return 0;
      if (is_system_field (field))
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                       _("%s.%s: set by the store, not by the caller"), table, field);
          return 0;
        }
    }
  if (blob_field != NULL && blob == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID, _("%s.%s: no bytes given"), table, blob_field);
      return 0;
    }

  g_string_append_printf (sql, "INSERT INTO %s (", table);
  for (guint i = 0; i < n_columns; i++)
    g_string_append_printf (sql, "%s%s", i ? ", " : "", i < n_fields ? fields[i] : blob_field);
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < n_columns; i++)
    g_string_append_printf (sql, "%s?%u", i ? ", " : "", i + 1);
  g_string_append (sql, ")");

  if (!cb_store_begin (store, error))
    return 0;

  what = g_strdup_printf (_("adding to %s"), table);
  stmt = cb_store_prepare_cached (store, sql->str, NULL);
  if (stmt == NULL)
    goto failed;
  for (guint i = 0; i < n_fields; i++)
    {
      if (values[i] != NULL)
        sqlite3_bind_text (stmt, i + 1, values[i], -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, i + 1);
    }
  if (blob_field != NULL)
    {
      gsize length;
      const void *data = g_bytes_get_data (blob, &length);

      /* A zero-length blob is still a blob, never NULL. */
      sqlite3_bind_blob64 (stmt, n_fields + 1, data != NULL ? data : "", length, SQLITE_STATIC);
      digest = cb_store_blob_digest (data, length);
    }
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto failed;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  row = sqlite3_last_insert_rowid (store->db);

  for (guint i = 0; i < n_columns; i++)
    if (!cb_store_audit_append (store, table, row, i < n_fields ? fields[i] : blob_field, "insert", NULL,
                                i < n_fields ? values[i] : digest, reason, error))
      {
        cb_store_rollback (store);
        return 0;
      }

  if (!cb_store_commit (store, error))
    return 0;
  return row;

failed:
  cb_store_set_sqlite_error (store, error, what);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  cb_store_rollback (store);
  return 0;
}

gint64
cb_store_insert (CbStore            *store,
                 const char         *table,
                 const char * const *fields,
                 const char * const *values,
                 guint               n_fields,
                 const char         *reason,
                 GError            **error)
{
  return cb_store_insert_full (store, table, fields, values, n_fields, NULL, NULL, reason, error);
}

/* The current value of a field as text, and whether the row exists. */
static gboolean
read_field (CbStore     *store,
            const char  *table,
            gint64       row,
            const char  *field,
            char       **value,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE id = ?1", field, table);
  sqlite3_stmt *stmt = cb_store_prepare_cached (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                     _("%s: no row %lld"), table, (long long) row);
      else
        cb_store_set_sqlite_error (store, error, table);
      sqlite3_reset (stmt);
      return FALSE;
    }
  switch (sqlite3_column_type (stmt, 0))
    {
    case SQLITE_NULL:
      *value = NULL;
      break;
    case SQLITE_BLOB:
      /* Bytes are told by their digest, as the audit trail holds them. */
      *value = cb_store_blob_digest (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      break;
    default:
      *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      break;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

char *
cb_store_get_field (CbStore     *store,
                    const char  *table,
                    gint64       row,
                    const char  *field,
                    GError     **error)
{
  char *value = NULL;

  if (!check_column (store, table, field, error))
    return NULL;
  read_field (store, table, row, field, &value, error);
  return value;
}

static gboolean
write_field (CbStore     *store,
             const char  *table,
             gint64       row,
             const char  *field,
             const char  *value,
             const char  *action,
             const char  *reason,
             GError     **error)
{
  g_autofree char *old_value = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;

  if (reason == NULL || strspn (reason, " \t\r\n") == strlen (reason))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_REASON_REQUIRED,
                   _("%s.%s of row %lld: a change to recorded data needs a reason"),
                   table, field, (long long) row);
      return FALSE;
    }

  if (!cb_store_begin (store, error))
    return FALSE;
  if (!read_field (store, table, row, field, &old_value, error))
    goto rollback;

  sql = g_strdup_printf ("UPDATE %s SET %s = ?1 WHERE id = ?2", table, field);
  stmt = cb_store_prepare_cached (store, sql, NULL);
  if (stmt == NULL)
    goto sqlite_failed;
  if (value != NULL)
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, row);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto sqlite_failed;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (!cb_store_audit_append (store, table, row, field, action, old_value, value, reason, error))
    goto rollback;
  return cb_store_commit (store, error);

sqlite_failed:
  cb_store_set_sqlite_error (store, error, table);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
rollback:
  cb_store_rollback (store);
  return FALSE;
}

gboolean
cb_store_update (CbStore     *store,
                 const char  *table,
                 gint64       row,
                 const char  *field,
                 const char  *value,
                 const char  *reason,
                 GError     **error)
{
  if (!check_column (store, table, field, error))
    return FALSE;
  if (is_system_field (field))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("%s.%s: set by the store, not by the caller"), table, field);
      return FALSE;
    }
  return write_field (store, table, row, field, value, "update", reason, error);
}

gboolean
cb_store_void (CbStore     *store,
               const char  *table,
               gint64       row,
               const char  *reason,
               GError     **error)
{
  if (!check_column (store, table, "voided", error))
    return FALSE;
  if (!cb_store_begin (store, error))
    return FALSE;
  if (!write_field (store, table, row, "voided", "1", "void", reason, error) ||
      !write_field (store, table, row, "void_reason", reason, "void", reason, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

gboolean
cb_store_savepoint (CbStore  *store,
                    GError  **error)
{
  g_return_val_if_fail (store->depth > 0, FALSE);
  g_return_val_if_fail (store->savepoint_depth == 0, FALSE);

  if (!cb_store_exec (store, "SAVEPOINT cb_savepoint", error))
    return FALSE;
  store->savepoint_depth = store->depth;
  store->depth++;
  return TRUE;
}

gboolean
cb_store_savepoint_end (CbStore   *store,
                        gboolean   keep,
                        GError   **error)
{
  gboolean dropped = store->savepoint_dropped;

  g_return_val_if_fail (store->savepoint_depth > 0, FALSE);

  if (!dropped && !keep)
    cb_store_rollback (store);
  else if (!dropped && !cb_store_exec (store, "RELEASE cb_savepoint", error))
    {
      cb_store_rollback (store);
      dropped = TRUE;
    }
  else if (dropped && keep)
    g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID, _("the savepoint was rolled back"));
  store->depth = store->savepoint_depth;
  store->savepoint_depth = 0;
  store->savepoint_dropped = FALSE;
  return keep ? !dropped : TRUE;
}
