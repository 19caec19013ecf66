/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-session.h"
#include "store/cb-store-accounts.h"
#include "store/cb-store-staff.h"

struct _CbSession
{
  GObject   parent_instance;

  CbStore  *store;
  char     *path;
  CbStaff  *staff;      /* NULL when logged out */
  gboolean  busy;       /* a login runs on the store */
  GHashTable *ports;    /* role → port */
  char       *room;
  CbEnvironmentLogger *environment;   /* NULL without a sensor */
  CbSyncClient *sync;   /* NULL without a server */
  GCancellable *sync_cancellable;
};

G_DEFINE_FINAL_TYPE (CbSession, cb_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOGGED_IN,
  PROP_STAFF_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char     *login;
  char     *password;
  gboolean  online;         /* the server was asked, after the bench said no */
  GError   *local_error;    /* what the bench said */
  CbStore  *store;          /* the worker's connection, while it checks */
} LoginData;

static void
login_data_free (gpointer data)
{
  LoginData *login = data;

  g_free (login->login);
  /* The password leaves memory as soon as it is not needed. */
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_clear_error (&login->local_error);
  g_clear_pointer (&login->store, cb_store_close);
  g_free (login);
}

/* Runs on a worker thread, on a connection of its own: the main thread
 * goes on writing on the session's (the room's sensor, sync). */
static void
login_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LoginData *data = task_data;
  g_autoptr(GError) error = NULL;
  CbStore *store = data->store;
  CbStaff *staff;
  gint64 id;

  id = cb_store_login (store, data->login, data->password, &error);
  if (id == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  staff = cb_store_staff_get (store, id, &error);
  if (staff == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, staff, (GDestroyNotify) cb_staff_free);
}

/* Seconds between background syncs, and the longest wait while the server
 * cannot be reached. */
#define SYNC_INTERVAL    30
#define SYNC_MAX_BACKOFF 600

