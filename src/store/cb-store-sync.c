/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-store-sync.h"
#include "cb-store-private.h"

void
cb_sync_row_map_free (CbSyncRowMap *map)
{
  if (map == NULL)
    return;
  g_free (map->table);
  g_free (map);
}

void
cb_sync_received_free (CbSyncReceived *received)
{
  if (received == NULL)
    return;
  g_free (received->hash);
  g_free (received->status);
  g_free (received->detail);
  g_free (received);
}

void
cb_sync_conflict_free (CbSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->table);
  g_free (conflict->field);
  g_free (conflict->server_value);
  g_free (conflict->bench_value);
  g_free (conflict->workstation);
  g_free (conflict->actor);
  g_free (conflict->detail);
  g_free (conflict->state);
  g_free (conflict->resolution);
  g_free (conflict->resolved_by);
  g_free (conflict->resolution_reason);
  g_free (conflict);
}

/* Steps a cached statement that returns nothing. */
static gboolean
step_done (CbStore      *store,
           sqlite3_stmt *stmt,
           const char   *what,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, what);
      return FALSE;
    }
  return TRUE;
}

/* The first column of a cached statement's first row; @fallback without one. */
static gint64
step_int (CbStore      *store,
          sqlite3_stmt *stmt,
          gint64        fallback,
          GError      **error)
{
  int rc = sqlite3_step (stmt);
  gint64 value = fallback;

  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("sync"));
      value = -1;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return value;
}

gint64
cb_store_sync_row_lookup (CbStore     *store,
                          const char  *peer,
                          const char  *table,
                          gint64       peer_row,
                          GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "SELECT local_row FROM sync_rows"
                                                " WHERE peer = ?1 AND tbl = ?2 AND peer_row = ?3", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, peer_row);
  return step_int (store, stmt, 0, error);
}

gint64
cb_store_sync_row_reverse (CbStore     *store,
                           const char  *peer,
                           const char  *table,
                           gint64       local_row,
                           GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "SELECT peer_row FROM sync_rows"
                                                " WHERE peer = ?1 AND tbl = ?2 AND local_row = ?3", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, local_row);
  return step_int (store, stmt, 0, error);
}

gboolean
cb_store_sync_row_map (CbStore     *store,
                       const char  *peer,
                       const char  *table,
                       gint64       peer_row,
                       gint64       local_row,
                       gboolean     reported,
                       GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "INSERT OR IGNORE INTO sync_rows (peer, tbl, peer_row, local_row, reported)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, peer_row);
  sqlite3_bind_int64 (stmt, 4, local_row);
  sqlite3_bind_int (stmt, 5, reported ? 1 : 0);
  return step_done (store, stmt, _("sync rows"), error);
}

static gpointer
read_row_map (sqlite3_stmt *stmt)
{
  CbSyncRowMap *map = g_new0 (CbSyncRowMap, 1);

  map->table = cb_store_column_dup (stmt, 0);
  map->peer_row = sqlite3_column_int64 (stmt, 1);
  map->local_row = sqlite3_column_int64 (stmt, 2);
  return map;
}

GPtrArray *
cb_store_sync_rows_unreported (CbStore     *store,
                               const char  *peer,
                               guint        limit,
                               GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT tbl, peer_row, local_row FROM sync_rows"
                                       " WHERE peer = ?1 AND reported = 0 ORDER BY tbl, local_row LIMIT ?2", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);
  return cb_store_read_all (store, stmt, read_row_map, (GDestroyNotify) cb_sync_row_map_free, error);
}

gboolean
cb_store_sync_rows_reported (CbStore     *store,
                             const char  *peer,
                             GPtrArray   *rows,
                             GError     **error)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const CbSyncRowMap *map = g_ptr_array_index (rows, i);
      sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                    "UPDATE sync_rows SET reported = 1"
                                                    " WHERE peer = ?1 AND tbl = ?2 AND local_row = ?3",
                                                    error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, map->table, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, map->local_row);
      if (!step_done (store, stmt, _("sync rows"), error))
        return FALSE;
    }
  return TRUE;
}

