/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "cb-server-private.h"
#include "core/cb-json-text.h"
#include "store/cb-store-accounts.h"
#include "store/cb-store-certificates.h"
#include "store/cb-store-issuance.h"
#include "store/cb-store-methods.h"
#include "store/cb-store-staff.h"
#include "store/cb-store-standards.h"
#include "store/cb-store-sync.h"
#include "sync/cb-sync-apply.h"

G_DEFINE_QUARK (cb-server-error-quark, cb_server_error)

G_DEFINE_FINAL_TYPE (CbServer, cb_server, G_TYPE_OBJECT)

/* Who is calling, from a valid token. */
typedef struct
{
  gint64  staff_id;
  char   *workstation;
  char   *token_hash;
} Caller;

static void
caller_clear (Caller *caller)
{
  g_clear_pointer (&caller->workstation, g_free);
  g_clear_pointer (&caller->token_hash, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Caller, caller_clear)

/* Tables the server is authoritative for: only an admin changes them. */
static const char * const master_tables[] = {
  "staff", "staff_roles", "qualifications", "authorisations", "methods", "standards",
  "external_certificates", "templates", "template_versions", "instrument_types", "prices", NULL
};

void
cb_server_init_tls (void)
{
  g_setenv ("G_TLS_GNUTLS_PRIORITY", CB_SERVER_TLS_PRIORITY, TRUE);
}

void
cb_server_reply_json (SoupServerMessage *msg,
                      guint              status,
                      const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

void
cb_server_reply_error (SoupServerMessage *msg,
                       guint              status,
                       const char        *code,
                       const char        *message)
{
  g_autofree char *body = cb_sync_error_encode (code, message);

  cb_server_reply_json (msg, status, body);
}

static char *
sha256_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* 128 random bits from GnuTLS's key generator, in hex. */
static char *
new_token (void)
{
  guint8 bytes[16];
  GString *hex = g_string_sized_new (32);

  if (gnutls_rnd (GNUTLS_RND_KEY, bytes, sizeof bytes) != 0)
    return NULL;
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

static char *
utc_after (guint seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
authenticate (CbServer          *self,
              SoupServerMessage *msg,
              Caller            *caller)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *now = utc_after (0);
  g_autoptr(GError) error = NULL;

  if (header == NULL || !g_str_has_prefix (header, "Bearer ") || strlen (header) > 200)
    {
      cb_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorised", _("log in first: no token was given"));
      return FALSE;
    }
  caller->token_hash = sha256_hex (header + strlen ("Bearer "));
  caller->staff_id = cb_store_sync_token_check (self->store, caller->token_hash, now, &caller->workstation, &error);
  if (caller->staff_id <= 0)
    {
      cb_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorised",
                             error ? error->message : _("the token is unknown, expired or revoked: log in again"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_role (CbServer          *self,
              SoupServerMessage *msg,
              const Caller      *caller,
              const char        *role)
{
  g_autofree char *message = NULL;

  if (cb_store_staff_has_role (self->store, caller->staff_id, role))
    return TRUE;
  message = g_strdup_printf (_("this needs the %s role"), role);
  cb_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", message);
  return FALSE;
}

/* The request's JSON object, or an answer of 400 or 413. */
static JsonObject *
read_body (CbServer          *self,
           SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *data;
  gsize length;

  if ((gsize) body->length > self->config->max_body)
    {
      cb_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", _("the request is too large"));
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &length);
  object = cb_sync_parse_object (data, length, &error);
  if (object == NULL)
    cb_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message);
  return object;
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *member,
                   const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
reply_builder (SoupServerMessage *msg,
               JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = cb_json_to_text (root, FALSE);

  cb_server_reply_json (msg, SOUP_STATUS_OK, text);
}

static void
handle_login (CbServer          *self,
              SoupServerMessage *msg)
{
  static const char * const members[] = { "login", "password", "workstation", NULL };
  g_autoptr(JsonObject) object = read_body (self, msg);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStaff) staff = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *expires = NULL;
  const char *login, *password, *workstation;
  gint64 staff_id;

  if (object == NULL)
    return;
  if (!cb_sync_check_members (object, members, NULL, &error) ||
      !cb_sync_get_string (object, "login", NULL, FALSE, &login, &error) ||
      !cb_sync_get_string (object, "password", NULL, FALSE, &password, &error) ||
      !cb_sync_get_string (object, "workstation", NULL, FALSE, &workstation, &error))
    {
      cb_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message);
      return;
    }
  if (*workstation == '\0' || strlen (workstation) > 128 || strlen (login) > 128)
    {
      cb_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", _("workstation: expected a workstation name"));
      return;
    }

  /* The login log says where the attempt came from. */
  cb_store_set_actor (self->store, login, workstation);
  staff_id = cb_store_login (self->store, login, password, &error);
  cb_store_set_actor (self->store, CB_SERVER_ACTOR, CB_SERVER_WORKSTATION);
  if (staff_id <= 0)
    {
      cb_server_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorised",
                             error ? error->message : _("wrong login or password"));
      return;
    }

  token = new_token ();
  token_hash = sha256_hex (token);
  expires = utc_after (self->config->token_lifetime);
  staff = cb_store_staff_get (self->store, staff_id, &error);
  if (token == NULL || staff == NULL ||
      !cb_store_sync_token_add (self->store, token_hash, staff_id, workstation, expires, &error))
    {
      cb_server_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server",
                             error ? error->message : _("no random bytes for a token"));
      return;
    }
  g_message ("login: %s on %s", login, workstation);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  add_string_member (builder, "token", token);
  add_string_member (builder, "expires", expires);
  add_string_member (builder, "login", staff->login);
  add_string_member (builder, "name", staff->name);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; staff->roles != NULL && staff->roles[i] != NULL; i++)
    json_builder_add_string_value (builder, staff->roles[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  reply_builder (msg, builder);
}

static void
handle_logout (CbServer          *self,
               SoupServerMessage *msg,
               const Caller      *caller)
{
  g_autoptr(GError) error = NULL;

  if (!cb_store_sync_token_revoke (self->store, caller->token_hash, &error))
    {
      cb_server_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server", error->message);
      return;
    }
  cb_server_reply_json (msg, SOUP_STATUS_OK, "{}");
}

/* An admin revokes every token of a login (a lost laptop, a leaver). */
static void
handle_revoke (CbServer          *self,
               SoupServerMessage *msg,
               const Caller      *caller)
{
  static const char * const members[] = { "login", NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  const char *login;
  gint64 staff_id;

  if (!require_role (self, msg, caller, "admin") || (object = read_body (self, msg)) == NULL)
    return;
  if (!cb_sync_check_members (object, members, NULL, &error) ||
      !cb_sync_get_string (object, "login", NULL, FALSE, &login, &error))
    {
      cb_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message);
      return;
    }
  staff_id = cb_store_staff_find (self->store, login, NULL);
  if (staff_id <= 0)
    {
      cb_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("no such login"));
      return;
    }
  if (!cb_store_sync_token_revoke_all (self->store, staff_id, &error))
    {
      cb_server_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server", error->message);
      return;
    }
  cb_server_reply_json (msg, SOUP_STATUS_OK, "{}");
}

static const char *
entry_value (GPtrArray  *entries,
             const char *field)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const CbAuditEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->field, field))
        return entry->new_value;
    }
  return NULL;
}

