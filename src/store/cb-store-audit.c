/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-audit.h"
#include "cb-store-private.h"

#define HASH_LENGTH CB_STORE_HASH_LENGTH

#define ENTRY_COLUMNS \
  "seq, utc, local_time, actor, workstation, tbl, row_id, field, action, old_value, new_value, reason"

void
cb_audit_entry_free (CbAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->utc);
  g_free (entry->local_time);
  g_free (entry->actor);
  g_free (entry->workstation);
  g_free (entry->table);
  g_free (entry->field);
  g_free (entry->action);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_free (entry->reason);
  g_free (entry);
}

/* Length-prefixed fields, "~" for NULL: no two entries share their bytes. */
static void
append_field (GString    *bytes,
              const char *value)
{
  if (value == NULL)
    g_string_append (bytes, "~;");
  else
    g_string_append_printf (bytes, "%zu:%s;", strlen (value), value);
}

CbAuditEntry *
cb_audit_entry_copy (const CbAuditEntry *entry)
{
  CbAuditEntry *copy = g_new0 (CbAuditEntry, 1);

  copy->seq = entry->seq;
  copy->utc = g_strdup (entry->utc);
  copy->local_time = g_strdup (entry->local_time);
  copy->actor = g_strdup (entry->actor);
  copy->workstation = g_strdup (entry->workstation);
  copy->table = g_strdup (entry->table);
  copy->row = entry->row;
  copy->field = g_strdup (entry->field);
  copy->action = g_strdup (entry->action);
  copy->old_value = g_strdup (entry->old_value);
  copy->new_value = g_strdup (entry->new_value);
  copy->reason = g_strdup (entry->reason);
  return copy;
}

static void
entry_hash (const guint8       *previous,
            const CbAuditEntry *entry,
            guint8             *hash)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GString) bytes = g_string_new (NULL);
  g_autofree char *seq = g_strdup_printf ("%lld", (long long) entry->seq);
  g_autofree char *row = g_strdup_printf ("%lld", (long long) entry->row);
  gsize length = HASH_LENGTH;

  append_field (bytes, seq);
  append_field (bytes, entry->utc);
  append_field (bytes, entry->local_time);
  append_field (bytes, entry->actor);
  append_field (bytes, entry->workstation);
  append_field (bytes, entry->table);
  append_field (bytes, row);
  append_field (bytes, entry->field);
  append_field (bytes, entry->action);
  append_field (bytes, entry->old_value);
  append_field (bytes, entry->new_value);
  append_field (bytes, entry->reason);

  g_checksum_update (checksum, previous, HASH_LENGTH);
  g_checksum_update (checksum, (const guchar *) bytes->str, bytes->len);
  g_checksum_get_digest (checksum, hash, &length);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static CbAuditEntry *
read_entry (sqlite3_stmt *stmt)
{
  CbAuditEntry *entry = g_new0 (CbAuditEntry, 1);

  entry->seq = sqlite3_column_int64 (stmt, 0);
  entry->utc = column_text (stmt, 1);
  entry->local_time = column_text (stmt, 2);
  entry->actor = column_text (stmt, 3);
  entry->workstation = column_text (stmt, 4);
  entry->table = column_text (stmt, 5);
  entry->row = sqlite3_column_int64 (stmt, 6);
  entry->field = column_text (stmt, 7);
  entry->action = column_text (stmt, 8);
  entry->old_value = column_text (stmt, 9);
  entry->new_value = column_text (stmt, 10);
  entry->reason = column_text (stmt, 11);
  return entry;
}

