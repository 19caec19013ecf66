/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-sync-apply.h"

/* What applying one change (or one insert's entries) came to. */
typedef struct
{
  const char *status;   /* applied, echo, conflict or refused */
  gint64      row;      /* the row here, 0 when none */
  char       *detail;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->detail, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static char *
hex_of (const guint8 *hash)
{
  GString *hex = g_string_sized_new (2 * CB_AUDIT_HASH_LENGTH);

  for (guint i = 0; i < CB_AUDIT_HASH_LENGTH; i++)
    g_string_append_printf (hex, "%02x", hash[i]);
  return g_string_free (hex, FALSE);
}

static gboolean
bytes_of (const char *hex,
          guint8     *hash)
{
  if (hex == NULL || strlen (hex) != 2 * CB_AUDIT_HASH_LENGTH)
    return FALSE;
  for (guint i = 0; i < CB_AUDIT_HASH_LENGTH; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]), lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      hash[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

static gboolean
parse_row_id (const char *text,
              gint64     *id)
{
  char *end = NULL;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  *id = g_ascii_strtoll (text, &end, 10);
  return end != NULL && *end == '\0' && *id > 0;
}

/* A value as the other side wrote it, with a reference mapped to the row
 * here.  FALSE (and @missing set) when the referenced row is unknown here. */
static gboolean
map_value (CbStore     *store,
           const char  *peer,
           const char  *table,
           const char  *field,
           const char  *value,
           char       **mapped,
           char       **missing)
{
  g_autofree char *referenced = cb_store_sync_reference (store, table, field);
  gint64 id, local;

  *mapped = NULL;
  if (referenced == NULL || !parse_row_id (value, &id))
    {
      *mapped = g_strdup (value);
      return TRUE;
    }
  local = cb_store_sync_row_lookup (store, peer, referenced, id, NULL);
  if (local <= 0)
    {
      *missing = g_strdup_printf (_("%s.%s refers to %s row %lld, which is not known here"),
                                  table, field, referenced, (long long) id);
      return FALSE;
    }
  *mapped = g_strdup_printf ("%" G_GINT64_FORMAT, local);
  return TRUE;
}

static gboolean
is_table (CbStore    *store,
          const char *table)
{
  g_autoptr(GError) error = NULL;

  /* A missing row of a real table is NOT_FOUND; a missing table is INVALID. */
  g_free (cb_store_get_field (store, table, -1, "id", &error));
  return error != NULL && g_error_matches (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND);
}

/* Tables whose rows only their own side writes. */
static gboolean
is_local_only (const char *table)
{
  return g_str_equal (table, "accounts") || g_str_has_prefix (table, "sync_") || g_str_equal (table, "audit");
}

/* The record a row belongs to, for leases: a record itself, or a row with
 * a record_id. */
static gint64
leased_record (CbStore    *store,
               const char *table,
               gint64      row,
               const char *record_id_value)
{
  gint64 id = 0;

  if (g_str_equal (table, "records"))
    return row;
  if (record_id_value != NULL && parse_row_id (record_id_value, &id))
    return id;
  if (row > 0 && !g_str_equal (table, "records"))
    {
      g_autofree char *referenced = cb_store_sync_reference (store, table, "record_id");
      g_autofree char *value = NULL;

      if (g_strcmp0 (referenced, "records") != 0)
        return 0;
      value = cb_store_get_field (store, table, row, "record_id", NULL);
      if (value != NULL && parse_row_id (value, &id))
        return id;
    }
  return 0;
}

static gboolean
lease_refuses (CbStore     *store,
               const char  *workstation,
               gint64       record,
               Outcome     *outcome)
{
  g_autofree char *holder = NULL;

  if (record <= 0)
    return FALSE;
  holder = cb_store_sync_lease_get (store, "records", record, NULL);
  if (holder == NULL || g_str_equal (holder, workstation))
    return FALSE;
  outcome->status = "conflict";
  outcome->detail = g_strdup_printf (_("record %lld is being measured on %s"), (long long) record, holder);
  return TRUE;
}

static void
keep_conflict (CbStore            *store,
               const char         *workstation,
               const CbAuditEntry *entry,
               gint64              row,
               const char         *server_value,
               const char         *bench_value,
               Outcome            *outcome)
{
  g_autoptr(GError) error = NULL;
  CbSyncConflict conflict = { 0 };

  conflict.table = entry->table;
  conflict.row_id = row;
  conflict.field = row > 0 ? entry->field : NULL;
  conflict.server_value = (char *) server_value;
  conflict.bench_value = (char *) bench_value;
  conflict.workstation = (char *) workstation;
  conflict.change_seq = entry->seq;
  conflict.actor = entry->actor;
  conflict.detail = outcome->detail;
  if (cb_store_sync_conflict_add (store, &conflict, &error) <= 0)
    g_message ("sync: %s:%lld: the conflict could not be kept: %s", workstation, (long long) entry->seq,
               error->message);
}

/* One insert, from its entries (one per field). */
static void
apply_insert (CbStore       *store,
              const char    *peer,
              gboolean       server,
              GPtrArray     *group,
              Outcome       *outcome)
{
  const CbAuditEntry *first = g_ptr_array_index (group, 0);
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *record_value = NULL;
  gint64 existing, row;

  existing = cb_store_sync_row_lookup (store, peer, first->table, first->row, NULL);
  if (existing > 0)
    {
      outcome->status = "applied";
      outcome->row = existing;
      return;
    }
  for (guint i = 0; i < group->len; i++)
    {
      const CbAuditEntry *entry = g_ptr_array_index (group, i);
      char *mapped = NULL;

      g_string_append_printf (summary, "%s%s=%s", i ? "; " : "", entry->field,
                              entry->new_value ? entry->new_value : "NULL");
      if (!map_value (store, peer, entry->table, entry->field, entry->new_value, &mapped, &outcome->detail))
        {
          outcome->status = "refused";
          return;
        }
      if (g_str_equal (entry->field, "record_id"))
        record_value = mapped;
      g_ptr_array_add (fields, entry->field);
      g_ptr_array_add (values, mapped);
    }
  if (server && lease_refuses (store, peer, leased_record (store, first->table, 0, record_value), outcome))
    {
      keep_conflict (store, peer, first, 0, NULL, summary->str, outcome);
      return;
    }

  row = cb_store_insert (store, first->table, (const char * const *) fields->pdata,
                         (const char * const *) values->pdata, fields->len, first->reason, &error);
  if (row <= 0)
    {
      outcome->status = "conflict";
      outcome->detail = g_strdup (error->message);
      if (server)
        keep_conflict (store, peer, first, 0, NULL, summary->str, outcome);
      return;
    }
  /* A bench reports where the rows it pulled are; the server knows its own. */
  if (!cb_store_sync_row_map (store, peer, first->table, first->row, row, server, &error))
    {
      outcome->status = "refused";
      outcome->detail = g_strdup (error->message);
      return;
    }
  if (server && g_str_equal (first->table, "records"))
    cb_store_sync_lease_set (store, "records", row, peer, NULL);
  outcome->status = "applied";
  outcome->row = row;
}

static void
apply_update (CbStore            *store,
              const char         *peer,
              gboolean            server,
              const CbAuditEntry *entry,
              Outcome            *outcome)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_value = NULL;
  g_autofree char *new_value = NULL;
  g_autofree char *current = NULL;
  gint64 row = cb_store_sync_row_lookup (store, peer, entry->table, entry->row, NULL);

  if (row <= 0)
    {
      outcome->status = "refused";
      outcome->detail = g_strdup_printf (_("%s row %lld is not known here"), entry->table, (long long) entry->row);
      return;
    }
  outcome->row = row;
  if (g_str_equal (entry->action, "void"))
    {
      /* A void writes two entries; the first one voids the row. */
      if (g_str_equal (entry->field, "voided") &&
          !cb_store_void (store, entry->table, row, entry->reason, &error))
        {
          outcome->status = "conflict";
          outcome->detail = g_strdup (error->message);
          return;
        }
      outcome->status = "applied";
      return;
    }

  if (!map_value (store, peer, entry->table, entry->field, entry->old_value, &old_value, &outcome->detail) ||
      !map_value (store, peer, entry->table, entry->field, entry->new_value, &new_value, &outcome->detail))
    {
      outcome->status = "refused";
      return;
    }
  if (server && lease_refuses (store, peer, leased_record (store, entry->table, row, NULL), outcome))
    {
      keep_conflict (store, peer, entry, row, NULL, new_value, outcome);
      return;
    }
  current = cb_store_get_field (store, entry->table, row, entry->field, &error);
  if (error != NULL)
    {
      outcome->status = "refused";
      outcome->detail = g_strdup (error->message);
      return;
    }
  /* The server never lets the last writer win silently: an edit made from a
   * value the server no longer holds is kept beside it as a conflict.  A
   * bench takes what the server says. */
  if (server && g_strcmp0 (current, old_value) != 0 && g_strcmp0 (current, new_value) != 0)
    {
      outcome->status = "conflict";
      outcome->detail = g_strdup_printf (_("%s row %lld, %s: changed here to “%s” while the bench changed “%s” to “%s”"),
                                         entry->table, (long long) row, entry->field,
                                         current ? current : "NULL", old_value ? old_value : "NULL",
                                         new_value ? new_value : "NULL");
      keep_conflict (store, peer, entry, row, current, new_value, outcome);
      return;
    }
  if (g_strcmp0 (current, new_value) != 0 &&
      !cb_store_update (store, entry->table, row, entry->field, new_value, entry->reason, &error))
    {
      outcome->status = "conflict";
      outcome->detail = g_strdup (error->message);
      if (server)
        keep_conflict (store, peer, entry, row, current, new_value, outcome);
      return;
    }
  outcome->status = "applied";
}

/* Applies one change or one insert's entries (@group) as @group's first
 * entry's actor, inside a savepoint: a failed write undoes only itself. */
static gboolean
apply_group (CbStore    *store,
             const char *peer,
             gboolean    server,
             GPtrArray  *group,
             Outcome    *outcome,
             GError    **error)
{
  const CbAuditEntry *first = g_ptr_array_index (group, 0);
  g_autofree char *actor = g_strdup (cb_store_get_actor (store));
  g_autofree char *workstation = g_strdup (cb_store_get_workstation (store));
  gboolean keep;

  if (is_local_only (first->table) || !is_table (store, first->table))
    {
      outcome->status = "refused";
      outcome->detail = g_strdup_printf (_("%s is not synced"), first->table);
      return TRUE;
    }

  if (!cb_store_savepoint (store, error))
    return FALSE;
  cb_store_set_actor (store, first->actor, first->workstation);
  if (g_str_equal (first->action, "insert"))
    apply_insert (store, peer, server, group, outcome);
  else
    apply_update (store, peer, server, first, outcome);
  cb_store_set_actor (store, actor, workstation);

  /* A refusal writes nothing; a kept conflict is written. */
  keep = g_strcmp0 (outcome->status, "refused") != 0;
  if (!cb_store_savepoint_end (store, keep, NULL) && keep)
    {
      /* The write failed after all: nothing of it stays. */
      outcome->status = "conflict";
    }
  return TRUE;
}

/* The entries of one insert: consecutive inserts of the same row. */
static guint
group_end (GPtrArray *changes,
           guint      start,
           gboolean   page)
{
  const CbSyncChange *first = g_ptr_array_index (changes, start);
  guint end = start + 1;

  if (!g_str_equal (first->entry->action, "insert"))
    return end;
  while (end < changes->len)
    {
      const CbAuditEntry *entry = ((CbSyncChange *) g_ptr_array_index (changes, end))->entry;

      if (!g_str_equal (entry->action, "insert") || entry->row != first->entry->row ||
          !g_str_equal (entry->table, first->entry->table) ||
          g_strcmp0 (entry->workstation, first->entry->workstation) != 0)
        break;
      end++;
    }
  (void) page;
  return end;
}

static CbSyncAck *
ack_new (gint64      seq,
         const char *status,
         gint64      row,
         const char *detail)
{
  CbSyncAck *ack = g_new0 (CbSyncAck, 1);

  ack->seq = seq;
  ack->status = g_strdup (status);
  ack->server_row = row;
  ack->detail = g_strdup (detail);
  return ack;
}

/* Records the bench's rows it pulled, where the server has them. */
static gboolean
receive_rows (CbStore            *store,
              const CbSyncBatch  *batch,
              GError            **error)
{
  for (guint i = 0; i < batch->rows->len; i++)
    {
      const CbSyncRowMap *map = g_ptr_array_index (batch->rows, i);
      g_autoptr(GError) local_error = NULL;

      if (is_local_only (map->table))
        continue;
      /* Only rows that exist here are mapped: a bench cannot point at nothing. */
      g_free (cb_store_get_field (store, map->table, map->peer_row, "id", &local_error));
      if (local_error != NULL)
        continue;
      if (!cb_store_sync_row_map (store, batch->workstation, map->table, map->local_row, map->peer_row, TRUE,
                                  error))
        return FALSE;
    }
  return TRUE;
}

CbSyncAcks *
cb_sync_receive (CbStore              *store,
                 const CbSyncBatch    *batch,
                 CbSyncAuthoriseFunc   authorise,
                 gpointer              user_data,
                 GError              **error)
{
  g_autoptr(CbSyncAcks) acks = cb_sync_acks_new ();
  g_autofree char *last_hash = NULL;
  guint8 previous[CB_AUDIT_HASH_LENGTH] = { 0 };
  const char *ws = batch->workstation;
  gint64 last_seq = 0, first;
  GError *local_error = NULL;

  cb_store_sync_bench_get (store, ws, &last_seq, &last_hash, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (batch->head < last_seq)
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_DIVERGED,
                   _("%s: its chain ends at change %lld, but the server already has its changes up to %lld: "
                     "an older copy of its database was restored"),
                   ws, (long long) batch->head, (long long) last_seq);
      return NULL;
    }
  if (batch->changes->len == 0)
    {
      acks->server_seq = cb_store_audit_last_seq (store, NULL);
      return g_steal_pointer (&acks);
    }

  first = ((CbSyncChange *) g_ptr_array_index (batch->changes, 0))->entry->seq;
  if (first > last_seq + 1)
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_GAP,
                   _("%s: the batch starts at change %lld, but the server has its changes only up to %lld"),
                   ws, (long long) first, (long long) last_seq);
      return NULL;
    }
  if (first > 1)
    {
      g_autoptr(CbSyncReceived) before = first - 1 == last_seq ? NULL
                                         : cb_store_sync_received_get (store, ws, first - 1, NULL);
      const char *hex = first - 1 == last_seq ? last_hash : before ? before->hash : NULL;

      if (!bytes_of (hex, previous))
        {
          g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_SERVER,
                       _("%s: change %lld is missing on the server"), ws, (long long) (first - 1));
          return NULL;
        }
    }

  if (!cb_store_begin (store, error))
    return NULL;
  if (!receive_rows (store, batch, error))
    goto failed;

  for (guint i = 0; i < batch->changes->len;)
    {
      const CbSyncChange *change = g_ptr_array_index (batch->changes, i);
      guint end = group_end (batch->changes, i, FALSE);
      g_autoptr(GPtrArray) group = g_ptr_array_new ();
      g_auto(Outcome) outcome = { NULL, 0, NULL };
      gint64 server_seq;

      /* Every hash is recomputed: the chain holds or the batch is refused. */
      for (guint j = i; j < end; j++)
        {
          const CbSyncChange *item = g_ptr_array_index (batch->changes, j);
          guint8 hash[CB_AUDIT_HASH_LENGTH];
          g_autofree char *hex = NULL;

          cb_store_audit_entry_hash (previous, item->entry, hash);
          hex = hex_of (hash);
          if (!g_str_equal (hex, item->hash))
            {
              g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_TAMPERED,
                           _("%s: change %lld does not match its hash: the chain is broken"),
                           ws, (long long) item->entry->seq);
              goto failed;
            }
          memcpy (previous, hash, sizeof previous);
          g_ptr_array_add (group, item->entry);
        }

      /* Received before: acknowledged again, never applied again. */
      if (change->entry->seq <= last_seq)
        {
          for (guint j = i; j < end; j++)
            {
              const CbSyncChange *item = g_ptr_array_index (batch->changes, j);
              g_autoptr(CbSyncReceived) received = cb_store_sync_received_get (store, ws, item->entry->seq, NULL);

              if (received == NULL || !g_str_equal (received->hash, item->hash))
                {
                  g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_DIVERGED,
                               _("%s: change %lld differs from the one the server received: "
                                 "the bench's chain was rewritten or an older database restored"),
                               ws, (long long) item->entry->seq);
                  goto failed;
                }
              g_ptr_array_add (acks->acks, ack_new (item->entry->seq, received->status, received->server_row,
                                                    received->detail));
            }
          i = end;
          continue;
        }

      if (g_strcmp0 (change->entry->workstation, ws) != 0)
        outcome.status = "echo";   /* pulled from the server: already here */
      else
        {
          g_autofree char *refusal = authorise != NULL ? authorise (group, user_data) : NULL;

          if (refusal != NULL)
            {
              outcome.status = "refused";
              outcome.detail = g_steal_pointer (&refusal);
            }
          else if (!apply_group (store, ws, TRUE, group, &outcome, error))
            goto failed;
        }

      server_seq = cb_store_audit_last_seq (store, NULL);
      for (guint j = i; j < end; j++)
        {
          const CbSyncChange *item = g_ptr_array_index (batch->changes, j);

          if (!cb_store_sync_received_add (store, ws, item->entry->seq, item->hash, item->entry->utc,
                                           item->entry->actor, outcome.status, server_seq, outcome.row,
                                           outcome.detail, error))
            goto failed;
          g_ptr_array_add (acks->acks, ack_new (item->entry->seq, outcome.status, outcome.row, outcome.detail));
        }
      i = end;
    }

  {
    const CbSyncChange *last = g_ptr_array_index (batch->changes, batch->changes->len - 1);

    if (last->entry->seq > last_seq && !cb_store_sync_bench_set (store, ws, last->entry->seq, last->hash, error))
      goto failed;
  }
  if (!cb_store_commit (store, error))
    return NULL;
  acks->server_seq = cb_store_audit_last_seq (store, NULL);
  return g_steal_pointer (&acks);