typedef struct
{
  CbServer *self;
  gint64    staff_id;
} Authorising;

/* What a bench's change needs of the role of whoever pushes it. */
static char *
authorise_change (GPtrArray *entries,
                  gpointer   user_data)
{
  Authorising *authorising = user_data;
  const CbAuditEntry *first = g_ptr_array_index (entries, 0);
  const char *role = NULL;

  if (g_str_equal (first->table, "certificates"))
    return g_strdup (_("certificates are issued by the server"));
  if (g_strv_contains (master_tables, first->table))
    role = "admin";
  else if (g_str_equal (first->table, "signatures") && g_str_equal (first->action, "insert"))
    {
      const char *meaning = entry_value (entries, "meaning");

      role = g_strcmp0 (meaning, "approved") == 0 ? "approver"
             : g_strcmp0 (meaning, "checked") == 0 ? "checker" : "metrologist";
    }
  else if (g_str_equal (first->table, "records") && g_str_equal (first->field, "state"))
    role = g_strcmp0 (first->new_value, "approved") == 0 ? "approver"
           : g_strcmp0 (first->new_value, "checked") == 0 ? "checker" : NULL;
  if (role == NULL || cb_store_staff_has_role (authorising->self->store, authorising->staff_id, role))
    return NULL;
  return g_strdup_printf (_("%s: this change needs the %s role"), first->table, role);
}