char *
cb_store_sync_reference (CbStore    *store,
                         const char *table,
                         const char *field)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "SELECT \"table\" FROM pragma_foreign_key_list (?1)"
                                                " WHERE \"from\" = ?2", NULL);
  char *referenced = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    referenced = cb_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return referenced;
}

gboolean
cb_store_sync_state_get (CbStore     *store,
                         const char  *peer,
                         gint64      *acked_seq,
                         gint64      *pulled_seq,
                         GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "SELECT acked_seq, pulled_seq FROM sync_state WHERE peer = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *acked_seq = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  *pulled_seq = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 1) : 0;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("sync state"));
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_store_sync_state_set (CbStore     *store,
                         const char  *peer,
                         gint64       acked_seq,
                         gint64       pulled_seq,
                         GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "INSERT INTO sync_state (peer, acked_seq, pulled_seq) VALUES (?1, ?2, ?3)"
                                                " ON CONFLICT (peer) DO UPDATE SET acked_seq = ?2, pulled_seq = ?3",
                                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, acked_seq);
  sqlite3_bind_int64 (stmt, 3, pulled_seq);
  return step_done (store, stmt, _("sync state"), error);
}

gboolean
cb_store_sync_outcome_add (CbStore     *store,
                           gint64       audit_seq,
                           const char  *status,
                           const char  *detail,
                           GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "INSERT OR REPLACE INTO sync_outcomes (audit_seq, status, detail)"
                                                " VALUES (?1, ?2, ?3)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, audit_seq);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, detail, -1, SQLITE_STATIC);
  return step_done (store, stmt, _("sync outcomes"), error);
}

gint64
cb_store_sync_outcome_count (CbStore  *store,
                             GError  **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store, "SELECT COUNT (*) FROM sync_outcomes", error);

  if (stmt == NULL)
    return -1;
  return step_int (store, stmt, 0, error);
}

gint64
cb_store_sync_count_own (CbStore     *store,
                         gint64       after_seq,
                         const char  *workstation,
                         GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "SELECT COUNT (*) FROM audit WHERE seq > ?1 AND workstation = ?2",
                                                error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_text (stmt, 2, workstation, -1, SQLITE_STATIC);
  return step_int (store, stmt, 0, error);
}