failed:
  cb_store_rollback (store);
  return NULL;
}

/* How many of @entries (read a little past @limit) to send: @limit, or a
 * few more so that a row's insert is never cut in two. */
static guint
whole_rows (GPtrArray *entries,
            guint      limit)
{
  guint n = MIN (limit, entries->len);

  while (n > 0 && n < entries->len)
    {
      const CbAuditEntry *entry = g_ptr_array_index (entries, n);
      const CbAuditEntry *before = g_ptr_array_index (entries, n - 1);

      if (!g_str_equal (entry->action, "insert") || !g_str_equal (before->action, "insert") ||
          entry->row != before->row || !g_str_equal (entry->table, before->table))
        break;
      n++;
    }
  return n;
}

CbSyncPage *
cb_sync_serve_page (CbStore  *store,
                    gint64    after,
                    guint     limit,
                    GError  **error)
{
  g_autoptr(CbSyncPage) page = cb_sync_page_new ();
  g_autoptr(GPtrArray) hashes = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gint64 last;
  guint n;

  limit = CLAMP (limit, 1, CB_SYNC_MAX_CHANGES - 100);
  /* A little more than asked, so that a row's insert is not cut in two. */
  entries = cb_store_audit_read (store, after, limit + 100, &hashes, error);
  if (entries == NULL)
    return NULL;
  last = cb_store_audit_last_seq (store, error);
  if (last < 0)
    return NULL;
  page->next = after;
  n = whole_rows (entries, limit);
  for (guint i = 0; i < n; i++)
    {
      CbAuditEntry *entry = g_ptr_array_index (entries, i);

      page->next = entry->seq;
      g_ptr_array_add (page->changes, cb_sync_change_new (cb_audit_entry_copy (entry), g_ptr_array_index (hashes, i)));
    }
  page->more = page->next < last;
  return g_steal_pointer (&page);
}