static void issue_approved (CbServer     *self,
                            const Caller *caller,
                            GArray       *before);

static gboolean
batch_approves (const CbSyncBatch *batch)
{
  for (guint i = 0; i < batch->changes->len; i++)
    {
      const CbAuditEntry *entry = ((const CbSyncChange *) g_ptr_array_index (batch->changes, i))->entry;

      if (g_strcmp0 (entry->table, "records") == 0 && g_strcmp0 (entry->field, "state") == 0
          && g_strcmp0 (entry->new_value, "approved") == 0)
        return TRUE;
    }
  return FALSE;
}

static void
handle_push (CbServer          *self,
             SoupServerMessage *msg,
             const Caller      *caller)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncBatch) batch = NULL;
  g_autoptr(CbSyncAcks) acks = NULL;
  g_autofree char *text = NULL;
  Authorising authorising = { self, caller->staff_id };
  g_autoptr(GArray) before = NULL;
  const char *data;
  gsize length;

  if ((gsize) body->length > self->config->max_body)
    {
      cb_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", _("the batch is too large"));
      return;
    }
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &length);
  batch = cb_sync_batch_decode (data, length, &error);
  if (batch == NULL)
    {
      cb_server_reply_error (msg, g_error_matches (error, CB_SYNC_ERROR, CB_SYNC_ERROR_TOO_LARGE)
                                  ? SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE : SOUP_STATUS_BAD_REQUEST,
                             "malformed", error->message);
      return;
    }
  if (!g_str_equal (batch->workstation, caller->workstation))
    {
      g_autofree char *message = g_strdup_printf (_("this token belongs to %s: it cannot push the changes of %s"),
                                                  caller->workstation, batch->workstation);

      cb_server_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", message);
      return;
    }

  /* Only a batch that approves a record can call for a certificate. */
  if (batch_approves (batch))
    before = cb_store_records_approved_uncertified (self->store, NULL);
  acks = cb_sync_receive (self->store, batch, authorise_change, &authorising, &error);
  if (acks != NULL && before != NULL)
    issue_approved (self, caller, before);
  if (acks == NULL)
    {
      static const char * const codes[] = { "malformed", "too-large", "gap", "diverged", "tampered" };
      gboolean known = error->domain == CB_SYNC_ERROR && error->code <= CB_SYNC_ERROR_TAMPERED;

      g_message ("push from %s refused: %s", batch->workstation, error->message);
      cb_server_reply_error (msg, known ? SOUP_STATUS_CONFLICT : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                             known ? codes[error->code] : "server", error->message);
      return;
    }
  text = cb_sync_acks_encode (acks);
  cb_server_reply_json (msg, SOUP_STATUS_OK, text);
}

static gint64
query_int (GHashTable *query,
           const char *name,
           gint64      fallback)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    return fallback;
  return value;
}

static void
handle_pull (CbServer          *self,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncPage) page = NULL;
  g_autofree char *text = NULL;

  page = cb_sync_serve_page (self->store, query_int (query, "after", 0), (guint) query_int (query, "limit", 500),
                             &error);
  if (page == NULL)
    {
      cb_server_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server", error->message);
      return;
    }
  text = cb_sync_page_encode (page);
  cb_server_reply_json (msg, SOUP_STATUS_OK, text);
}