gboolean
cb_store_sync_bench_get (CbStore     *store,
                         const char  *workstation,
                         gint64      *last_seq,
                         char       **last_hash,
                         GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "SELECT last_seq, last_hash FROM sync_benches WHERE workstation = ?1",
                                                error);
  int rc;

  *last_seq = 0;
  *last_hash = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, workstation, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *last_seq = sqlite3_column_int64 (stmt, 0);
      *last_hash = cb_store_column_dup (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    cb_store_set_sqlite_error (store, error, _("sync benches"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_ROW;
}

gboolean
cb_store_sync_bench_set (CbStore     *store,
                         const char  *workstation,
                         gint64       last_seq,
                         const char  *last_hash,
                         GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "INSERT INTO sync_benches (workstation, last_seq, last_hash) VALUES (?1, ?2, ?3)"
                                                " ON CONFLICT (workstation) DO UPDATE SET last_seq = ?2, last_hash = ?3",
                                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, workstation, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, last_seq);
  sqlite3_bind_text (stmt, 3, last_hash, -1, SQLITE_STATIC);
  return step_done (store, stmt, _("sync benches"), error);
}

CbSyncReceived *
cb_store_sync_received_get (CbStore     *store,
                            const char  *workstation,
                            gint64       seq,
                            GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "SELECT hash, status, server_seq, server_row, detail FROM sync_changes"
                                                " WHERE workstation = ?1 AND seq = ?2", error);
  CbSyncReceived *received = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, workstation, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      received = g_new0 (CbSyncReceived, 1);
      received->hash = cb_store_column_dup (stmt, 0);
      received->status = cb_store_column_dup (stmt, 1);
      received->server_seq = sqlite3_column_int64 (stmt, 2);
      received->server_row = sqlite3_column_int64 (stmt, 3);
      received->detail = cb_store_column_dup (stmt, 4);
    }
  else if (rc != SQLITE_DONE)
    cb_store_set_sqlite_error (store, error, _("sync changes"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return received;
}

gboolean
cb_store_sync_received_add (CbStore     *store,
                            const char  *workstation,
                            gint64       seq,
                            const char  *hash,
                            const char  *utc,
                            const char  *actor,
                            const char  *status,
                            gint64       server_seq,
                            gint64       server_row,
                            const char  *detail,
                            GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "INSERT INTO sync_changes (workstation, seq, hash, utc, actor, status,"
                                                " server_seq, server_row, detail)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, workstation, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, utc, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, server_seq);
  if (server_row > 0)
    sqlite3_bind_int64 (stmt, 8, server_row);
  sqlite3_bind_text (stmt, 9, detail, -1, SQLITE_STATIC);
  return step_done (store, stmt, _("sync changes"), error);
}

gboolean
cb_store_sync_token_add (CbStore     *store,
                         const char  *token_hash,
                         gint64       staff_id,
                         const char  *workstation,
                         const char  *expires,
                         GError     **error)
{
  g_autofree char *now = cb_store_now_utc ();
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "INSERT INTO sync_tokens (token_hash, staff_id, workstation, created, expires)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, staff_id);
  sqlite3_bind_text (stmt, 3, workstation, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, expires, -1, SQLITE_STATIC);
  return step_done (store, stmt, _("tokens"), error);
}

gint64
cb_store_sync_token_check (CbStore     *store,
                           const char  *token_hash,
                           const char  *now,
                           char       **workstation,
                           GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "SELECT t.staff_id, t.workstation FROM sync_tokens t"
                                                " JOIN staff s ON s.id = t.staff_id"
                                                " WHERE t.token_hash = ?1 AND t.revoked IS NULL AND t.expires > ?2"
                                                " AND s.active = 1 AND s.voided = 0", error);
  gint64 staff_id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      staff_id = sqlite3_column_int64 (stmt, 0);
      if (workstation != NULL)
        *workstation = cb_store_column_dup (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    {
      cb_store_set_sqlite_error (store, error, _("tokens"));
      staff_id = -1;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return staff_id;
}

gboolean
cb_store_sync_token_revoke (CbStore     *store,
                            const char  *token_hash,
                            GError     **error)
{
  g_autofree char *now = cb_store_now_utc ();
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "UPDATE sync_tokens SET revoked = ?2"
                                                " WHERE token_hash = ?1 AND revoked IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  return step_done (store, stmt, _("tokens"), error);
}

gboolean
cb_store_sync_token_revoke_all (CbStore     *store,
                                gint64       staff_id,
                                GError     **error)
{
  g_autofree char *now = cb_store_now_utc ();
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "UPDATE sync_tokens SET revoked = ?2"
                                                " WHERE staff_id = ?1 AND revoked IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  return step_done (store, stmt, _("tokens"), error);
}

char *
cb_store_sync_lease_get (CbStore     *store,
                         const char  *table,
                         gint64       row,
                         GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "SELECT workstation FROM sync_leases WHERE tbl = ?1 AND server_row = ?2",
                                                error);
  char *workstation = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, row);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    workstation = cb_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return workstation;
}

gboolean
cb_store_sync_lease_set (CbStore     *store,
                         const char  *table,
                         gint64       row,
                         const char  *workstation,
                         GError     **error)
{
  sqlite3_stmt *stmt = cb_store_prepare_cached (store,
                                                "INSERT INTO sync_leases (tbl, server_row, workstation) VALUES (?1, ?2, ?3)"
                                                " ON CONFLICT (tbl, server_row) DO UPDATE SET workstation = ?3", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, row);
  sqlite3_bind_text (stmt, 3, workstation, -1, SQLITE_STATIC);
  return step_done (store, stmt, _("leases"), error);
}

gint64
cb_store_sync_conflict_add (CbStore               *store,
                            const CbSyncConflict  *conflict,
                            GError               **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("sync_conflicts");

  cb_store_row_text (row, "tbl", conflict->table);
  if (conflict->row_id > 0)
    cb_store_row_int (row, "row_id", conflict->row_id);
  cb_store_row_text (row, "field", conflict->field);
  cb_store_row_text (row, "server_value", conflict->server_value);
  cb_store_row_text (row, "bench_value", conflict->bench_value);
  cb_store_row_text (row, "workstation", conflict->workstation);
  cb_store_row_int (row, "change_seq", conflict->change_seq);
  cb_store_row_text (row, "actor", conflict->actor);
  cb_store_row_text (row, "detail", conflict->detail);
  return cb_store_row_insert (store, row, NULL, error);
}