gint64
cb_sync_outbox_pending (CbStore  *store,
                        GError  **error)
{
  gint64 acked, pulled;

  if (!cb_store_sync_state_get (store, CB_SYNC_PEER_SERVER, &acked, &pulled, error))
    return -1;
  return cb_store_sync_count_own (store, acked, cb_store_get_workstation (store), error);
}

CbSyncBatch *
cb_sync_outbox_take (CbStore  *store,
                     guint     limit,
                     GError  **error)
{
  g_autoptr(CbSyncBatch) batch = cb_sync_batch_new (cb_store_get_workstation (store));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 acked, pulled;

  limit = CLAMP (limit, 1, CB_SYNC_MAX_CHANGES - 100);
  if (!cb_store_sync_state_get (store, CB_SYNC_PEER_SERVER, &acked, &pulled, error))
    return NULL;
  batch->head = cb_store_audit_last_seq (store, error);
  if (batch->head < 0)
    return NULL;
  /* A little more than asked, so that a row's insert is not cut in two. */
  entries = cb_store_audit_read (store, acked, limit + 100, &hashes, error);
  if (entries == NULL)
    return NULL;
  for (guint i = 0, n = whole_rows (entries, limit); i < n; i++)
    {
      CbAuditEntry *entry = g_ptr_array_index (entries, i);

      g_ptr_array_add (batch->changes, cb_sync_change_new (cb_audit_entry_copy (entry), g_ptr_array_index (hashes, i)));
    }
  rows = cb_store_sync_rows_unreported (store, CB_SYNC_PEER_SERVER, CB_SYNC_MAX_CHANGES, error);
  if (rows == NULL)
    return NULL;
  g_ptr_array_extend_and_steal (batch->rows, g_steal_pointer (&rows));
  return g_steal_pointer (&batch);
}

