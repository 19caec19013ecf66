/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "instruments/cb-environment-logger.h"
#include "store/cb-store.h"
#include "sync/cb-sync-client.h"

G_BEGIN_DECLS

/*
 * The workstation's session: the lab store it works on (its own SQLite
 * file) and who is logged in.  Pages read the store through it and follow
 * its "logged-in" property.  Logging in checks the password against the
 * local store, so it works offline; it runs on a worker thread (the
 * password hash is slow on purpose).
 */

#define CB_TYPE_SESSION (cb_session_get_type ())

G_DECLARE_FINAL_TYPE (CbSession, cb_session, CB, SESSION, GObject)

/* Opens (or creates) the lab store at @path. */
CbSession  *cb_session_open              (const char          *path,
                                          GError             **error);
CbStore    *cb_session_get_store         (CbSession           *self);
/* A connection of its own to the store's file, as the same person and
 * workstation, for one worker thread's work (a login, a signature): the
 * session's connection stays the main thread's.  Closed with
 * cb_store_close() by whoever ends the work. */
CbStore    *cb_session_open_worker_store (CbSession           *self,
                                          GError             **error);
const char *cb_session_get_path          (CbSession           *self);

void        cb_session_login_async       (CbSession           *self,
                                          const char          *login,
                                          const char          *password,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    cb_session_login_finish      (CbSession           *self,
                                          GAsyncResult        *result,
                                          GError             **error);
void        cb_session_logout            (CbSession           *self);

gboolean    cb_session_get_logged_in     (CbSession           *self);
gint64      cb_session_get_staff_id      (CbSession           *self);
/* The logged-in person's name, NULL when nobody is. */
const char *cb_session_get_staff_name    (CbSession           *self);
/* The logged-in person's user name, NULL when nobody is. */
const char *cb_session_get_login         (CbSession           *self);
gboolean    cb_session_has_role          (CbSession           *self,
                                          const char          *role);

/* Where the instrument of a procedure's role ("calibrator", "uut") answers:
 * a device path, tcp:HOST[:PORT] or /dev/usbtmcN; NULL when not set. */
void        cb_session_set_instrument_port (CbSession         *self,
                                          const char          *role,
                                          const char          *port);
const char *cb_session_get_instrument_port (CbSession         *self,
                                          const char          *role);

/* The room this bench stands in, for its environment; NULL when not set. */
void        cb_session_set_room          (CbSession           *self,
                                          const char          *room);
const char *cb_session_get_room          (CbSession           *self);

/* Logs the room's conditions from the sensor on @port every
 * @interval_seconds into the store, whoever is logged in (the room must be
 * set); NULL stops it. */
void          cb_session_set_environment_sensor (CbSession    *self,
                                          const char          *port,
                                          guint                interval_seconds);
/* NULL when the bench logs no sensor. */
CbEnvironmentLogger *cb_session_get_environment_logger (CbSession *self);

/* The lab server this bench syncs with (https://HOST:PORT; NULL: none),
 * trusting the certificate in @ca_file when given.  After each login the
 * bench logs in there with the same credentials and syncs in the
 * background; logging out stops it. */
gboolean      cb_session_set_server      (CbSession           *self,
                                          const char          *url,
                                          const char          *ca_file,
                                          GError             **error);
/* NULL when the bench has no server. */
CbSyncClient *cb_session_get_sync_client (CbSession           *self);

G_END_DECLS