gboolean
cb_store_audit_append (CbStore     *store,
                       const char  *table,
                       gint64       row,
                       const char  *field,
                       const char  *action,
                       const char  *old_value,
                       const char  *new_value,
                       const char  *reason,
                       GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autofree char *utc = NULL;
  g_autofree char *local_time = NULL;
  guint8 hash[HASH_LENGTH];
  CbAuditEntry entry = { 0 };
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (store->depth > 0, FALSE);

  /* The last entry is read once, then kept (cb-store-private.h). */
  if (!store->chain_cached)
    {
      stmt = cb_store_prepare_cached (store, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      store->chain_seq = 0;
      memset (store->chain_hash, 0, HASH_LENGTH);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          store->chain_seq = sqlite3_column_int64 (stmt, 0);
          if (sqlite3_column_bytes (stmt, 1) == HASH_LENGTH)
            memcpy (store->chain_hash, sqlite3_column_blob (stmt, 1), HASH_LENGTH);
        }
      sqlite3_reset (stmt);
      store->chain_cached = TRUE;
    }

  utc = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  local_time = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S.%f%:z");
  entry.seq = store->chain_seq + 1;
  entry.utc = utc;
  entry.local_time = local_time;
  entry.actor = store->actor;
  entry.workstation = store->workstation;
  entry.table = (char *) table;
  entry.row = row;
  entry.field = (char *) field;
  entry.action = (char *) action;
  entry.old_value = (char *) old_value;
  entry.new_value = (char *) new_value;
  entry.reason = (char *) reason;
  entry_hash (store->chain_hash, &entry, hash);

  stmt = cb_store_prepare_cached (store,
                                  "INSERT INTO audit (" ENTRY_COLUMNS ", hash)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry.seq);
  sqlite3_bind_text (stmt, 2, entry.utc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, entry.local_time, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entry.actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry.workstation, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, row);
  sqlite3_bind_text (stmt, 8, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, old_value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, new_value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, reason, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 13, hash, HASH_LENGTH, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("audit trail"));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  store->chain_seq = entry.seq;
  memcpy (store->chain_hash, hash, HASH_LENGTH);
  return TRUE;
}

gboolean
cb_store_audit_verify (CbStore  *store,
                       gint64   *n_entries,
                       GError  **error)
{
  guint8 previous[HASH_LENGTH] = { 0 };
  sqlite3_stmt *stmt = NULL;
  gint64 expected = 1;
  int rc;

  if (sqlite3_prepare_v2 (store->db, "SELECT " ENTRY_COLUMNS ", hash FROM audit ORDER BY seq",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cb_store_set_sqlite_error (store, error, _("audit trail"));
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CbAuditEntry) entry = read_entry (stmt);
      guint8 hash[HASH_LENGTH];

      if (entry->seq != expected)
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_TAMPERED,
                       _("audit entry %lld is missing: the chain jumps to entry %lld"),
                       (long long) expected, (long long) entry->seq);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      entry_hash (previous, entry, hash);
      if (sqlite3_column_bytes (stmt, 12) != HASH_LENGTH ||
          memcmp (hash, sqlite3_column_blob (stmt, 12), HASH_LENGTH) != 0)
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_TAMPERED,
                       _("audit entry %lld (%s row %lld, field %s, %s) "
                         "does not match its hash: it or an earlier entry was changed"),
                       (long long) entry->seq, entry->table, (long long) entry->row, entry->field, entry->utc);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      memcpy (previous, hash, HASH_LENGTH);
      expected++;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("audit trail"));
      return FALSE;
    }
  if (n_entries != NULL)
    *n_entries = expected - 1;
  return TRUE;
}

/* Tables of lab data: every table but the audit trail itself and the
 * accounts, whose secrets the trail never holds (it records that a password
 * changed, not what it is). */