/* Credentials as the store keeps them (salted hashes, never a password):
 * everyone's for an enrolling bench (only an admin, who sets the bench up,
 * fetches them), or a person's own (@login) for the bench they just logged
 * in at over the network, which lets them in offline from then on (a
 * newcomer, or a password changed since the bench was enrolled). */
static void
handle_credentials (CbServer          *self,
                    SoupServerMessage *msg,
                    const char        *login)
{
  g_autoptr(GPtrArray) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  credentials = login != NULL ? cb_store_credentials_export_login (self->store, login, &error)
                              : cb_store_credentials_export (self->store, &error);
  if (credentials == NULL)
    {
      cb_server_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server", error->message);
      return;
    }
  text = cb_sync_credentials_encode (credentials);
  cb_server_reply_json (msg, SOUP_STATUS_OK, text);
}

static void
handle_master (CbServer          *self,
               SoupServerMessage *msg,
               const char        *what)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (what, "staff"))
    rows = cb_store_staff_list (self->store, TRUE, &error);
  else if (g_str_equal (what, "methods"))
    rows = cb_store_method_list (self->store, TRUE, &error);
  else if (g_str_equal (what, "standards"))
    rows = cb_store_standard_list (self->store, &error);
  else
    {
      cb_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("master data: staff, methods or standards"));
      return;
    }
  if (rows == NULL)
    {
      cb_server_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server", error->message);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, what);
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      json_builder_begin_object (builder);
      if (g_str_equal (what, "staff"))
        {
          const CbStaff *staff = g_ptr_array_index (rows, i);

          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, staff->id);
          add_string_member (builder, "login", staff->login);
          add_string_member (builder, "name", staff->name);
          json_builder_set_member_name (builder, "active");
          json_builder_add_boolean_value (builder, staff->active);
          json_builder_set_member_name (builder, "roles");
          json_builder_begin_array (builder);
          for (guint r = 0; staff->roles != NULL && staff->roles[r] != NULL; r++)
            json_builder_add_string_value (builder, staff->roles[r]);
          json_builder_end_array (builder);
        }
      else if (g_str_equal (what, "methods"))
        {
          const CbMethod *method = g_ptr_array_index (rows, i);

          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, method->id);
          add_string_member (builder, "code", method->code);
          add_string_member (builder, "name", method->name);
          add_string_member (builder, "kind", method->kind);
          add_string_member (builder, "status", method->status);
        }
      else
        {
          const CbStandard *standard = g_ptr_array_index (rows, i);

          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, standard->id);
          add_string_member (builder, "asset_no", standard->asset_no);
          add_string_member (builder, "name", standard->name);
          add_string_member (builder, "valid_until", standard->valid_until);
          add_string_member (builder, "status", standard->status);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  reply_builder (msg, builder);
}

static void
handle_conflicts (CbServer          *self,
                  SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = cb_store_sync_conflict_list (self->store, FALSE, &error);

  if (conflicts == NULL)
    {
      cb_server_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server", error->message);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "conflicts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < conflicts->len; i++)
    {
      const CbSyncConflict *conflict = g_ptr_array_index (conflicts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, conflict->id);
      add_string_member (builder, "table", conflict->table);
      json_builder_set_member_name (builder, "row");
      json_builder_add_int_value (builder, conflict->row_id);
      add_string_member (builder, "field", conflict->field);
      add_string_member (builder, "server_value", conflict->server_value);
      add_string_member (builder, "bench_value", conflict->bench_value);
      add_string_member (builder, "workstation", conflict->workstation);
      json_builder_set_member_name (builder, "change_seq");
      json_builder_add_int_value (builder, conflict->change_seq);
      add_string_member (builder, "actor", conflict->actor);
      add_string_member (builder, "detail", conflict->detail);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  reply_builder (msg, builder);
}

static void
handle_resolve (CbServer          *self,
                SoupServerMessage *msg,
                const Caller      *caller,
                gint64             id)
{
  static const char * const members[] = { "resolution", "reason", NULL };
  g_autoptr(JsonObject) object = read_body (self, msg);
  g_autoptr(CbStaff) staff = NULL;
  g_autoptr(GError) error = NULL;
  const char *resolution, *reason;

  if (object == NULL)
    return;
  if (!cb_sync_check_members (object, members, NULL, &error) ||
      !cb_sync_get_string (object, "resolution", NULL, FALSE, &resolution, &error) ||
      !cb_sync_get_string (object, "reason", NULL, FALSE, &reason, &error))
    {
      cb_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message);
      return;
    }
  staff = cb_store_staff_get (self->store, caller->staff_id, NULL);
  cb_store_set_actor (self->store, staff ? staff->login : "?", caller->workstation);
  cb_store_sync_conflict_resolve (self->store, id, resolution, staff ? staff->login : "?", reason, &error);
  cb_store_set_actor (self->store, CB_SERVER_ACTOR, CB_SERVER_WORKSTATION);
  if (error != NULL)
    {
      cb_server_reply_error (msg, g_error_matches (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND)
                                  ? SOUP_STATUS_NOT_FOUND : SOUP_STATUS_CONFLICT,
                             "conflict", error->message);
      return;
    }
  cb_server_reply_json (msg, SOUP_STATUS_OK, "{}");
}

