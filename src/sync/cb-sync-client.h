/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/cb-store.h"

G_BEGIN_DECLS

/*
 * A bench's side of sync, on libsoup: logs in for a token, pushes the
 * outbox in batches until the server has acknowledged it all, then pulls
 * the server's chain after the bench's cursor, page by page.  In the
 * background it syncs every interval and backs off while the server cannot
 * be reached.  Its state (synced, pending N, offline, conflict) is a
 * property for the UI to show.
 */

typedef enum
{
  CB_SYNC_STATE_SYNCED,
  CB_SYNC_STATE_PENDING,   /* changes not yet acknowledged: see the pending property */
  CB_SYNC_STATE_OFFLINE,   /* the server could not be reached */
  CB_SYNC_STATE_CONFLICT,  /* the server kept a change as a conflict, refused one, or the chain diverged */
} CbSyncState;

#define CB_TYPE_SYNC_STATE (cb_sync_state_get_type ())
#define CB_TYPE_SYNC_CLIENT (cb_sync_client_get_type ())

GType cb_sync_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (CbSyncClient, cb_sync_client, CB, SYNC_CLIENT, GObject)

/* What one sync did. */
typedef struct
{
  guint pushed;   /* changes acknowledged by the server */
  guint pulled;   /* server changes read */
} CbSyncReport;

/* @store stays owned by the caller and must outlive the client. */
CbSyncClient *cb_sync_client_new          (CbStore              *store,
                                           const char           *server_url);
/* Trusts the certificates in @path (PEM) instead of the system's. */
gboolean      cb_sync_client_set_ca_file  (CbSyncClient         *self,
                                           const char           *path,
                                           GError              **error);
void          cb_sync_client_set_token    (CbSyncClient         *self,
                                           const char           *token);
const char   *cb_sync_client_get_token    (CbSyncClient         *self);
/* Changes per push (at most CB_SYNC_MAX_CHANGES). */
void          cb_sync_client_set_batch_size (CbSyncClient       *self,
                                           guint                 size);
CbSyncState   cb_sync_client_get_state    (CbSyncClient         *self);
gint64        cb_sync_client_get_pending  (CbSyncClient         *self);
/* Syncs on a connection of its own to the store's file, its reading and
 * writing on a worker thread: the thread that calls the client (a UI's)
 * only sends and receives.  Without it the client works on the store it
 * was given, on the calling thread. */
gboolean      cb_sync_client_use_worker_thread (CbSyncClient    *self,
                                           GError              **error);
/* Reads the state from the store: pending changes and kept conflicts. */
void          cb_sync_client_refresh      (CbSyncClient         *self);

void          cb_sync_client_login_async  (CbSyncClient         *self,
                                           const char           *login,
                                           const char           *password,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      cb_sync_client_login_finish (CbSyncClient         *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void          cb_sync_client_logout_async (CbSyncClient         *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      cb_sync_client_logout_finish (CbSyncClient        *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void          cb_sync_client_sync_async   (CbSyncClient         *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      cb_sync_client_sync_finish  (CbSyncClient         *self,
                                           GAsyncResult         *result,
                                           CbSyncReport         *report,
                                           GError              **error);
/* Enrolling a bench: the people's credentials from the server (an admin's
 * token), kept in the bench's store so that they log in while offline.
 * The staff must have been pulled first.  Finishes with how many. */
void          cb_sync_client_take_credentials_async  (CbSyncClient        *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
/* The logged-in person's own credentials (any token), the same way: a
 * bench that logged someone in over the network lets them in offline
 * after.  Finishes with cb_sync_client_take_credentials_finish(). */
void          cb_sync_client_take_my_credentials_async (CbSyncClient      *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gssize        cb_sync_client_take_credentials_finish (CbSyncClient       *self,
                                           GAsyncResult         *result,
                                           GError              **error);
/* The signed file of issued certificate @number, which a bench's store
 * keeps only the row of; TAMPERED unless its SHA-256 is @sha256 (the
 * row's).  Kept in the user's cache (calbench/certificates/SHA256.pdf)
 * and taken from there while it still has that hash. */
void          cb_sync_client_fetch_certificate_async  (CbSyncClient       *self,
                                           const char           *number,
                                           const char           *sha256,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GBytes       *cb_sync_client_fetch_certificate_finish (CbSyncClient       *self,
                                           GAsyncResult         *result,
                                           GError              **error);
/* Syncs now and then every @interval_seconds, backing off (doubling, up to
 * @max_backoff_seconds) while the server cannot be reached. */
void          cb_sync_client_start        (CbSyncClient         *self,
                                           guint                 interval_seconds,
                                           guint                 max_backoff_seconds);
void          cb_sync_client_stop         (CbSyncClient         *self);

G_END_DECLS
