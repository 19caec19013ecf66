/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cb-sync-apply.h"
#include "cb-sync-client.h"
#include "store/cb-store-accounts.h"
#include "core/cb-json-text.h"

#define PAGE_SIZE 500

struct _CbSyncClient
{
  GObject       parent_instance;

  CbStore      *store;
  char         *server_url;
  SoupSession  *session;
  char         *token;
  guint         batch_size;

  CbSyncState   state;
  gint64        pending;

  guint         interval;
  guint         max_backoff;
  guint         backoff;
  guint         timeout_id;
  gboolean      running;
  GCancellable *cancellable;
};

/* One sync's progress. */
typedef struct
{
  CbSyncBatch  *batch;
  CbSyncReport  report;
  gint64        cursor;
} SyncData;

static void sync_push (GTask *task);
static void sync_pull (GTask *task);

G_DEFINE_FINAL_TYPE (CbSyncClient, cb_sync_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
cb_sync_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { CB_SYNC_STATE_SYNCED, "CB_SYNC_STATE_SYNCED", "synced" },
        { CB_SYNC_STATE_PENDING, "CB_SYNC_STATE_PENDING", "pending" },
        { CB_SYNC_STATE_OFFLINE, "CB_SYNC_STATE_OFFLINE", "offline" },
        { CB_SYNC_STATE_CONFLICT, "CB_SYNC_STATE_CONFLICT", "conflict" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type, g_enum_register_static ("CbSyncState", values));
    }
  return type;
}

static void
sync_data_free (SyncData *data)
{
  g_clear_pointer (&data->batch, cb_sync_batch_free);
  g_free (data);
}

static void
set_state (CbSyncClient *self,
           CbSyncState   state,
           gint64        pending)
{
  if (self->pending != pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static gboolean
is_offline_error (const GError *error)
{
  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR ||
         error->domain == SOUP_SESSION_ERROR ||
         g_error_matches (error, CB_SYNC_ERROR, CB_SYNC_ERROR_NETWORK);
}

static SoupMessage *
new_message (CbSyncClient *self,
             const char   *method,
             const char   *path,
             const char   *body)
{
  g_autofree char *url = g_strconcat (self->server_url, path, NULL);
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    return NULL;
  if (self->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
      /* Every call is safe to repeat: the server acknowledges a replayed
       * batch again.  libsoup reuses a kept-alive connection for a POST
       * only when told so. */
      soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
    }
  return message;
}

/* The body of a 200 answer, or an error from the status and body. */
static GBytes *
read_answer (SoupSession   *session,
             SoupMessage   *message,
             GAsyncResult  *result,
             GError       **error)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (session, result, error);
  guint status;

  if (body == NULL)
    return NULL;
  status = soup_message_get_status (message);
  if (status != SOUP_STATUS_OK)
    {
      gsize length;
      const char *data = g_bytes_get_data (body, &length);

      cb_sync_error_decode (data, length, status, error);
      return NULL;
    }
  return g_steal_pointer (&body);
}

static void
send_message (GTask               *task,
              SoupMessage         *message,
              GAsyncReadyCallback  callback)
{
  CbSyncClient *self = g_task_get_source_object (task);

  if (message == NULL)
    {
      g_task_return_new_error (task, CB_SYNC_ERROR, CB_SYNC_ERROR_NETWORK,
                               _("%s: not a server address"), self->server_url);
      g_object_unref (task);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "message", message, g_object_unref);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), callback, task);
}