/* Numbers, renders, signs and stores a certificate of @record in one
 * transaction, in the name of @caller; its id, with its number and PDF. */
static gint64
issue_certificate (CbServer      *self,
                   const Caller  *caller,
                   gint64         record,
                   const char    *kind,
                   const char    *replaces,
                   char         **number_out,
                   GBytes       **pdf_out,
                   GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(CbStaff) staff = cb_store_staff_get (self->store, caller->staff_id, NULL);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *number = NULL;
  gint64 replaces_id = 0, id = 0;

  /* In the approver's name, done here: the certificate goes out to every
   * bench, the approver's own included. */
  cb_store_set_actor (self->store, staff ? staff->login : "?", CB_SERVER_WORKSTATION);
  if (!cb_store_begin (self->store, error))
    goto failed;
  if (replaces != NULL && (replaces_id = cb_store_certificate_find (self->store, replaces, error)) == 0)
    goto rollback;
  number = cb_store_certificate_next_number (self->store, self->config->certificate_prefix,
                                             g_date_time_get_year (now), self->config->certificate_digits, error);
  if (number == NULL)
    goto rollback;
  pdf = self->render (self->store, record, number, kind, replaces, self->render_data, error);
  if (pdf == NULL)
    goto rollback;
  id = cb_store_certificate_issue (self->store, record, number, kind, replaces_id, pdf, error);
  if (id <= 0 || !cb_store_commit (self->store, error))
    goto rollback;
  cb_store_set_actor (self->store, CB_SERVER_ACTOR, CB_SERVER_WORKSTATION);
  g_message ("certificate %s issued for record %" G_GINT64_FORMAT, number, record);
  if (number_out != NULL)
    *number_out = g_steal_pointer (&number);
  if (pdf_out != NULL)
    *pdf_out = g_steal_pointer (&pdf);
  return id;

rollback:
  cb_store_rollback (self->store);
failed:
  cb_store_set_actor (self->store, CB_SERVER_ACTOR, CB_SERVER_WORKSTATION);
  return 0;
}

/* On final approval the server issues the certificate: each record a
 * push approved (approved now, not before it) gets its original. */
static void
issue_approved (CbServer     *self,
                const Caller *caller,
                GArray       *before)
{
  g_autoptr(GArray) after = NULL;

  if (self->render == NULL)
    return;
  after = cb_store_records_approved_uncertified (self->store, NULL);
  for (guint i = 0; i < after->len; i++)
    {
      gint64 record = g_array_index (after, gint64, i);
      g_autoptr(GError) error = NULL;
      gboolean known = FALSE;

      for (guint j = 0; j < before->len && !known; j++)
        known = g_array_index (before, gint64, j) == record;
      if (!known && issue_certificate (self, caller, record, "original", NULL, NULL, NULL, &error) == 0)
        g_warning ("record %" G_GINT64_FORMAT " approved, its certificate not issued: %s", record, error->message);
    }
}