static GPtrArray *
list_tables (CbStore *store)
{
  GPtrArray *tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (store->db,
                      "SELECT name FROM sqlite_schema WHERE type = 'table'"
                      " AND name NOT LIKE 'sqlite_%' AND name NOT IN ('audit', 'accounts') ORDER BY name",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return tables;
}

static gboolean
blob_matches (sqlite3_stmt *stmt,
              int           column,
              const char   *digest)
{
  g_autofree char *actual = cb_store_blob_digest (sqlite3_column_blob (stmt, column),
                                                  sqlite3_column_bytes (stmt, column));

  return g_strcmp0 (actual, digest) == 0;
}

gboolean
cb_store_audit_verify_rows (CbStore  *store,
                            GError  **error)
{
  g_autoptr(GPtrArray) tables = list_tables (store);
  sqlite3_stmt *latest = NULL;
  gboolean ok = TRUE;

  /* Each field holds the value its last audit entry wrote. */
  sqlite3_prepare_v2 (store->db,
                      "SELECT tbl, row_id, field, new_value, seq FROM audit a"
                      " WHERE seq = (SELECT MAX (seq) FROM audit b"
                      "  WHERE b.tbl = a.tbl AND b.row_id = a.row_id AND b.field = a.field)"
                      " ORDER BY seq",
                      -1, &latest, NULL);
  while (ok && sqlite3_step (latest) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (latest, 0);
      gint64 row = sqlite3_column_int64 (latest, 1);
      const char *field = (const char *) sqlite3_column_text (latest, 2);
      g_autofree char *sql = NULL;
      sqlite3_stmt *current = NULL;

      if (!g_ptr_array_find_with_equal_func (tables, table, g_str_equal, NULL))
        continue;
      /* Compared with the column's own affinity, so 0.10 stored as a number
       * still matches the text "0.10" that was written; bytes are compared
       * by their digest, which is what the trail holds for them. */
      sql = g_strdup_printf ("SELECT %s IS ?1, typeof (%s) = 'blob', %s FROM %s WHERE id = ?2",
                             field, field, field, table);
      if (sqlite3_prepare_v2 (store->db, sql, -1, &current, NULL) != SQLITE_OK)
        {
          cb_store_set_sqlite_error (store, error, table);
          ok = FALSE;
          break;
        }
      if (sqlite3_column_type (latest, 3) == SQLITE_NULL)
        sqlite3_bind_null (current, 1);
      else
        sqlite3_bind_text (current, 1, (const char *) sqlite3_column_text (latest, 3), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (current, 2, row);
      if (sqlite3_step (current) != SQLITE_ROW)
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_TAMPERED,
                       _("%s row %lld is in the audit trail but no longer in the table: it was deleted behind the store's back"),
                       table, (long long) row);
          ok = FALSE;
        }
      else if (sqlite3_column_int (current, 1)
               ? !blob_matches (current, 2, (const char *) sqlite3_column_text (latest, 3))
               : !sqlite3_column_int (current, 0))
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_TAMPERED,
                       _("%s row %lld, field %s, does not hold what audit entry %lld wrote: it was changed behind the store's back"),
                       table, (long long) row, field, (long long) sqlite3_column_int64 (latest, 4));
          ok = FALSE;
        }
      sqlite3_finalize (current);
    }
  sqlite3_finalize (latest);
  if (!ok)
    return FALSE;

  /* Every row was inserted through the store. */
  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s t WHERE NOT EXISTS"
                                              " (SELECT 1 FROM audit a WHERE a.tbl = ?1 AND a.row_id = t.id"
                                              "  AND a.action = 'insert') LIMIT 1",
                                              table);
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        continue;  /* a table without an id column keeps no audited rows */
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_TAMPERED,
                       _("%s row %lld has no audit entry: it was added behind the store's back"),
                       table, (long long) sqlite3_column_int64 (stmt, 0));
          ok = FALSE;
        }
      sqlite3_finalize (stmt);
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

GPtrArray *
cb_store_audit_history (CbStore     *store,
                        const char  *table,
                        gint64       row,
                        const char  *field,
                        GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_audit_entry_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (store->db,
                          "SELECT " ENTRY_COLUMNS " FROM audit WHERE tbl = ?1 AND row_id = ?2"
                          " AND (?3 IS NULL OR field = ?3) ORDER BY seq",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cb_store_set_sqlite_error (store, error, _("audit trail"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, row);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("audit trail"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

void
cb_store_audit_entry_hash (const guint8       *previous,
                           const CbAuditEntry *entry,
                           guint8             *hash)
{
  entry_hash (previous, entry, hash);
}

static char *
hash_hex (const guint8 *hash,
          gsize         length)
{
  GString *hex = g_string_sized_new (2 * HASH_LENGTH);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (hex, "%02x", hash[i]);
  return g_string_free (hex, FALSE);
}

GPtrArray *
cb_store_audit_read (CbStore     *store,
                     gint64       after_seq,
                     guint        limit,
                     GPtrArray  **hashes,
                     GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_audit_entry_free);
  g_autoptr(GPtrArray) hex = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_store_prepare_cached (store, "SELECT " ENTRY_COLUMNS ", hash FROM audit WHERE seq > ?1"
                                  " ORDER BY seq LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (entries, read_entry (stmt));
      g_ptr_array_add (hex, hash_hex (sqlite3_column_blob (stmt, 12), sqlite3_column_bytes (stmt, 12)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("audit trail"));
      return NULL;
    }
  if (hashes != NULL)
    *hashes = g_steal_pointer (&hex);
  return g_steal_pointer (&entries);
}

char *
cb_store_audit_hash_hex (CbStore  *store,
                         gint64    seq,
                         GError  **error)
{
  guint8 zero[HASH_LENGTH] = { 0 };
  sqlite3_stmt *stmt;
  char *hex;

  if (seq == 0)
    return hash_hex (zero, HASH_LENGTH);
  stmt = cb_store_prepare_cached (store, "SELECT hash FROM audit WHERE seq = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND, _("audit entry %lld does not exist"),
                   (long long) seq);
      return NULL;
    }
  hex = hash_hex (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  return hex;
}

gint64
cb_store_audit_last_seq (CbStore  *store,
                         GError  **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store, "SELECT COALESCE (MAX (seq), 0) FROM audit", error);
  gint64 seq;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      cb_store_set_sqlite_error (store, error, _("audit trail"));
      sqlite3_reset (stmt);
      return -1;
    }
  seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return seq;
}
