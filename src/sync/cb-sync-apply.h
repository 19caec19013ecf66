/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-sync-codec.h"

G_BEGIN_DECLS

/*
 * Moving changes between stores.  The server receives a bench's batch: it
 * checks the chain (each hash recomputed from the one before), applies each
 * new change once in its own store, and acknowledges every change again
 * when a batch is replayed.  A bench takes its outbox (entries after the
 * last acknowledged one), records the acks, and applies the pages it pulls
 * from the server's chain.  Rows have their own ids on each side: inserts
 * and references are mapped (cb-store-sync.h).
 */

/* NULL when the change may be applied, else why not (freed by the caller).
 * @entries: the CbAuditEntry of one change, or of one row's insert. */
typedef char *(*CbSyncAuthoriseFunc) (GPtrArray *entries,
                                      gpointer   user_data);

/* The server. */
CbSyncAcks  *cb_sync_receive          (CbStore              *store,
                                       const CbSyncBatch    *batch,
                                       CbSyncAuthoriseFunc   authorise,
                                       gpointer              user_data,
                                       GError              **error);
/* A page of the server's chain after @after, at most @limit changes. */
CbSyncPage  *cb_sync_serve_page       (CbStore              *store,
                                       gint64                after,
                                       guint                 limit,
                                       GError              **error);

/* A bench. */
/* The next batch: up to about @limit entries after the acknowledged one
 * (an insert's entries are never split), or a batch without changes. */
CbSyncBatch *cb_sync_outbox_take      (CbStore              *store,
                                       guint                 limit,
                                       GError              **error);
/* This bench's own changes the server has not acknowledged (entries it
 * pulled are sent back too, but are not counted). */
gint64       cb_sync_outbox_pending   (CbStore              *store,
                                       GError              **error);
gboolean     cb_sync_outbox_acknowledge (CbStore            *store,
                                       const CbSyncBatch    *batch,
                                       const CbSyncAcks     *acks,
                                       GError              **error);
/* Applies a page of the server's chain and moves the pull cursor; the
 * bench's own changes coming back are passed by. */
gboolean     cb_sync_apply_page       (CbStore              *store,
                                       const CbSyncPage     *page,
                                       GError              **error);

G_END_DECLS