static void
handle_issue (CbServer          *self,
              SoupServerMessage *msg,
              const Caller      *caller)
{
  static const char * const members[] = { "record", "kind", "replaces", NULL };
  g_autoptr(JsonObject) object = read_body (self, msg);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *number = NULL;
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  const char *kind = "original", *replaces = NULL;
  gint64 record = 0, id;

  if (object == NULL)
    return;
  if (!cb_sync_check_members (object, members, NULL, &error) ||
      !cb_sync_get_int (object, "record", NULL, 1, &record, &error) ||
      (json_object_has_member (object, "kind") &&
       !cb_sync_get_string (object, "kind", NULL, FALSE, &kind, &error)) ||
      (json_object_has_member (object, "replaces") &&
       !cb_sync_get_string (object, "replaces", NULL, TRUE, &replaces, &error)))
    {
      cb_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message);
      return;
    }
  if (self->render == NULL)
    {
      cb_server_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "no-signing-key",
                             _("this server issues no certificates: its configuration names no signing keys "
                               "([certificates] keys)"));
      return;
    }
  id = issue_certificate (self, caller, record, kind, replaces, &number, &pdf, &error);
  if (id == 0)
    {
      cb_server_reply_error (msg, g_error_matches (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND)
                                  ? SOUP_STATUS_NOT_FOUND : SOUP_STATUS_CONFLICT,
                             "refused", error->message);
      return;
    }

  base = self->config->public_url ? g_strdup (self->config->public_url) : cb_server_get_url (self);
  url = g_strconcat (base, "/verify/", number, NULL);
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  add_string_member (builder, "number", number);
  add_string_member (builder, "verify_url", url);
  {
    g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);

    add_string_member (builder, "sha256", sha256);
  }
  json_builder_end_object (builder);
  reply_builder (msg, builder);
}

/* The signed file of an issued certificate, for the benches: they keep
 * the row, the server keeps the file. */
static void
handle_certificate_pdf (CbServer          *self,
                        SoupServerMessage *msg,
                        const char        *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  gint64 id = cb_store_certificate_find (self->store, number, &error);

  if (id > 0)
    pdf = cb_store_certificate_get_pdf (self->store, id, &error);
  if (pdf == NULL)
    {
      cb_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                             error != NULL ? error->message : _("no such certificate"));
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/pdf", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
}

/* An admin moves a record's lease to another bench (the first one broke
 * down, or the work moves). */
static void
handle_lease (CbServer          *self,
              SoupServerMessage *msg)
{
  static const char * const members[] = { "record", "workstation", NULL };
  g_autoptr(JsonObject) object = read_body (self, msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  const char *workstation;
  gint64 record = 0;

  if (object == NULL)
    return;
  if (!cb_sync_check_members (object, members, NULL, &error) ||
      !cb_sync_get_int (object, "record", NULL, 1, &record, &error) ||
      !cb_sync_get_string (object, "workstation", NULL, FALSE, &workstation, &error))
    {
      cb_server_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message);
      return;
    }
  state = cb_store_get_field (self->store, "records", record, "state", &error);
  if (error != NULL)
    {
      cb_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", error->message);
      return;
    }
  if (!cb_store_sync_lease_set (self->store, "records", record, workstation, &error))
    {
      cb_server_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server", error->message);
      return;
    }
  g_message ("record %" G_GINT64_FORMAT " leased to %s", record, workstation);
  cb_server_reply_json (msg, SOUP_STATUS_OK, "{}");
}

static void
handle_order_code (CbServer          *self,
                   SoupServerMessage *msg,
                   const char        *number)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(CbPublicOrder) order = cb_store_order_public (self->store, number, NULL);
  g_autofree char *code = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;

  if (order == NULL)
    {
      cb_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("no such order"));
      return;
    }
  code = cb_server_order_code (self, number);
  escaped = g_uri_escape_string (number, NULL, FALSE);
  base = self->config->public_url ? g_strdup (self->config->public_url) : cb_server_get_url (self);
  url = g_strdup_printf ("%s/status/%s?code=%s", base, escaped, code);
  json_builder_begin_object (builder);
  add_string_member (builder, "code", code);
  add_string_member (builder, "status_url", url);
  json_builder_end_object (builder);
  reply_builder (msg, builder);
}