gboolean
cb_sync_outbox_acknowledge (CbStore           *store,
                            const CbSyncBatch *batch,
                            const CbSyncAcks  *acks,
                            GError           **error)
{
  gint64 acked, pulled, next;

  if (!cb_store_sync_state_get (store, CB_SYNC_PEER_SERVER, &acked, &pulled, error))
    return FALSE;
  next = acked;
  if (!cb_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < acks->acks->len; i++)
    {
      const CbSyncAck *ack = g_ptr_array_index (acks->acks, i);
      const CbAuditEntry *entry = NULL;

      /* Only what was sent, in order: acks for anything else are ignored. */
      if (ack->seq != next + 1)
        break;
      for (guint j = 0; j < batch->changes->len && entry == NULL; j++)
        if (((CbSyncChange *) g_ptr_array_index (batch->changes, j))->entry->seq == ack->seq)
          entry = ((CbSyncChange *) g_ptr_array_index (batch->changes, j))->entry;
      if (entry == NULL)
        break;
      if (g_str_equal (ack->status, "applied") && g_str_equal (entry->action, "insert") && ack->server_row > 0 &&
          !cb_store_sync_row_map (store, CB_SYNC_PEER_SERVER, entry->table, ack->server_row, entry->row, TRUE,
                                  error))
        goto failed;
      if ((g_str_equal (ack->status, "conflict") || g_str_equal (ack->status, "refused")) &&
          !cb_store_sync_outcome_add (store, ack->seq, ack->status, ack->detail, error))
        goto failed;
      next = ack->seq;
    }
  if (!cb_store_sync_rows_reported (store, CB_SYNC_PEER_SERVER, batch->rows, error) ||
      !cb_store_sync_state_set (store, CB_SYNC_PEER_SERVER, next, pulled, error))
    goto failed;
  return cb_store_commit (store, error);

failed:
  cb_store_rollback (store);
  return FALSE;
}

