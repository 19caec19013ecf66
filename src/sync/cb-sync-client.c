/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
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
  CbStore      *worker;       /* the store's file on a connection of the sync's own, or NULL */
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
  gboolean      taken;     /* a batch was taken: start_head holds */
  gint64        start_head; /* the bench's last change when the sync began */
  GError       *failure;   /* why it ended, while the state is counted */
} SyncData;

static void sync_push (GTask *task);
static void sync_pull (GTask *task);
static void pull_page (GTask *task);

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
  g_clear_error (&data->failure);
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

static void
take_credentials (CbSyncClient        *self,
                  const char          *path,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, cb_sync_client_take_credentials_async);
  send_message (task, new_message (self, "GET", path, NULL), on_credentials_read);
}

void
cb_sync_client_take_credentials_async (CbSyncClient        *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (CB_IS_SYNC_CLIENT (self));

  take_credentials (self, "/api/v1/master/accounts", cancellable, callback, user_data);
}

void
cb_sync_client_take_my_credentials_async (CbSyncClient        *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (CB_IS_SYNC_CLIENT (self));

  take_credentials (self, "/api/v1/me/credentials", cancellable, callback, user_data);
}

/* A certificate's file, checked against the hash its row gives. */
typedef struct
{
  char *number;
  char *sha256;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_free (data->number);
  g_free (data->sha256);
  g_free (data);
}

/* Where a certificate's signed file fetched from the lab server is kept,
 * named by its SHA-256. */
static char *
cached_certificate_path (const char *sha256)
{
  g_autofree char *name = g_strconcat (sha256, ".pdf", NULL);

  return g_build_filename (g_get_user_cache_dir (), "calbench", "certificates", name, NULL);
}

/* The kept file, if it still is the one issued. */
static GBytes *
read_cached_certificate (const char *sha256)
{
  g_autofree char *path = cached_certificate_path (sha256);
  g_autofree char *contents = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(GBytes) pdf = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  pdf = g_bytes_new_take (g_steal_pointer (&contents), length);
  digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  return g_ascii_strcasecmp (digest, sha256) == 0 ? g_steal_pointer (&pdf) : NULL;
}

/* Not kept is only slower next time. */
static void
keep_certificate (const char *sha256,
                  GBytes     *pdf)
{
  g_autofree char *path = cached_certificate_path (sha256);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    g_message ("certificate cache %s: %s", folder, g_strerror (errno));
  else if (!g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), &error))
    g_message ("certificate cache: %s", error->message);
}

static void
on_certificate_read (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = read_answer (SOUP_SESSION (source), message, result, &error);
  g_autofree char *sha256 = NULL;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  if (g_ascii_strcasecmp (sha256, data->sha256) != 0)
    {
      g_task_return_new_error (task, CB_SYNC_ERROR, CB_SYNC_ERROR_TAMPERED,
                               _("certificate %s: the server sent a file whose SHA-256 is %s, not the issued %s"),
                               data->number, sha256, data->sha256);
      return;
    }
  keep_certificate (data->sha256, body);
  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

void
cb_sync_client_fetch_certificate_async (CbSyncClient        *self,
                                        const char          *number,
                                        const char          *sha256,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) kept = NULL;
  FetchData *data;
  GTask *task;

  g_return_if_fail (CB_IS_SYNC_CLIENT (self));
  g_return_if_fail (number != NULL && sha256 != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_sync_client_fetch_certificate_async);
  if ((kept = read_cached_certificate (sha256)) != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&kept), (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }
  data = g_new0 (FetchData, 1);
  data->number = g_strdup (number);
  data->sha256 = g_strdup (sha256);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  escaped = g_uri_escape_string (number, NULL, FALSE);
  path = g_strdup_printf ("/api/v1/certificates/%s/pdf", escaped);
  send_message (task, new_message (self, "GET", path, NULL), on_certificate_read);
}