#define CONFLICT_COLUMNS \
  "id, tbl, row_id, field, server_value, bench_value, workstation, change_seq, actor, detail," \
  " state, resolution, resolved_by, resolution_reason"

static gpointer
read_conflict (sqlite3_stmt *stmt)
{
  CbSyncConflict *conflict = g_new0 (CbSyncConflict, 1);

  conflict->id = sqlite3_column_int64 (stmt, 0);
  conflict->table = cb_store_column_dup (stmt, 1);
  conflict->row_id = sqlite3_column_int64 (stmt, 2);
  conflict->field = cb_store_column_dup (stmt, 3);
  conflict->server_value = cb_store_column_dup (stmt, 4);
  conflict->bench_value = cb_store_column_dup (stmt, 5);
  conflict->workstation = cb_store_column_dup (stmt, 6);
  conflict->change_seq = sqlite3_column_int64 (stmt, 7);
  conflict->actor = cb_store_column_dup (stmt, 8);
  conflict->detail = cb_store_column_dup (stmt, 9);
  conflict->state = cb_store_column_dup (stmt, 10);
  conflict->resolution = cb_store_column_dup (stmt, 11);
  conflict->resolved_by = cb_store_column_dup (stmt, 12);
  conflict->resolution_reason = cb_store_column_dup (stmt, 13);
  return conflict;
}

CbSyncConflict *
cb_store_sync_conflict_get (CbStore     *store,
                            gint64       id,
                            GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT " CONFLICT_COLUMNS " FROM sync_conflicts"
                                       " WHERE id = ?1 AND voided = 0", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return cb_store_read_one (store, stmt, read_conflict, _("Conflict"), id, error);
}

GPtrArray *
cb_store_sync_conflict_list (CbStore   *store,
                             gboolean   all,
                             GError   **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT " CONFLICT_COLUMNS " FROM sync_conflicts"
                                       " WHERE voided = 0 AND (?1 OR state = 'open') ORDER BY id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, all ? 1 : 0);
  return cb_store_read_all (store, stmt, read_conflict, (GDestroyNotify) cb_sync_conflict_free, error);
}

gboolean
cb_store_sync_conflict_resolve (CbStore     *store,
                                gint64       id,
                                const char  *resolution,
                                const char  *resolved_by,
                                const char  *reason,
                                GError     **error)
{
  static const char * const resolutions[] = { "server", "bench", NULL };
  g_autoptr(CbSyncConflict) conflict = NULL;

  if (!cb_store_expect_one_of (resolution, resolutions, _("resolution"), error) ||
      !cb_store_expect_text (reason, _("reason"), _("why this version is kept"), error))
    return FALSE;
  conflict = cb_store_sync_conflict_get (store, id, error);
  if (conflict == NULL)
    return FALSE;
  if (g_strcmp0 (conflict->state, "open") != 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("conflict %lld is already resolved"), (long long) id);
      return FALSE;
    }
  if (g_str_equal (resolution, "bench") && (conflict->field == NULL || conflict->row_id <= 0))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("conflict %lld: the bench's version is a whole row the server refused; "
                     "enter it again instead"), (long long) id);
      return FALSE;
    }

  if (!cb_store_begin (store, error))
    return FALSE;
  if ((g_str_equal (resolution, "bench") &&
       !cb_store_update (store, conflict->table, conflict->row_id, conflict->field, conflict->bench_value,
                         reason, error)) ||
      !cb_store_update (store, "sync_conflicts", id, "state", "resolved", reason, error) ||
      !cb_store_update (store, "sync_conflicts", id, "resolution", resolution, reason, error) ||
      !cb_store_update (store, "sync_conflicts", id, "resolved_by", resolved_by, reason, error) ||
      !cb_store_update (store, "sync_conflicts", id, "resolution_reason", reason, reason, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}