/* /api/v1/…: one dispatcher, so that every route is checked alike. */
static void
on_api (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  CbServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *route = path + strlen ("/api/v1");
  g_auto(Caller) caller = { 0, NULL, NULL };
  gboolean post = g_str_equal (method, "POST");
  gboolean get = g_str_equal (method, "GET");

  if (post && g_str_equal (route, "/login"))
    {
      handle_login (self, msg);
      return;
    }
  if (!authenticate (self, msg, &caller))
    return;

  if (post && g_str_equal (route, "/logout"))
    handle_logout (self, msg, &caller);
  else if (post && g_str_equal (route, "/tokens/revoke"))
    handle_revoke (self, msg, &caller);
  else if (post && g_str_equal (route, "/sync/push"))
    handle_push (self, msg, &caller);
  else if (get && g_str_equal (route, "/sync/pull"))
    handle_pull (self, msg, query);
  else if (get && g_str_equal (route, "/master/accounts"))
    {
      if (require_role (self, msg, &caller, "admin"))
        handle_credentials (self, msg, NULL);
    }
  else if (get && g_str_equal (route, "/me/credentials"))
    {
      g_autoptr(CbStaff) staff = cb_store_staff_get (self->store, caller.staff_id, NULL);

      if (staff != NULL)
        handle_credentials (self, msg, staff->login);
      else
        cb_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("the token's person is gone"));
    }
  else if (get && g_str_has_prefix (route, "/master/"))
    handle_master (self, msg, route + strlen ("/master/"));
  else if (get && g_str_equal (route, "/conflicts"))
    {
      if (require_role (self, msg, &caller, "admin"))
        handle_conflicts (self, msg);
    }
  else if (post && g_str_has_prefix (route, "/conflicts/") && g_str_has_suffix (route, "/resolve"))
    {
      gint64 id = g_ascii_strtoll (route + strlen ("/conflicts/"), NULL, 10);

      if (require_role (self, msg, &caller, "admin"))
        handle_resolve (self, msg, &caller, id);
    }
  else if (post && g_str_equal (route, "/leases"))
    {
      if (require_role (self, msg, &caller, "admin"))
        handle_lease (self, msg);
    }
  else if (get && g_str_has_prefix (route, "/certificates/") && g_str_has_suffix (route, "/pdf")
           && strlen (route) > strlen ("/certificates//pdf"))
    {
      g_autofree char *number = g_strndup (route + strlen ("/certificates/"),
                                           strlen (route) - strlen ("/certificates/") - strlen ("/pdf"));

      handle_certificate_pdf (self, msg, number);
    }
  else if (post && g_str_equal (route, "/certificates"))
    {
      if (require_role (self, msg, &caller, "approver"))
        handle_issue (self, msg, &caller);
    }
  else if (get && g_str_has_prefix (route, "/orders/") && g_str_has_suffix (route, "/code"))
    {
      g_autofree char *number = g_strndup (route + strlen ("/orders/"),
                                           strlen (route) - strlen ("/orders/") - strlen ("/code"));

      if (require_role (self, msg, &caller, "reception"))
        handle_order_code (self, msg, number);
    }
  else
    cb_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("no such call"));
}

static void
on_root (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  cb_server_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("nothing here"));
}

/* Oversized bodies are refused from their headers, before they are read. */
static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  CbServer *self = user_data;
  goffset length = soup_message_headers_get_content_length (soup_server_message_get_request_headers (msg));

  if (length > (goffset) self->config->max_body)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      cb_server_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", _("the request is too large"));
    }
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), user_data, 0);
}

static void
cb_server_finalize (GObject *object)
{
  CbServer *self = CB_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->store, cb_store_close);
  g_clear_pointer (&self->config, cb_server_config_free);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  if (self->render_destroy != NULL)
    self->render_destroy (self->render_data);
  G_OBJECT_CLASS (cb_server_parent_class)->finalize (object);
}