GBytes *
cb_sync_client_fetch_certificate_finish (CbSyncClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gssize
cb_sync_client_take_credentials_finish (CbSyncClient  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* The store's side of a sync, a step at a time: on the client's own
 * connection on a worker thread when it has one (the workstation), else
 * in place on the caller's store (the CLI, tests).  A step touches no
 * member of the client but the store it is given. */
typedef enum
{
  STEP_TAKE,         /* the next batch of the outbox, encoded */
  STEP_ACKNOWLEDGE,  /* the server's acks of that batch */
  STEP_CURSOR,       /* where pulling starts */
  STEP_APPLY,        /* one page of the server's changes */
  STEP_COUNT,        /* pending changes and kept conflicts, for the state */
} StepKind;

typedef struct
{
  StepKind     kind;
  guint        batch_size;   /* TAKE */
  CbSyncBatch *batch;        /* TAKE's result, ACKNOWLEDGE's input (borrowed) */
  char        *body;         /* TAKE: the batch encoded */
  GBytes      *answer;       /* ACKNOWLEDGE, APPLY: the server's answer */
  guint        n_done;       /* ACKNOWLEDGE: acks; APPLY: changes */
  gboolean     more;         /* APPLY: another page follows */
  gint64       next;         /* APPLY: its cursor */
  gint64       cursor;       /* CURSOR */
  gint64       pending;      /* ACKNOWLEDGE, COUNT */
  gint64       conflicts;    /* COUNT */
} Step;

typedef void (*StepDone) (GTask  *task,
                          Step   *step,
                          GError *error);

static void
step_free (Step *step)
{
  /* A taken batch not handed on; ACKNOWLEDGE only borrows the sync's. */
  if (step->kind == STEP_TAKE)
    g_clear_pointer (&step->batch, cb_sync_batch_free);
  g_free (step->body);
  g_clear_pointer (&step->answer, g_bytes_unref);
  g_free (step);
}

static Step *
step_new (StepKind kind)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  return step;
}

static gboolean
step_run (CbStore  *store,
          Step     *step,
          GError  **error)
{
  const char *text = NULL;
  gsize length = 0;

  if (step->answer != NULL)
    text = g_bytes_get_data (step->answer, &length);
  switch (step->kind)
    {
    case STEP_TAKE:
      step->batch = cb_sync_outbox_take (store, step->batch_size, error);
      if (step->batch == NULL)
        return FALSE;
      step->body = cb_sync_batch_encode (step->batch);
      return TRUE;
    case STEP_ACKNOWLEDGE:
      {
        g_autoptr(CbSyncAcks) acks = cb_sync_acks_decode (text, length, error);

        if (acks == NULL || !cb_sync_outbox_acknowledge (store, step->batch, acks, error))
          return FALSE;
        step->n_done = acks->acks->len;
        step->pending = cb_sync_outbox_pending (store, NULL);
        return TRUE;
      }
    case STEP_CURSOR:
      {
        gint64 acked;

        return cb_store_sync_state_get (store, CB_SYNC_PEER_SERVER, &acked, &step->cursor, error);
      }
    case STEP_APPLY:
      {
        g_autoptr(CbSyncPage) page = cb_sync_page_decode (text, length, error);

        if (page == NULL || !cb_sync_apply_page (store, page, error))
          return FALSE;
        step->n_done = page->changes->len;
        step->more = page->more;
        step->next = page->next;
        return TRUE;
      }
    case STEP_COUNT:
      step->pending = cb_sync_outbox_pending (store, NULL);
      step->conflicts = cb_store_sync_outcome_count (store, NULL);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static void
step_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CbSyncClient *self = source_object;
  GError *error = NULL;

  if (step_run (self->worker, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_step_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *sync = user_data;
  Step *step = g_task_get_task_data (G_TASK (result));
  StepDone done = g_object_get_data (G_OBJECT (result), "done");
  GError *error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  done (sync, step, error);
}

/* Runs @step for the sync @task, then @done on the main context. */
static void
run_step (GTask    *task,
          Step     *step,
          StepDone  done)
{
  CbSyncClient *self = g_task_get_source_object (task);
  g_autoptr(GTask) worker = NULL;
  GError *error = NULL;

  if (self->worker == NULL)
    {
      step_run (self->store, step, &error);
      done (task, step, error);
      return;
    }
  /* Changes made on the worker's connection are made by whoever works
   * here now. */
  cb_store_set_actor (self->worker, cb_store_get_actor (self->store), cb_store_get_workstation (self->store));
  worker = g_task_new (self, NULL, on_step_done, task);
  g_task_set_source_tag (worker, run_step);
  g_task_set_task_data (worker, step, NULL);
  g_object_set_data (G_OBJECT (worker), "done", done);
  g_task_run_in_thread (worker, step_thread);
}

/* The state from the counts of the store. */
static void
show_counts (CbSyncClient *self,
             gint64        pending,
             gint64        conflicts)
{
  if (conflicts > 0)
    set_state (self, CB_SYNC_STATE_CONFLICT, MAX (pending, 0));
  else if (pending > 0)
    set_state (self, CB_SYNC_STATE_PENDING, pending);
  else
    set_state (self, CB_SYNC_STATE_SYNCED, 0);
}

static void
on_counted (GTask  *task,
            Step   *step,
            GError *error)
{
  CbSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  GError *failure = g_steal_pointer (&data->failure);

  self->running = FALSE;
  if (failure != NULL && is_offline_error (failure))
    set_state (self, CB_SYNC_STATE_OFFLINE, step->pending);
  else if (failure != NULL && (g_error_matches (failure, CB_SYNC_ERROR, CB_SYNC_ERROR_DIVERGED) ||
                               g_error_matches (failure, CB_SYNC_ERROR, CB_SYNC_ERROR_TAMPERED) ||
                               g_error_matches (failure, CB_SYNC_ERROR, CB_SYNC_ERROR_GAP)))
    set_state (self, CB_SYNC_STATE_CONFLICT, step->pending);
  else if (error == NULL)
    show_counts (self, step->pending, step->conflicts);
  g_clear_error (&error);
  step_free (step);
  if (failure != NULL)
    g_task_return_error (task, failure);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Ends a sync: the state follows from the store, or from the failure. */
static void
sync_return (GTask  *task,
             GError *error)
{
  CbSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  Step *step;

  /* Stopped: the store may be closing; nothing more is read. */
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->running = FALSE;
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->failure = error;
  step = step_new (STEP_COUNT);
  run_step (task, step, on_counted);
}

/* A step's error, unless the sync was stopped meanwhile. */
static gboolean
step_failed (GTask  *task,
             Step   *step,
             GError *error)
{
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_clear_error (&error);
      step_free (step);
      sync_return (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sync was stopped")));
      return TRUE;
    }
  if (error != NULL)
    {
      step_free (step);
      sync_return (task, error);
      return TRUE;
    }
  return FALSE;
}

static void
on_applied (GTask  *task,
            Step   *step,
            GError *error)
{
  SyncData *data = g_task_get_task_data (task);

  if (step_failed (task, step, error))
    return;
  data->report.pulled += step->n_done;
  if (step->more && step->next > data->cursor)
    {
      data->cursor = step->next;
      step_free (step);
      pull_page (task);
      return;
    }
  step_free (step);
  sync_return (task, NULL);
}

/* A server's answer, handed to a step of @kind; a failed request ends the
 * sync. */
static void
answer_step (GObject      *source,
             GAsyncResult *result,
             GTask        *task,
             StepKind      kind,
             StepDone      done)
{
  SyncData *data = g_task_get_task_data (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  GError *error = NULL;
  GBytes *body = read_answer (SOUP_SESSION (source), message, result, &error);
  Step *step;

  if (body == NULL)
    {
      sync_return (task, error);
      return;
    }
  g_debug ("answer read over connection %" G_GUINT64_FORMAT, soup_message_get_connection_id (message));
  step = step_new (kind);
  step->answer = body;
  if (kind == STEP_ACKNOWLEDGE)
    step->batch = data->batch;
  run_step (task, step, done);
}

static void
on_pull_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  answer_step (source, result, user_data, STEP_APPLY, on_applied);
}

static void
pull_page (GTask *task)
{
  CbSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/api/v1/sync/pull?after=%" G_GINT64_FORMAT "&limit=%d", data->cursor, PAGE_SIZE);
  send_message (task, new_message (self, "GET", path, NULL), on_pull_read);
}

static void
on_cursor (GTask  *task,
           Step   *step,
           GError *error)
{
  SyncData *data = g_task_get_task_data (task);

  if (step_failed (task, step, error))
    return;
  data->cursor = step->cursor;
  step_free (step);
  pull_page (task);
}

static void
sync_pull (GTask *task)
{
  Step *step = step_new (STEP_CURSOR);

  run_step (task, step, on_cursor);
}

static void
on_acknowledged (GTask  *task,
                 Step   *step,
                 GError *error)
{
  CbSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  guint n_acks;

  if (step_failed (task, step, error))
    return;
  n_acks = step->n_done;
  data->report.pushed += n_acks;
  set_state (self, self->state, step->pending);
  step_free (step);
  /* Nothing acknowledged of a batch that had changes: stop, not loop. */
  if (data->batch->changes->len > 0 && n_acks == 0)
    {
      sync_return (task, g_error_new (CB_SYNC_ERROR, CB_SYNC_ERROR_SERVER,
                                      _("the server acknowledged none of the changes sent")));
      return;
    }
  /* On while there are changes or rows to report (a bench that pulled a
   * whole lab reports where its rows are, a batch at a time). */
  if (data->batch->changes->len > 0 || data->batch->rows->len > 0)
    sync_push (task);
  else
    sync_pull (task);
}

static void
on_push_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  answer_step (source, result, user_data, STEP_ACKNOWLEDGE, on_acknowledged);
}

static void
on_taken (GTask  *task,
          Step   *step,
          GError *error)
{
  CbSyncClient *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autofree char *body = NULL;

  if (step_failed (task, step, error))
    return;
  g_clear_pointer (&data->batch, cb_sync_batch_free);
  data->batch = g_steal_pointer (&step->batch);
  body = g_steal_pointer (&step->body);
  step_free (step);
  /* A sync sends what was written before it began: what is written
   * meanwhile goes with the next one, so that a bench writing fast still
   * ends its syncs. */
  if (!data->taken)
    {
      data->taken = TRUE;
      data->start_head = data->batch->head;
    }
  else if (data->batch->changes->len > 0
           && ((CbSyncChange *) g_ptr_array_index (data->batch->changes, 0))->entry->seq > data->start_head)
    {
      sync_pull (task);
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
  send_message (task, new_message (self, "POST", "/api/v1/sync/push", body), on_push_read);
}

static void
sync_push (GTask *task)
{
  CbSyncClient *self = g_task_get_source_object (task);
  Step *step = step_new (STEP_TAKE);

  step->batch_size = self->batch_size;
  run_step (task, step, on_taken);
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
  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("a sync is already under way"));
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

  g_clear_pointer (&self->worker, cb_store_close);
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
  show_counts (self, cb_sync_outbox_pending (self->store, NULL), cb_store_sync_outcome_count (self->store, NULL));
}

gboolean
cb_sync_client_use_worker_thread (CbSyncClient  *self,
                                  GError       **error)
{
  CbStore *worker;

  g_return_val_if_fail (CB_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (self->worker != NULL)
    return TRUE;
  worker = cb_store_open (cb_store_get_path (self->store), error);
  if (worker == NULL)
    return FALSE;
  self->worker = worker;
  return TRUE;
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