static void
on_login_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CbSyncClient *self = g_task_get_source_object (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = read_answer (SOUP_SESSION (source), message, result, &error);
  g_autoptr(JsonObject) object = NULL;
  const char *token = NULL;
  gsize length;
  const char *data;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_bytes_get_data (body, &length);
  object = cb_sync_parse_object (data, length, &error);
  if (object == NULL || !cb_sync_get_string (object, "token", NULL, FALSE, &token, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cb_sync_client_set_token (self, token);
  g_task_return_boolean (task, TRUE);
}

void
cb_sync_client_login_async (CbSyncClient        *self,
                            const char          *login,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  GTask *task;

  g_return_if_fail (CB_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_sync_client_login_async);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "workstation");
  json_builder_add_string_value (builder, cb_store_get_workstation (self->store));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = cb_json_to_text (root, FALSE);
  send_message (task, new_message (self, "POST", "/api/v1/login", body), on_login_read);
}

gboolean
cb_sync_client_login_finish (CbSyncClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_logout_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CbSyncClient *self = g_task_get_source_object (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = read_answer (SOUP_SESSION (source), message, result, &error);

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cb_sync_client_set_token (self, NULL);
  g_task_return_boolean (task, TRUE);
}

void
cb_sync_client_logout_async (CbSyncClient        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, cb_sync_client_logout_async);
  send_message (task, new_message (self, "POST", "/api/v1/logout", "{}"), on_logout_read);
}

gboolean
cb_sync_client_logout_finish (CbSyncClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_credentials_read (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CbSyncClient *self = g_task_get_source_object (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = read_answer (SOUP_SESSION (source), message, result, &error);
  g_autoptr(GPtrArray) credentials = NULL;
  gsize length;
  const char *data;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_bytes_get_data (body, &length);
  credentials = cb_sync_credentials_decode (data, length, &error);
  if (credentials == NULL || !cb_store_credentials_import (self->store, credentials, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, credentials->len);
}

void
cb_sync_client_take_credentials_async (CbSyncClient        *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CB_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_sync_client_take_credentials_async);
  send_message (task, new_message (self, "GET", "/api/v1/master/accounts", NULL), on_credentials_read);
}

gssize
cb_sync_client_take_credentials_finish (CbSyncClient  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* Ends a sync: the state follows from the store, or from the failure. */
static void
sync_return (GTask  *task,
             GError *error)
{
  CbSyncClient *self = g_task_get_source_object (task);

  self->running = FALSE;
  if (error != NULL)
    {
      if (is_offline_error (error))
        set_state (self, CB_SYNC_STATE_OFFLINE, cb_sync_outbox_pending (self->store, NULL));
      else if (g_error_matches (error, CB_SYNC_ERROR, CB_SYNC_ERROR_DIVERGED) ||
               g_error_matches (error, CB_SYNC_ERROR, CB_SYNC_ERROR_TAMPERED) ||
               g_error_matches (error, CB_SYNC_ERROR, CB_SYNC_ERROR_GAP))
        set_state (self, CB_SYNC_STATE_CONFLICT, cb_sync_outbox_pending (self->store, NULL));
      else
        cb_sync_client_refresh (self);
      g_task_return_error (task, error);
    }
  else
    {
      cb_sync_client_refresh (self);
      g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

static void
on_pull_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  CbSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  GError *error = NULL;
  g_autoptr(GBytes) body = read_answer (SOUP_SESSION (source), message, result, &error);
  g_autoptr(CbSyncPage) page = NULL;
  const char *text;
  gsize length;

  if (body == NULL)
    {
      sync_return (task, error);
      return;
    }
  text = g_bytes_get_data (body, &length);
  page = cb_sync_page_decode (text, length, &error);
  if (page == NULL || !cb_sync_apply_page (self->store, page, &error))
    {
      sync_return (task, error);
      return;
    }
  data->report.pulled += page->changes->len;
  if (page->more && page->next > data->cursor)
    {
      data->cursor = page->next;
      sync_pull (task);
      return;
    }
  sync_return (task, NULL);
}

static void
sync_pull (GTask *task)
{
  CbSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  gint64 acked;
  GError *error = NULL;

  if (!cb_store_sync_state_get (self->store, CB_SYNC_PEER_SERVER, &acked, &data->cursor, &error))
    {
      sync_return (task, error);
      return;
    }
  path = g_strdup_printf ("/api/v1/sync/pull?after=%" G_GINT64_FORMAT "&limit=%d", data->cursor, PAGE_SIZE);
  send_message (task, new_message (self, "GET", path, NULL), on_pull_read);
}

static void
on_push_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  CbSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  GError *error = NULL;
  g_autoptr(GBytes) body = read_answer (SOUP_SESSION (source), message, result, &error);
  g_autoptr(CbSyncAcks) acks = NULL;
  const char *text;
  gsize length;

  if (body == NULL)
    {
      sync_return (task, error);
      return;
    }
  g_debug ("push acknowledged over connection %" G_GUINT64_FORMAT, soup_message_get_connection_id (message));
  text = g_bytes_get_data (body, &length);
  acks = cb_sync_acks_decode (text, length, &error);
  if (acks == NULL || !cb_sync_outbox_acknowledge (self->store, data->batch, acks, &error))
    {
      sync_return (task, error);
      return;
    }
  data->report.pushed += acks->acks->len;
  /* Nothing acknowledged of a batch that had changes: stop, not loop. */
  if (data->batch->changes->len > 0 && acks->acks->len == 0)
    {
      sync_return (task, g_error_new (CB_SYNC_ERROR, CB_SYNC_ERROR_SERVER,
                                      _("the server acknowledged none of the changes sent")));
      return;
    }
  set_state (self, self->state, cb_sync_outbox_pending (self->store, NULL));
  /* On while there are changes or rows to report (a bench that pulled a
   * whole lab reports where its rows are, a batch at a time). */
  if (data->batch->changes->len > 0 || data->batch->rows->len > 0)
    sync_push (task);
  else
    sync_pull (task);
}

static void
sync_push (GTask *task)
{
  CbSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autofree char *body = NULL;
  GError *error = NULL;

  g_clear_pointer (&data->batch, cb_sync_batch_free);
  data->batch = cb_sync_outbox_take (self->store, self->batch_size, &error);
  if (data->batch == NULL)
    {
      sync_return (task, error);
      return;
    }
  if (data->batch->changes->len == 0 && data->batch->rows->len == 0)
    {
      /* The head still goes once, so that a restored database is told. */
      if (data->report.pushed > 0)
        {
          sync_pull (task);
          return;
        }
    }
  body = cb_sync_batch_encode (data->batch);
  send_message (task, new_message (self, "POST", "/api/v1/sync/push", body), on_push_read);
}

void
cb_sync_client_sync_async (CbSyncClient        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CB_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_sync_client_sync_async);
  g_task_set_task_data (task, g_new0 (SyncData, 1), (GDestroyNotify) sync_data_free);
  if (self->token == NULL)
    {
      /* Not logged in there: as far as syncing goes, the bench is offline. */
      set_state (self, CB_SYNC_STATE_OFFLINE, cb_sync_outbox_pending (self->store, NULL));
      g_task_return_new_error (task, CB_SYNC_ERROR, CB_SYNC_ERROR_UNAUTHORISED, _("not logged in to the server"));
      g_object_unref (task);
      return;
    }
  self->running = TRUE;
  sync_push (task);
}

gboolean
cb_sync_client_sync_finish (CbSyncClient  *self,
                            GAsyncResult  *result,
                            CbSyncReport  *report,
                            GError       **error)
{
  SyncData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (report != NULL && data != NULL)
    *report = data->report;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean on_timeout (gpointer user_data);

static void
schedule (CbSyncClient *self,
          guint         seconds)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add_seconds (seconds, on_timeout, self);
}

static void
on_background_synced (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CbSyncClient *self = CB_SYNC_CLIENT (source);
  g_autoptr(GError) error = NULL;

  if (cb_sync_client_sync_finish (self, result, NULL, &error))
    self->backoff = self->interval;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    {
      g_debug ("sync: %s", error->message);
      self->backoff = MIN (MAX (self->backoff, 1) * 2, self->max_backoff);
    }
  if (self->interval > 0)
    schedule (self, self->backoff);
}

static gboolean
on_timeout (gpointer user_data)
{
  CbSyncClient *self = user_data;

  self->timeout_id = 0;
  if (!self->running)
    cb_sync_client_sync_async (self, self->cancellable, on_background_synced, NULL);
  return G_SOURCE_REMOVE;
}

static void
cb_sync_client_dispose (GObject *object)
{
  CbSyncClient *self = CB_SYNC_CLIENT (object);

  cb_sync_client_stop (self);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (cb_sync_client_parent_class)->dispose (object);
}

static void
cb_sync_client_finalize (GObject *object)
{
  CbSyncClient *self = CB_SYNC_CLIENT (object);

  g_free (self->server_url);
  g_free (self->token);
  G_OBJECT_CLASS (cb_sync_client_parent_class)->finalize (object);
}

static void
cb_sync_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CbSyncClient *self = CB_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_sync_client_class_init (CbSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_sync_client_dispose;
  object_class->finalize = cb_sync_client_finalize;
  object_class->get_property = cb_sync_client_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CB_TYPE_SYNC_STATE, CB_SYNC_STATE_SYNCED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_sync_client_init (CbSyncClient *self)
{
  self->batch_size = 500;
  self->session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 60, NULL);
}

CbSyncClient *
cb_sync_client_new (CbStore    *store,
                    const char *server_url)
{
  CbSyncClient *self = g_object_new (CB_TYPE_SYNC_CLIENT, NULL);

  self->store = store;
  self->server_url = g_strdup (server_url);
  /* A trailing slash would double the API's. */
  while (g_str_has_suffix (self->server_url, "/"))
    self->server_url[strlen (self->server_url) - 1] = '\0';
  cb_sync_client_refresh (self);
  return self;
}

gboolean
cb_sync_client_set_ca_file (CbSyncClient  *self,
                            const char    *path,
                            GError       **error)
{
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (path, error);

  if (database == NULL)
    return FALSE;
  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

void
cb_sync_client_set_token (CbSyncClient *self,
                          const char   *token)
{
  g_free (self->token);
  self->token = g_strdup (token);
}

const char *
cb_sync_client_get_token (CbSyncClient *self)
{
  return self->token;
}

void
cb_sync_client_set_batch_size (CbSyncClient *self,
                               guint         size)
{
  self->batch_size = CLAMP (size, 1, CB_SYNC_MAX_CHANGES - 100);
}

CbSyncState
cb_sync_client_get_state (CbSyncClient *self)
{
  return self->state;
}

gint64
cb_sync_client_get_pending (CbSyncClient *self)
{
  return self->pending;
}

void
cb_sync_client_refresh (CbSyncClient *self)
{
  gint64 pending = cb_sync_outbox_pending (self->store, NULL);
  gint64 conflicts = cb_store_sync_outcome_count (self->store, NULL);

  if (conflicts > 0)
    set_state (self, CB_SYNC_STATE_CONFLICT, MAX (pending, 0));
  else if (pending > 0)
    set_state (self, CB_SYNC_STATE_PENDING, pending);
  else
    set_state (self, CB_SYNC_STATE_SYNCED, 0);
}

void
cb_sync_client_start (CbSyncClient *self,
                      guint         interval_seconds,
                      guint         max_backoff_seconds)
{
  g_return_if_fail (CB_IS_SYNC_CLIENT (self));

  self->interval = MAX (interval_seconds, 1);
  self->max_backoff = MAX (max_backoff_seconds, self->interval);
  self->backoff = self->interval;
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  schedule (self, 0);
}

void
cb_sync_client_stop (CbSyncClient *self)
{
  self->interval = 0;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}