static void
cb_server_class_init (CbServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_server_finalize;
}

static void
cb_server_init (CbServer *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static CbServerConfig *
config_copy (const CbServerConfig *config)
{
  CbServerConfig *copy = cb_server_config_new ();

  copy->address = g_strdup (config->address);
  copy->port = config->port;
  copy->database = g_strdup (config->database);
  copy->tls_certificate = g_strdup (config->tls_certificate);
  copy->tls_key = g_strdup (config->tls_key);
  copy->public_url = g_strdup (config->public_url);
  copy->max_body = config->max_body;
  copy->token_lifetime = config->token_lifetime;
  copy->public_rate = config->public_rate;
  g_free (copy->status_secret);
  copy->status_secret = g_strdup (config->status_secret);
  g_free (copy->certificate_prefix);
  copy->certificate_prefix = g_strdup (config->certificate_prefix);
  copy->certificate_digits = config->certificate_digits;
  return copy;
}

CbServer *
cb_server_new (const CbServerConfig  *config,
               GError               **error)
{
  g_autoptr(CbServer) self = g_object_new (CB_TYPE_SERVER, NULL);
  g_autoptr(GError) local_error = NULL;

  if (config->database == NULL || config->tls_certificate == NULL || config->tls_key == NULL)
    {
      g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_CONFIG,
                   _("the configuration needs database, tls_certificate and tls_key"));
      return NULL;
    }
  self->config = config_copy (config);
  self->certificate = g_tls_certificate_new_from_files (config->tls_certificate, config->tls_key, &local_error);
  if (self->certificate == NULL)
    {
      g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_TLS, _("%s: %s"), config->tls_certificate,
                   local_error->message);
      return NULL;
    }
  self->store = cb_store_open (config->database, error);
  if (self->store == NULL)
    return NULL;
  cb_store_set_actor (self->store, CB_SERVER_ACTOR, CB_SERVER_WORKSTATION);

  self->soup = soup_server_new ("tls-certificate", self->certificate,
                                "server-header", "calbench-server ", NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (on_request_started), self, 0);
  soup_server_add_handler (self->soup, "/api/v1", on_api, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_root, self, NULL);
  cb_server_add_public (self);
  return g_steal_pointer (&self);
}

gboolean
cb_server_listen (CbServer  *self,
                  GError   **error)
{
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  if (self->config->address != NULL && *self->config->address != '\0')
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->config->address);

      if (inet == NULL)
        {
          g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_CONFIG,
                       _("address: “%s” is not an IP address"), self->config->address);
          return FALSE;
        }
      address = g_inet_socket_address_new (inet, self->config->port);
      if (!soup_server_listen (self->soup, address, SOUP_SERVER_LISTEN_HTTPS, error))
        return FALSE;
    }
  else if (!soup_server_listen_all (self->soup, self->config->port, SOUP_SERVER_LISTEN_HTTPS, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : self->config->port;
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return TRUE;
}

guint
cb_server_get_port (CbServer *self)
{
  return self->port;
}

char *
cb_server_get_url (CbServer *self)
{
  const char *host = self->config->address != NULL && *self->config->address != '\0'
                     ? self->config->address : "localhost";

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("https://[%s]:%u", host, self->port);
  return g_strdup_printf ("https://%s:%u", host, self->port);
}

CbStore *
cb_server_get_store (CbServer *self)
{
  return self->store;
}

void
cb_server_set_renderer (CbServer                *self,
                        CbCertificateRenderFunc  render,
                        gpointer                 user_data,
                        GDestroyNotify           destroy)
{
  if (self->render_destroy != NULL)
    self->render_destroy (self->render_data);
  self->render = render;
  self->render_data = user_data;
  self->render_destroy = destroy;
}

char *
cb_server_order_code (CbServer   *self,
                      const char *order_number)
{
  g_autofree char *mac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) self->config->status_secret,
                                                    strlen (self->config->status_secret), order_number, -1);

  /* Ten hex digits: short enough to print on a receipt and type. */
  mac[10] = '\0';
  return g_ascii_strup (mac, -1);
}
