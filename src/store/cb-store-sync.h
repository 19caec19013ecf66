/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * The bookkeeping of sync, on both sides.  A bench keeps how far the server
 * acknowledged its audit chain (its outbox is every entry after that) and
 * how far it pulled; the server keeps each bench's chain head, every change
 * it received (once, by workstation and sequence), tokens, leases of records
 * to benches and conflicts.  Both keep where the other side's rows are here
 * (rows have their own ids on each side).
 */

#define CB_SYNC_PEER_SERVER "server"

typedef struct
{
  char   *table;
  gint64  peer_row;
  gint64  local_row;
} CbSyncRowMap;

/* A change the server received, as it keeps it. */
typedef struct
{
  char   *hash;
  char   *status;      /* applied, echo, conflict or refused */
  gint64  server_seq;
  gint64  server_row;  /* 0 when the change made no row */
  char   *detail;
} CbSyncReceived;

typedef struct
{
  gint64  id;
  char   *table;
  gint64  row_id;
  char   *field;
  char   *server_value;
  char   *bench_value;
  char   *workstation;
  gint64  change_seq;
  char   *actor;
  char   *detail;
  char   *state;       /* open or resolved */
  char   *resolution;  /* server or bench */
  char   *resolved_by;
  char   *resolution_reason;
} CbSyncConflict;

void            cb_sync_row_map_free           (CbSyncRowMap   *map);
void            cb_sync_received_free          (CbSyncReceived *received);
void            cb_sync_conflict_free          (CbSyncConflict *conflict);

/* Both sides. */
/* The local row of @peer's row @peer_row of @table; 0 when unknown. */
gint64          cb_store_sync_row_lookup       (CbStore        *store,
                                                const char     *peer,
                                                const char     *table,
                                                gint64          peer_row,
                                                GError        **error);
/* @peer's row for local row @local_row of @table; 0 when unknown. */
gint64          cb_store_sync_row_reverse      (CbStore        *store,
                                                const char     *peer,
                                                const char     *table,
                                                gint64          local_row,
                                                GError        **error);
gboolean        cb_store_sync_row_map          (CbStore        *store,
                                                const char     *peer,
                                                const char     *table,
                                                gint64          peer_row,
                                                gint64          local_row,
                                                gboolean        reported,
                                                GError        **error);
/* At most @limit CbSyncRowMap of @peer not yet reported to it. */
GPtrArray      *cb_store_sync_rows_unreported  (CbStore        *store,
                                                const char     *peer,
                                                guint           limit,
                                                GError        **error);
/* @rows (CbSyncRowMap, as cb_store_sync_rows_unreported() gave them) have
 * reached @peer. */
gboolean        cb_store_sync_rows_reported    (CbStore        *store,
                                                const char     *peer,
                                                GPtrArray      *rows,
                                                GError        **error);
/* The table that @table.@field refers to, NULL when it is no reference. */
char           *cb_store_sync_reference        (CbStore        *store,
                                                const char     *table,
                                                const char     *field);

/* A bench. */
gboolean        cb_store_sync_state_get        (CbStore        *store,
                                                const char     *peer,
                                                gint64         *acked_seq,
                                                gint64         *pulled_seq,
                                                GError        **error);
gboolean        cb_store_sync_state_set        (CbStore        *store,
                                                const char     *peer,
                                                gint64          acked_seq,
                                                gint64          pulled_seq,
                                                GError        **error);
/* A change of this bench that the server did not apply. */
gboolean        cb_store_sync_outcome_add      (CbStore        *store,
                                                gint64          audit_seq,
                                                const char     *status,
                                                const char     *detail,
                                                GError        **error);
gint64          cb_store_sync_outcome_count    (CbStore        *store,
                                                GError        **error);
/* Audit entries after @after_seq written on @workstation (not pulled). */
gint64          cb_store_sync_count_own        (CbStore        *store,
                                                gint64          after_seq,
                                                const char     *workstation,
                                                GError        **error);

/* The server. */
/* FALSE without an error when @workstation never pushed. */
gboolean        cb_store_sync_bench_get        (CbStore        *store,
                                                const char     *workstation,
                                                gint64         *last_seq,
                                                char          **last_hash,
                                                GError        **error);
gboolean        cb_store_sync_bench_set        (CbStore        *store,
                                                const char     *workstation,
                                                gint64          last_seq,
                                                const char     *last_hash,
                                                GError        **error);
/* NULL without an error when the change was never received. */
CbSyncReceived *cb_store_sync_received_get     (CbStore        *store,
                                                const char     *workstation,
                                                gint64          seq,
                                                GError        **error);
gboolean        cb_store_sync_received_add     (CbStore        *store,
                                                const char     *workstation,
                                                gint64          seq,
                                                const char     *hash,
                                                const char     *utc,
                                                const char     *actor,
                                                const char     *status,
                                                gint64          server_seq,
                                                gint64          server_row,
                                                const char     *detail,
                                                GError        **error);

/* Tokens are kept by their SHA-256 only; times as YYYY-MM-DDTHH:MM:SSZ. */
gboolean        cb_store_sync_token_add        (CbStore        *store,
                                                const char     *token_hash,
                                                gint64          staff_id,
                                                const char     *workstation,
                                                const char     *expires,
                                                GError        **error);
/* The staff id of a token neither expired at @now nor revoked, and its
 * workstation; 0 (without an error) for any other token. */
gint64          cb_store_sync_token_check      (CbStore        *store,
                                                const char     *token_hash,
                                                const char     *now,
                                                char          **workstation,
                                                GError        **error);
gboolean        cb_store_sync_token_revoke     (CbStore        *store,
                                                const char     *token_hash,
                                                GError        **error);
/* Every token of @staff_id. */
gboolean        cb_store_sync_token_revoke_all (CbStore        *store,
                                                gint64          staff_id,
                                                GError        **error);

/* The bench a row is leased to, NULL when it is not leased. */
char           *cb_store_sync_lease_get        (CbStore        *store,
                                                const char     *table,
                                                gint64          row,
                                                GError        **error);
gboolean        cb_store_sync_lease_set        (CbStore        *store,
                                                const char     *table,
                                                gint64          row,
                                                const char     *workstation,
                                                GError        **error);

/* Audited: a conflict keeps both versions until an admin resolves it. */
gint64          cb_store_sync_conflict_add     (CbStore        *store,
                                                const CbSyncConflict *conflict,
                                                GError        **error);
CbSyncConflict *cb_store_sync_conflict_get     (CbStore        *store,
                                                gint64          id,
                                                GError        **error);
/* CbSyncConflict, oldest first; only open ones unless @all. */
GPtrArray      *cb_store_sync_conflict_list    (CbStore        *store,
                                                gboolean        all,
                                                GError        **error);
/* Keeps the @resolution ("server" or "bench") version: the bench's value is
 * written to the row when chosen.  @reason is required. */
gboolean        cb_store_sync_conflict_resolve (CbStore        *store,
                                                gint64          id,
                                                const char     *resolution,
                                                const char     *resolved_by,
                                                const char     *reason,
                                                GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSyncRowMap, cb_sync_row_map_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSyncReceived, cb_sync_received_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSyncConflict, cb_sync_conflict_free)

G_END_DECLS