gboolean
cb_sync_apply_page (CbStore           *store,
                    const CbSyncPage  *page,
                    GError           **error)
{
  const char *self = cb_store_get_workstation (store);
  gint64 acked, pulled;

  if (!cb_store_sync_state_get (store, CB_SYNC_PEER_SERVER, &acked, &pulled, error))
    return FALSE;
  if (!cb_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < page->changes->len;)
    {
      const CbSyncChange *change = g_ptr_array_index (page->changes, i);
      guint end = group_end (page->changes, i, TRUE);
      g_autoptr(GPtrArray) group = g_ptr_array_new ();
      g_auto(Outcome) outcome = { NULL, 0, NULL };

      /* Already applied here, or this bench's own change coming back. */
      if (change->entry->seq <= pulled || g_strcmp0 (change->entry->workstation, self) == 0)
        {
          i = end;
          continue;
        }
      for (guint j = i; j < end; j++)
        g_ptr_array_add (group, ((CbSyncChange *) g_ptr_array_index (page->changes, j))->entry);
      if (!apply_group (store, CB_SYNC_PEER_SERVER, FALSE, group, &outcome, error))
        goto failed;
      if (g_strcmp0 (outcome.status, "applied") != 0 && outcome.detail != NULL)
        g_debug ("sync: server change %lld not applied here: %s", (long long) change->entry->seq, outcome.detail);
      i = end;
    }
  if (!cb_store_sync_state_set (store, CB_SYNC_PEER_SERVER, acked, MAX (page->next, pulled), error))
    goto failed;
  return cb_store_commit (store, error);

failed:
  cb_store_rollback (store);
  return FALSE;
}