static void
on_server_login (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cb_sync_client_login_finish (CB_SYNC_CLIENT (source_object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Offline, or the server does not know this person yet: the bench
       * works on, and shows it is not syncing. */
      g_message ("sync: %s", error->message);
    }
  /* Background sync: with a token it syncs; without one it reports offline. */
  cb_sync_client_start (CB_SYNC_CLIENT (source_object), SYNC_INTERVAL, SYNC_MAX_BACKOFF);
}

static void
cb_session_finalize (GObject *object)
{
  CbSession *self = CB_SESSION (object);

  g_clear_pointer (&self->staff, cb_staff_free);
  if (self->sync_cancellable != NULL)
    g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  if (self->sync != NULL)
    cb_sync_client_stop (self->sync);
  g_clear_object (&self->sync);
  cb_session_set_environment_sensor (self, NULL, 0);
  g_clear_pointer (&self->store, cb_store_close);
  g_clear_pointer (&self->ports, g_hash_table_unref);
  g_free (self->room);
  g_free (self->path);

  G_OBJECT_CLASS (cb_session_parent_class)->finalize (object);
}

static void
cb_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CbSession *self = CB_SESSION (object);

  switch (prop_id)
    {
    case PROP_LOGGED_IN:
      g_value_set_boolean (value, cb_session_get_logged_in (self));
      break;
    case PROP_STAFF_NAME:
      g_value_set_string (value, cb_session_get_staff_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_session_class_init (CbSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_session_finalize;
  object_class->get_property = cb_session_get_property;

  properties[PROP_LOGGED_IN] =
    g_param_spec_boolean ("logged-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAFF_NAME] =
    g_param_spec_string ("staff-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_session_init (CbSession *self)
{
  self->ports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

CbSession *
cb_session_open (const char  *path,
                 GError     **error)
{
  CbStore *store;
  CbSession *self;

  g_return_val_if_fail (path != NULL, NULL);

  store = cb_store_open (path, error);
  if (store == NULL)
    return NULL;
  cb_store_set_actor (store, "workstation", g_get_host_name ());
  self = g_object_new (CB_TYPE_SESSION, NULL);
  self->store = store;
  self->path = g_strdup (path);
  return self;
}

CbStore *
cb_session_get_store (CbSession *self)
{
  g_return_val_if_fail (CB_IS_SESSION (self), NULL);

  return self->store;
}

CbStore *
cb_session_open_worker_store (CbSession  *self,
                              GError    **error)
{
  CbStore *store;

  g_return_val_if_fail (CB_IS_SESSION (self), NULL);

  store = cb_store_open (self->path, error);
  if (store != NULL)
    cb_store_set_actor (store, cb_store_get_actor (self->store), cb_store_get_workstation (self->store));
  return store;
}

const char *
cb_session_get_path (CbSession *self)
{
  g_return_val_if_fail (CB_IS_SESSION (self), NULL);

  return self->path;
}

static void check_here (GTask *login);

/* The person's credentials are here now: the bench checks again. */
static void
on_my_credentials (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) login = user_data;
  LoginData *data = g_task_get_task_data (login);
  g_autoptr(GError) error = NULL;

  if (cb_sync_client_take_credentials_finish (CB_SYNC_CLIENT (source_object), result, &error) < 0)
    {
      g_message ("login: %s: the server let them in, their credentials stay there: %s", data->login, error->message);
      g_task_return_error (login, g_steal_pointer (&data->local_error));
      return;
    }
  check_here (g_steal_pointer (&login));
}

/* The lab's latest people (a newcomer's row), then their credentials. */
static void
on_online_synced (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *login = user_data;
  g_autoptr(GError) error = NULL;

  if (!cb_sync_client_sync_finish (CB_SYNC_CLIENT (source_object), result, NULL, &error))
    g_message ("login: sync before taking credentials: %s", error->message);
  cb_sync_client_take_my_credentials_async (CB_SYNC_CLIENT (source_object), g_task_get_cancellable (login),
                                            on_my_credentials, login);
}

static void
on_online_login (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) login = user_data;
  LoginData *data = g_task_get_task_data (login);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  /* Unreachable, or the server says no as well: the bench's answer. */
  if (!cb_sync_client_login_finish (CB_SYNC_CLIENT (source_object), result, &error))
    {
      g_task_return_error (login, g_steal_pointer (&data->local_error));
      return;
    }
  cancellable = g_task_get_cancellable (login);
  cb_sync_client_sync_async (CB_SYNC_CLIENT (source_object), cancellable, on_online_synced, g_steal_pointer (&login));
}

static void
on_checked_here (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) login = user_data;
  CbSession *self = g_task_get_source_object (login);
  LoginData *data = g_task_get_task_data (login);
  g_autoptr(GError) error = NULL;
  CbStaff *staff = g_task_propagate_pointer (G_TASK (result), &error);

  if (staff != NULL)
    {
      g_task_return_pointer (login, staff, (GDestroyNotify) cb_staff_free);
      return;
    }
  /* Someone this bench does not know yet, or whose password changed since
   * it was enrolled: the lab server decides, once. */
  if (g_error_matches (error, CB_STORE_ERROR, CB_STORE_ERROR_PERMISSION) && self->sync != NULL && !data->online)
    {
      GCancellable *cancellable = g_task_get_cancellable (login);

      data->online = TRUE;
      data->local_error = g_steal_pointer (&error);
      cb_sync_client_login_async (self->sync, data->login, data->password, cancellable,
                                  on_online_login, g_steal_pointer (&login));
      return;
    }
  g_task_return_error (login, g_steal_pointer (&error));
}

/* The password against this bench's store, on a worker thread. */
static void
check_here (GTask *login)
{
  CbSession *self = g_task_get_source_object (login);
  LoginData *data = g_task_get_task_data (login);
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  if (data->store == NULL && (data->store = cb_session_open_worker_store (self, &error)) == NULL)
    {
      g_task_return_error (login, error);
      g_object_unref (login);
      return;
    }
  task = g_task_new (self, NULL, on_checked_here, login);
  g_task_set_source_tag (task, check_here);
  g_task_set_task_data (task, data, NULL);
  g_task_run_in_thread (task, login_thread);
}

void
cb_session_login_async (CbSession           *self,
                        const char          *login,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoginData *data;

  g_return_if_fail (CB_IS_SESSION (self));
  g_return_if_fail (login != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_session_login_async);
  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("A login is already being checked"));
      return;
    }
  data = g_new0 (LoginData, 1);
  data->login = g_strstrip (g_strdup (login));
  data->password = g_strdup (password);
  g_task_set_task_data (task, data, login_data_free);
  self->busy = TRUE;
  check_here (g_steal_pointer (&task));
}

gboolean
cb_session_login_finish (CbSession     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  CbStaff *staff;

  g_return_val_if_fail (CB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (g_task_get_source_tag (G_TASK (result)) == cb_session_login_async
      && g_task_get_task_data (G_TASK (result)) != NULL)
    self->busy = FALSE;
  staff = g_task_propagate_pointer (G_TASK (result), error);
  if (staff == NULL)
    return FALSE;

  g_clear_pointer (&self->staff, cb_staff_free);
  self->staff = staff;
  cb_store_set_actor (self->store, staff->login, g_get_host_name ());
  /* The same person on the server, for this bench's sync: the password
   * is checked there again and only a token is kept. */
  if (self->sync != NULL)
    {
      LoginData *data = g_task_get_task_data (G_TASK (result));

      g_clear_object (&self->sync_cancellable);
      self->sync_cancellable = g_cancellable_new ();
      /* Let in by the server just now: its token serves. */
      if (data->online)
        cb_sync_client_start (self->sync, SYNC_INTERVAL, SYNC_MAX_BACKOFF);
      else
        cb_sync_client_login_async (self->sync, data->login, data->password, self->sync_cancellable,
                                    on_server_login, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);
  return TRUE;
}

void
cb_session_logout (CbSession *self)
{
  g_return_if_fail (CB_IS_SESSION (self));

  if (self->staff == NULL)
    return;
  if (self->sync != NULL)
    {
      g_cancellable_cancel (self->sync_cancellable);
      cb_sync_client_stop (self->sync);
      if (cb_sync_client_get_token (self->sync) != NULL)
        cb_sync_client_logout_async (self->sync, NULL, NULL, NULL);
    }
  g_clear_pointer (&self->staff, cb_staff_free);
  cb_store_set_actor (self->store, "workstation", g_get_host_name ());
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);
}

gboolean
cb_session_get_logged_in (CbSession *self)
{
  g_return_val_if_fail (CB_IS_SESSION (self), FALSE);

  return self->staff != NULL;
}

const char *
cb_session_get_login (CbSession *self)
{
  g_return_val_if_fail (CB_IS_SESSION (self), NULL);

  return self->staff != NULL ? self->staff->login : NULL;
}

gint64
cb_session_get_staff_id (CbSession *self)
{
  g_return_val_if_fail (CB_IS_SESSION (self), 0);

  return self->staff != NULL ? self->staff->id : 0;
}

const char *
cb_session_get_staff_name (CbSession *self)
{
  g_return_val_if_fail (CB_IS_SESSION (self), NULL);

  return self->staff != NULL ? self->staff->name : NULL;
}

gboolean
cb_session_has_role (CbSession  *self,
                     const char *role)
{
  g_return_val_if_fail (CB_IS_SESSION (self), FALSE);

  return self->staff != NULL && self->staff->roles != NULL
         && g_strv_contains ((const char * const *) self->staff->roles, role);
}

void
cb_session_set_instrument_port (CbSession  *self,
                                const char *role,
                                const char *port)
{
  g_return_if_fail (CB_IS_SESSION (self));
  g_return_if_fail (role != NULL);

  if (port == NULL || *port == '\0')
    g_hash_table_remove (self->ports, role);
  else
    g_hash_table_insert (self->ports, g_strdup (role), g_strdup (port));
}

const char *
cb_session_get_instrument_port (CbSession  *self,
                                const char *role)
{
  g_return_val_if_fail (CB_IS_SESSION (self), NULL);

  return g_hash_table_lookup (self->ports, role);
}

void
cb_session_set_room (CbSession  *self,
                     const char *room)
{
  g_return_if_fail (CB_IS_SESSION (self));

  g_free (self->room);
  self->room = room != NULL && *room != '\0' ? g_strdup (room) : NULL;
}

const char *
cb_session_get_room (CbSession *self)
{
  g_return_val_if_fail (CB_IS_SESSION (self), NULL);

  return self->room;
}

void
cb_session_set_environment_sensor (CbSession  *self,
                                   const char *port,
                                   guint       interval_seconds)
{
  g_return_if_fail (CB_IS_SESSION (self));
  g_return_if_fail (port == NULL || (self->room != NULL && interval_seconds > 0));

  /* A reading under way is cancelled, and never written after the store
   * closed. */
  if (self->environment != NULL)
    cb_environment_logger_stop (self->environment);
  g_clear_object (&self->environment);
  if (port == NULL || *port == '\0')
    return;
  self->environment = cb_environment_logger_new_for_port (port, self->store, self->room);
  cb_environment_logger_start (self->environment, interval_seconds);
}

CbEnvironmentLogger *
cb_session_get_environment_logger (CbSession *self)
{
  g_return_val_if_fail (CB_IS_SESSION (self), NULL);

  return self->environment;
}

gboolean
cb_session_set_server (CbSession   *self,
                       const char  *url,
                       const char  *ca_file,
                       GError     **error)
{
  g_autoptr(CbSyncClient) sync = NULL;

  g_return_val_if_fail (CB_IS_SESSION (self), FALSE);

  if (url == NULL || *url == '\0')
    {
      g_clear_object (&self->sync);
      return TRUE;
    }
  sync = cb_sync_client_new (self->store, url);
  if (ca_file != NULL && *ca_file != '\0' && !cb_sync_client_set_ca_file (sync, ca_file, error))
    return FALSE;
  /* The window never waits for a batch to be read or applied. */
  if (!cb_sync_client_use_worker_thread (sync, error))
    return FALSE;
  cb_sync_client_refresh (sync);
  g_set_object (&self->sync, sync);
  return TRUE;
}

CbSyncClient *
cb_session_get_sync_client (CbSession *self)
{
  g_return_val_if_fail (CB_IS_SESSION (self), NULL);

  return self->sync;
}
