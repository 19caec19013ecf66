/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <gnutls/gnutls.h>

#include "certificate/cb-keys.h"
#include "certificate/cb-pdf-sign.h"
#include "server-test-util.h"
#include "sync/cb-sync-codec.h"
#include "store/cb-store-accounts.h"
#include "store/cb-store-certificates.h"
#include "store/cb-store-demo.h"
#include "store/cb-store-private.h"
#include "store/cb-store-staff.h"

/* An approved record of an order for @customer, straight in the server's
 * store: what a certificate is issued for. */
static gint64
add_record (CbStore    *store,
            const char *customer,
            const char *order_number,
            const char *state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *customer_id = NULL, *order_id = NULL, *sample_id = NULL, *template_id = NULL;
  g_autofree char *version_id = NULL, *task_id = NULL;
  const char *customer_fields[] = { "name" };
  const char *order_fields[] = { "number", "customer_id", "received" };
  const char *sample_fields[] = { "label", "order_id", "name", "model", "serial" };
  const char *template_fields[] = { "name", "item" };
  const char *version_fields[] = { "template_id", "version", "document", "author_id" };
  const char *task_fields[] = { "sample_id", "item", "bench", "state" };
  const char *record_fields[] = { "template_version_id", "task_id", "state" };
  gint64 id;

  customer_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                 cb_store_insert (store, "customers", customer_fields,
                                                  (const char *[]) { customer }, 1, NULL, &error));
  g_assert_no_error (error);
  order_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                              cb_store_insert (store, "orders", order_fields,
                                               (const char *[]) { order_number, customer_id, "2026-11-20" }, 3,
                                               NULL, &error));
  g_assert_no_error (error);
  sample_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                               cb_store_insert (store, "samples", sample_fields,
                                                (const char *[]) { order_number, order_id, "精密压力表", "YB-150",
                                                                   "S<1>" }, 5, NULL, &error));
  g_assert_no_error (error);
  template_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                 cb_store_insert (store, "templates", template_fields,
                                                  (const char *[]) { "压力表", "pressure" }, 2, NULL, &error));
  g_assert_no_error (error);
  version_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                cb_store_insert (store, "template_versions", version_fields,
                                                 (const char *[]) { template_id, "1", "{}", "1" }, 4, NULL, &error));
  g_assert_no_error (error);
  task_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                             cb_store_insert (store, "tasks", task_fields,
                                              (const char *[]) { sample_id, "pressure", "bench-1", "approved" }, 4,
                                              NULL, &error));
  g_assert_no_error (error);
  id = cb_store_insert (store, "records", record_fields, (const char *[]) { version_id, task_id, state }, 3,
                        NULL, &error);
  g_assert_no_error (error);
  return id;
}

static gint64
add_approved_record (CbStore    *store,
                     const char *customer,
                     const char *order_number)
{
  return add_record (store, customer, order_number, "approved");
}

static void
test_login_and_lockout (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autofree char *token = NULL;
  guint status = 0;

  test_lab_start (lab);
  token = test_login (lab, "zhang.wei", "bench-1");
  g_assert_cmpuint (strlen (token), ==, 32);

  /* Five wrong passwords lock the account; then even the right one fails. */
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *answer = test_request (lab, "POST", "/api/v1/login", NULL,
                                              "{\"login\":\"li.na\",\"password\":\"wrong\",\"workstation\":\"b\"}",
                                              &status);

      g_assert_cmpuint (status, ==, 401);
    }
  {
    g_autofree char *answer = test_request (lab, "POST", "/api/v1/login", NULL,
                                            "{\"login\":\"li.na\",\"password\":\"pw-li.na\",\"workstation\":\"b\"}",
                                            &status);

    g_assert_cmpuint (status, ==, 401);
    g_assert_nonnull (strstr (answer, "locked"));
  }
}

static void
test_token_expiry_and_revocation (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autofree char *token = NULL, *other = NULL, *third = NULL, *admin = NULL;
  g_autofree char *answer = NULL;
  guint status = 0;

  test_lab_start (lab);
  token = test_login (lab, "zhang.wei", "bench-1");
  answer = test_request (lab, "GET", "/api/v1/master/staff", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (answer, "zhang.wei"));
  g_clear_pointer (&answer, g_free);

  /* Expired: its time is moved into the past rather than waited for. */
  g_assert_true (cb_store_exec (cb_server_get_store (lab->server),
                                "UPDATE sync_tokens SET expires = '2000-01-01T00:00:00Z'", NULL));
  answer = test_request (lab, "GET", "/api/v1/master/staff", token, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&answer, g_free);

  /* Logged out. */
  other = test_login (lab, "zhang.wei", "bench-1");
  answer = test_request (lab, "POST", "/api/v1/logout", other, "{}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "GET", "/api/v1/master/staff", other, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&answer, g_free);

  /* Revoked by an admin. */
  third = test_login (lab, "zhang.wei", "bench-1");
  admin = test_login (lab, "admin", "office");
  answer = test_request (lab, "POST", "/api/v1/tokens/revoke", third, "{\"login\":\"zhang.wei\"}", &status);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "POST", "/api/v1/tokens/revoke", admin, "{\"login\":\"zhang.wei\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "GET", "/api/v1/master/staff", third, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&answer, g_free);

  answer = test_request (lab, "GET", "/api/v1/master/staff", "0123456789abcdef0123456789abcdef", NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "GET", "/api/v1/master/staff", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
}

/* Stands in for the certificate layer: the server only stores what it gives. */
static GBytes *
render_fake_pdf (CbStore     *store,
                 gint64       record_id,
                 const char  *number,
                 const char  *kind,
                 const char  *replaces,
                 gpointer     user_data,
                 GError     **error)
{
  return g_bytes_new_take (g_strdup_printf ("%%PDF-1.7 certificate %s", number),
                           strlen ("%PDF-1.7 certificate ") + strlen (number));
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GBytes *
fetch (CbSyncClient  *client,
       const char    *number,
       const char    *sha256,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cb_sync_client_fetch_certificate_async (client, number, sha256, NULL, on_fetched, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cb_sync_client_fetch_certificate_finish (client, result, error);
}

/* Any bench fetches an issued certificate's signed file, checked against
 * the hash the server answered the issuance with. */
static void
fetch_issued (TestLab    *lab,
              const char *issued,
              const char *token)
{
  g_autoptr(JsonNode) root = json_from_string (issued, NULL);
  JsonObject *object = json_node_get_object (root);
  const char *number = json_object_get_string_member (object, "number");
  const char *sha256 = json_object_get_string_member (object, "sha256");
  g_autofree char *path = g_strdup_printf ("/api/v1/certificates/%s/pdf", number);
  g_autofree char *expected = g_strdup_printf ("%%PDF-1.7 certificate %s", number);
  g_autofree char *answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(CbSyncClient) client = NULL;
  g_autofree char *dir = g_dir_make_tmp ("calbench-fetch-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  CbStore *bench;
  guint status = 0;

  answer = test_request (lab, "GET", path, token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (answer, ==, expected);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "GET", path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "GET", "/api/v1/certificates/NO-SUCH/pdf", token, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_nonnull (strstr (answer, "NO-SUCH"));

  bench = cb_store_open (db, &error);
  g_assert_no_error (error);
  client = cb_sync_client_new (bench, lab->url);
  g_assert_true (cb_sync_client_set_ca_file (client, lab->config->tls_certificate, &error));
  cb_sync_client_set_token (client, token);
  pdf = fetch (client, number, sha256, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), expected, strlen (expected));
  g_clear_pointer (&pdf, g_bytes_unref);
  /* A file that is not the one issued is refused. */
  pdf = fetch (client, number, "0000000000000000000000000000000000000000000000000000000000000000", &error);
  g_assert_null (pdf);
  g_assert_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_TAMPERED);
  g_assert_nonnull (strstr (error->message, sha256));
  g_clear_error (&error);

  /* Kept in the cache: the next time needs no server (no token here). */
  cb_sync_client_set_token (client, NULL);
  pdf = fetch (client, number, sha256, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), expected, strlen (expected));
  g_clear_pointer (&pdf, g_bytes_unref);
  /* A kept file changed since is not taken: the server is asked again. */
  {
    g_autofree char *name = g_strconcat (sha256, ".pdf", NULL);
    g_autofree char *kept = g_build_filename (g_get_user_cache_dir (), "calbench", "certificates", name, NULL);

    g_assert_true (g_file_set_contents (kept, "%PDF-1.7 changed", -1, NULL));
  }
  pdf = fetch (client, number, sha256, &error);
  g_assert_null (pdf);
  g_assert_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_UNAUTHORISED);
  g_clear_object (&client);
  cb_store_close (bench);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (db, suffixes[i], NULL);

        g_unlink (file);
      }
    g_rmdir (dir);
  }
}

static void
test_roles (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autofree char *metrologist = NULL, *approver = NULL, *reception = NULL;
  g_autofree char *answer = NULL;
  guint status = 0;
  gint64 record;

  test_lab_start (lab);
  record = add_approved_record (cb_server_get_store (lab->server), "某某仪表厂", "WT20261120-0001");
  cb_server_set_renderer (lab->server, render_fake_pdf, NULL, NULL);
  metrologist = test_login (lab, "zhang.wei", "bench-1");
  approver = test_login (lab, "wang.fang", "bench-2");
  reception = test_login (lab, "zhao.lei", "desk");

  {
    g_autofree char *body = g_strdup_printf ("{\"record\":%" G_GINT64_FORMAT "}", record);

    /* A metrologist's token cannot approve; an approver's can. */
    answer = test_request (lab, "POST", "/api/v1/certificates", metrologist, body, &status);
    g_assert_cmpuint (status, ==, 403);
    g_clear_pointer (&answer, g_free);
    answer = test_request (lab, "POST", "/api/v1/certificates", approver, body, &status);
    g_assert_cmpuint (status, ==, 200);
    fetch_issued (lab, answer, metrologist);
    g_clear_pointer (&answer, g_free);
  }

  /* A server without signing keys says so instead of issuing. */
  cb_server_set_renderer (lab->server, NULL, NULL, NULL);
  {
    g_autofree char *body = g_strdup_printf ("{\"record\":%" G_GINT64_FORMAT "}", record);

    answer = test_request (lab, "POST", "/api/v1/certificates", approver, body, &status);
    g_assert_cmpuint (status, ==, 503);
    g_assert_nonnull (strstr (answer, "signing keys"));
    g_clear_pointer (&answer, g_free);
  }

  answer = test_request (lab, "GET", "/api/v1/conflicts", approver, NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "GET", "/api/v1/orders/WT20261120-0001/code", metrologist, NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "GET", "/api/v1/orders/WT20261120-0001/code", reception, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (answer, "/status/WT20261120-0001?code="));
}

/* On final approval the server issues the certificate: an approver's bench
 * pushes the approval, the server numbers, renders and keeps the file, the
 * bench pulls the row and fetches the file. */
static void
test_issue_on_approval (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncClient) client = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(CbStoredCertificate) issued = NULL;
  CbStore *server, *bench;
  gint64 record, bench_record, certificate;

  test_lab_start (lab);
  server = cb_server_get_store (lab->server);
  cb_server_set_renderer (lab->server, render_fake_pdf, NULL, NULL);
  /* One record approved long ago without a certificate (imported): not
   * this push's business. */
  add_approved_record (server, "旧单位", "WT20250101-0001");
  record = add_record (server, "某某仪表厂", "WT20261123-0001", "checked");

  bench = test_lab_open_bench (lab, "bench-2");
  cb_store_set_actor (bench, "wang.fang", "bench-2");
  client = test_client_new (lab, bench, "wang.fang");
  g_assert_true (test_sync (client, NULL, &error));
  g_assert_no_error (error);
  bench_record = test_count (bench, "SELECT r.id FROM records r JOIN tasks t ON t.id = r.task_id"
                                    " JOIN samples s ON s.id = t.sample_id WHERE s.label = 'WT20261123-0001'");
  g_assert_cmpint (bench_record, >, 0);

  g_assert_true (cb_store_update (bench, "records", bench_record, "state", "approved", "批准", &error));
  g_assert_no_error (error);
  g_assert_true (test_sync (client, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM certificates"), ==, 1);
  certificate = cb_store_certificate_find_for_record (server, record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (certificate, >, 0);

  /* The row came back with the same sync; the file comes on asking. */
  certificate = cb_store_certificate_find_for_record (bench, bench_record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (certificate, >, 0);
  issued = cb_store_certificate_get (bench, certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (issued->status, ==, "issued");
  g_assert_null (cb_store_certificate_get_pdf (bench, certificate, NULL));
  pdf = fetch (client, issued->number, issued->sha256, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-1.7 certificate "));

  /* Syncing again issues nothing more. */
  g_assert_true (test_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM certificates"), ==, 1);
  g_clear_object (&client);
  cb_store_close (bench);
}

static void
test_limits_and_malformed (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autofree char *token = NULL;
  g_autoptr(GString) big = g_string_new ("{\"login\":\"");
  guint status = 0;
  static const struct { const char *body, *message; } bad[] = {
    { "", "empty" },
    { "{", "malformed JSON" },
    { "[1,2]", "expected a JSON object" },
    { "\"text\"", "expected a JSON object" },
    { "{\"workstation\":\"bench-1\",\"head\":1,\"changes\":[{\"seq\":\"x\"}],\"rows\":[]}", "changes[0]" },
    { "{\"workstation\":\"bench-1\",\"head\":-1,\"changes\":[],\"rows\":[]}", "head" },
    { "{\"workstation\":\"bench-1\",\"head\":0,\"changes\":[],\"rows\":[],\"extra\":1}", "extra" },
    { "{\"workstation\":\"bench-1\",\"head\":0,\"changes\":{},\"rows\":[]}", "changes" },
    { "{\"workstation\":\"bench-1\",\"head\":0,\"changes\":[],\"rows\":[{\"table\":\"x;drop\",\"server_row\":1,\"bench_row\":1}]}", "rows[0].table" },
    { "{\"workstation\":\"bench-1\",\"head\":0.5,\"changes\":[],\"rows\":[]}", "head" },
  };

  test_lab_start (lab);
  token = test_login (lab, "zhang.wei", "bench-1");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *answer = test_request (lab, "POST", "/api/v1/sync/push", token, bad[i].body, &status);

      g_assert_cmpuint (status, ==, 400);
      if (strstr (answer, bad[i].message) == NULL)
        g_error ("%s: the answer %s does not say %s", bad[i].body, answer, bad[i].message);
    }

  /* Nested deep, and larger than the limit. */
  {
    g_autoptr(GString) deep = g_string_new (NULL);
    g_autofree char *answer = NULL;

    for (int i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    answer = test_request (lab, "POST", "/api/v1/sync/push", token, deep->str, &status);
    g_assert_cmpuint (status, ==, 400);
  }
  while (big->len < lab->config->max_body + 10)
    g_string_append (big, "aaaaaaaaaaaaaaaa");
  g_string_append (big, "\"}");
  {
    g_autofree char *answer = test_request (lab, "POST", "/api/v1/login", NULL, big->str, &status);

    g_assert_cmpuint (status, ==, 413);
  }
  /* Still serving. */
  {
    g_autofree char *answer = test_request (lab, "GET", "/api/v1/master/methods", token, NULL, &status);

    g_assert_cmpuint (status, ==, 200);
  }
}

/* A raw GnuTLS client that offers only the versions in @priority. */
static int
handshake (guint       port,
           const char *priority)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL,
                                                                             &error);
  gnutls_certificate_credentials_t credentials;
  gnutls_session_t session;
  int rc;

  g_assert_no_error (error);
  gnutls_certificate_allocate_credentials (&credentials);
  gnutls_init (&session, GNUTLS_CLIENT);
  g_assert_cmpint (gnutls_priority_set_direct (session, priority, NULL), ==, GNUTLS_E_SUCCESS);
  gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, credentials);
  gnutls_transport_set_int (session, g_socket_get_fd (g_socket_connection_get_socket (connection)));
  do
    rc = gnutls_handshake (session);
  while (rc < 0 && !gnutls_error_is_fatal (rc));
  if (rc == 0)
    gnutls_bye (session, GNUTLS_SHUT_RDWR);
  gnutls_deinit (session);
  gnutls_certificate_free_credentials (credentials);
  return rc;
}

typedef struct
{
  guint       port;
  const char *priority;
} Handshake;

static void
run_handshake (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  const Handshake *attempt = data;

  g_task_return_int (task, handshake (attempt->port, attempt->priority));
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The server answers in this thread's main loop while a thread shakes hands. */
static int
handshake_in_thread (TestLab    *lab,
                     const char *priority)
{
  Handshake attempt = { cb_server_get_port (lab->server), priority };
  g_autoptr(GAsyncResult) result = NULL;
  GTask *task = g_task_new (NULL, NULL, on_handshake_done, &result);

  g_task_set_task_data (task, &attempt, NULL);
  g_task_run_in_thread (task, run_handshake);
  g_object_unref (task);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return (int) g_task_propagate_int (G_TASK (result), NULL);
}

static void
test_tls_versions (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();

  test_lab_start (lab);
  g_assert_cmpint (handshake_in_thread (lab, "NORMAL:-VERS-ALL:+VERS-TLS1.0"), <, 0);
  g_assert_cmpint (handshake_in_thread (lab, "NORMAL:-VERS-ALL:+VERS-TLS1.1"), <, 0);
  g_assert_cmpint (handshake_in_thread (lab, "NORMAL:-VERS-ALL:+VERS-TLS1.2"), ==, 0);
  g_assert_cmpint (handshake_in_thread (lab, "NORMAL:-VERS-ALL:+VERS-TLS1.3"), ==, 0);
}


static void
test_issue_and_verify (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autofree char *approver = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *pdf_text = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *path = NULL;
  g_autofree char *year_prefix = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint status = 0;
  gint64 record;

  test_lab_start (lab);
  cb_server_set_renderer (lab->server, render_fake_pdf, NULL, NULL);
  record = add_approved_record (cb_server_get_store (lab->server), "上海<b>精密&仪表</b>有限公司", "WT20261120-0002");
  approver = test_login (lab, "wang.fang", "bench-2");
  body = g_strdup_printf ("{\"record\":%" G_GINT64_FORMAT "}", record);
  answer = test_request (lab, "POST", "/api/v1/certificates", approver, body, &status);
  g_assert_cmpuint (status, ==, 200);
  year_prefix = g_strdup_printf ("\"number\":\"JD%04d-000001\"", g_date_time_get_year (now));
  g_assert_nonnull (strstr (answer, year_prefix));
  g_clear_pointer (&answer, g_free);

  /* The next one counts on; a replacement supersedes the first. */
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"record\":%" G_GINT64_FORMAT ",\"kind\":\"replacement\",\"replaces\":\"JD%04d-000001\"}",
                          record, g_date_time_get_year (now));
  answer = test_request (lab, "POST", "/api/v1/certificates", approver, body, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, g_free);

  pdf_text = g_strdup_printf ("%%PDF-1.7 certificate JD%04d-000002", g_date_time_get_year (now));
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, pdf_text, -1);
  path = g_strdup_printf ("/verify/JD%04d-000002?h=%s", g_date_time_get_year (now), digest);
  answer = test_request (lab, "GET", path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (answer, "Valid"));
  g_assert_nonnull (strstr (answer, "Replacement"));
  g_assert_nonnull (strstr (answer, "Matches the issued PDF"));
  g_assert_nonnull (strstr (answer, "YB-150 S&lt;1&gt;"));
  /* The customer partly masked, and nothing of it unescaped. */
  g_assert_null (strstr (answer, "<b>"));
  g_assert_null (strstr (answer, "精密&amp;"));
  g_assert_nonnull (strstr (answer, "<dd>上海**************公司</dd>"));
  g_clear_pointer (&answer, g_free);
  g_clear_pointer (&path, g_free);

  path = g_strdup_printf ("/verify/JD%04d-000001?h=%s", g_date_time_get_year (now), digest);
  answer = test_request (lab, "GET", path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (answer, "Superseded by JD"));
  g_assert_nonnull (strstr (answer, "Does not match the issued PDF"));
  g_clear_pointer (&answer, g_free);

  answer = test_request (lab, "GET", "/verify/%3Cscript%3Ealert(1)%3C%2Fscript%3E", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_null (strstr (answer, "<script>"));
}

static void
test_order_status (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autofree char *code = NULL;
  g_autofree char *path = NULL;
  g_autofree char *answer = NULL;
  guint status = 0;

  test_lab_start (lab);
  add_approved_record (cb_server_get_store (lab->server), "某厂", "WT<i>&1");
  code = cb_server_order_code (lab->server, "WT<i>&1");
  path = g_strdup_printf ("/status/WT%%3Ci%%3E%%261?code=%s", code);
  answer = test_request (lab, "GET", path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (answer, "WT&lt;i&gt;&amp;1"));
  g_assert_null (strstr (answer, "<i>"));
  g_assert_nonnull (strstr (answer, "<li class=\"done\">Checking</li>"));
  g_assert_nonnull (strstr (answer, "<li class=\"todo\">Certificate issued</li>"));
  g_clear_pointer (&answer, g_free);

  answer = test_request (lab, "GET", "/status/WT%3Ci%3E%261?code=0000000000", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "GET", "/status/WT%3Ci%3E%261", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
}

static void
test_rate_limit (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  guint status = 0;

  lab->config->public_rate = 5;
  test_lab_start (lab);
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *answer = test_request (lab, "GET", "/verify/JD-none", NULL, NULL, &status);

      g_assert_cmpuint (status, ==, 404);
    }
  {
    g_autofree char *answer = test_request (lab, "GET", "/verify/JD-none", NULL, NULL, &status);

    g_assert_cmpuint (status, ==, 429);
  }
}

/* The real program on a demo lab with signing keys in its configuration:
 * an approver's request gets a rendered certificate whose signature checks. */
static void
test_issue_signed (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *approver = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *keys = g_build_filename (lab->dir, "keys", NULL);
  g_autofree char *signer = NULL;
  JsonObject *issued;
  CbStore *store;
  gint64 record, certificate;
  guint status = 0;

  /* The demo lab instead of the test's, the approver's password known. */
  g_assert_cmpint (g_remove (lab->config->database), ==, 0);
  store = cb_store_open (lab->config->database, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_demo_populate (store, &error));
  g_assert_no_error (error);
  cb_store_set_password_policy (store, CB_PASSWORD_POLICY_TEST);
  {
    gint64 wu = cb_store_staff_find (store, "wu.hong", &error);

    g_assert_no_error (error);
    g_assert_true (cb_store_set_password (store, wu, "pw-wu.hong", "test account", &error));
    g_assert_no_error (error);
  }
  record = test_count (store, "SELECT max (id) FROM records WHERE state = 'approved'");
  g_assert_cmpint (record, >, 0);
  cb_store_close (store);

  g_assert_true (cb_keys_init (keys, "Calbench test lab", &error));
  g_assert_no_error (error);
  lab->config->certificate_keys = g_strdup (keys);
  test_lab_save_config (lab);
  test_lab_spawn (lab);

  approver = test_login (lab, "wu.hong", "bench-3");
  body = g_strdup_printf ("{\"record\":%" G_GINT64_FORMAT "}", record);
  answer = test_request (lab, "POST", "/api/v1/certificates", approver, body, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, answer, -1, &error));
  g_assert_no_error (error);
  issued = json_node_get_object (json_parser_get_root (parser));
  test_lab_kill (lab);

  /* Stored with its digest, signed by the lab's key, nothing appended. */
  store = cb_store_open (lab->config->database, &error);
  g_assert_no_error (error);
  certificate = json_object_get_int_member (issued, "id");
  pdf = cb_store_certificate_get_pdf (store, certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), 5, "%PDF-", 5);
  {
    g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);

    g_assert_cmpstr (digest, ==, json_object_get_string_member (issued, "sha256"));
  }
  g_assert_cmpint (cb_pdf_check_signature (pdf, &signer, &error), ==, CB_PDF_SIGNATURE_VALID);
  g_assert_no_error (error);
  cb_store_close (store);
}

static void
on_browsed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs headless Chromium at a phone's size on @url (the server answers in
 * this thread's main loop meanwhile): the DOM as it rendered, and a
 * screenshot in @png. */
static char *
browse (const char *url,
        const char *png)
{
  g_autofree char *profile = g_dir_make_tmp ("calbench-chromium-XXXXXX", NULL);
  g_autofree char *profile_arg = g_strconcat ("--user-data-dir=", profile, NULL);
  g_autofree char *screenshot_arg = g_strconcat ("--screenshot=", png, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dom = NULL;
  const char * const common[] = { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                  "--no-first-run", "--ignore-certificate-errors", "--hide-scrollbars",
                                  "--window-size=390,844", "--force-device-scale-factor=1" };

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *out = NULL;

      g_ptr_array_add (argv, (gpointer) "chromium");
      for (guint i = 0; i < G_N_ELEMENTS (common); i++)
        g_ptr_array_add (argv, (gpointer) common[i]);
      g_ptr_array_add (argv, profile_arg);
      g_ptr_array_add (argv, pass == 0 ? (gpointer) "--dump-dom" : screenshot_arg);
      g_ptr_array_add (argv, (gpointer) url);
      g_ptr_array_add (argv, NULL);
      process = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8_async (process, NULL, NULL, on_browsed, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (process));
      if (pass == 0)
        dom = g_steal_pointer (&out);
    }
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", profile);

    g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  }
  return g_steal_pointer (&dom);
}

/* A PNG's width and height from its header. */
static void
png_size (const char *path,
          guint      *width,
          guint      *height)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  const guint8 *bytes;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, >, 24);
  bytes = (const guint8 *) data;
  g_assert_cmpmem (bytes + 1, 3, "PNG", 3);
  *width = (guint) bytes[16] << 24 | (guint) bytes[17] << 16 | (guint) bytes[18] << 8 | bytes[19];
  *height = (guint) bytes[20] << 24 | (guint) bytes[21] << 16 | (guint) bytes[22] << 8 | bytes[23];
}

/* The two public pages as a customer's phone shows them, in Debian's
 * Chromium; the screenshots stay in the build tree to be looked at. */
static void
test_public_pages_in_chromium (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autofree char *approver = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dom = NULL;
  g_autofree char *code = NULL;
  g_autofree char *png = NULL;
  guint status = 0, width = 0, height = 0;
  gint64 record;

  if (chromium == NULL)
    {
      g_test_skip ("chromium is not installed (build-aux/install-deps installs it)");
      return;
    }
  test_lab_start (lab);
  cb_server_set_renderer (lab->server, render_fake_pdf, NULL, NULL);
  record = add_approved_record (cb_server_get_store (lab->server), "唐山市精密仪表有限公司", "WT20261123-0009");
  approver = test_login (lab, "wang.fang", "bench-2");
  body = g_strdup_printf ("{\"record\":%" G_GINT64_FORMAT "}", record);
  answer = test_request (lab, "POST", "/api/v1/certificates", approver, body, &status);
  g_assert_cmpuint (status, ==, 200);
  {
    g_autofree char *pdf_text = g_strdup_printf ("%%PDF-1.7 certificate JD%04d-000001", g_date_time_get_year (now));

    digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, pdf_text, -1);
  }

  url = g_strdup_printf ("%s/verify/JD%04d-000001?h=%s", lab->url, g_date_time_get_year (now), digest);
  png = g_test_build_filename (G_TEST_BUILT, "public-verify.png", NULL);
  dom = browse (url, png);
  g_assert_nonnull (strstr (dom, "JD"));
  g_assert_nonnull (strstr (dom, "Valid"));
  g_assert_nonnull (strstr (dom, "Matches the issued PDF"));
  g_assert_nonnull (strstr (dom, "name=\"viewport\""));
  /* A date a customer reads, not a timestamp. */
  g_assert_null (strstr (dom, "Z</dd>"));
  png_size (png, &width, &height);
  g_assert_cmpuint (width, ==, 390);
  g_assert_cmpuint (height, ==, 844);
  g_clear_pointer (&dom, g_free);
  g_clear_pointer (&png, g_free);

  /* The same page from the real server speaking Chinese, as the service
   * does (LANGUAGE=zh_CN), on the same database. */
  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    g_autoptr(GSubprocess) chinese = NULL;
    g_autoptr(GDataInputStream) lines = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *line = NULL;
    g_autofree char *chinese_url = NULL;

    g_subprocess_launcher_setenv (launcher, "LANGUAGE", "zh_CN", TRUE);
    chinese = g_subprocess_launcher_spawn (launcher, &error, CALBENCH_SERVER, "--config", lab->config_path, NULL);
    g_assert_no_error (error);
    lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (chinese));
    do
      {
        g_free (line);
        line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
        g_assert_no_error (error);
        g_assert_nonnull (line);
      }
    while (!g_str_has_prefix (line, "https://"));
    chinese_url = g_strconcat (line, strstr (url + strlen ("https://"), "/"), NULL);
    png = g_test_build_filename (G_TEST_BUILT, "public-verify-zh_CN.png", NULL);
    dom = browse (chinese_url, png);
    g_subprocess_send_signal (chinese, SIGTERM);
    g_subprocess_wait (chinese, NULL, NULL);
  }
  g_assert_nonnull (strstr (dom, "证书验证"));
  g_assert_nonnull (strstr (dom, "有效"));
  g_assert_nonnull (strstr (dom, "与签发的 PDF 一致"));
  g_clear_pointer (&dom, g_free);
  g_clear_pointer (&url, g_free);
  g_clear_pointer (&png, g_free);

  code = cb_server_order_code (lab->server, "WT20261123-0009");
  url = g_strdup_printf ("%s/status/WT20261123-0009?code=%s", lab->url, code);
  png = g_test_build_filename (G_TEST_BUILT, "public-status.png", NULL);
  dom = browse (url, png);
  g_assert_nonnull (strstr (dom, "WT20261123-0009"));
  g_assert_nonnull (strstr (dom, "<li class=\"done\">Certificate issued</li>"));
  png_size (png, &width, &height);
  g_assert_cmpuint (width, ==, 390);
}

int
main (int    argc,
      char **argv)
{
  int status;

  cb_server_init_tls ();
  g_test_init (&argc, &argv, NULL);
  /* Fetched certificates are kept in a cache of the test's own. */
  {
    g_autofree char *cache = g_dir_make_tmp ("calbench-cache-XXXXXX", NULL);

    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }

  g_test_add_func ("/server/login-lockout", test_login_and_lockout);
  g_test_add_func ("/server/token-expiry-revocation", test_token_expiry_and_revocation);
  g_test_add_func ("/server/roles", test_roles);
  g_test_add_func ("/server/issue-on-approval", test_issue_on_approval);
  g_test_add_func ("/server/public-pages-in-chromium", test_public_pages_in_chromium);
  g_test_add_func ("/server/limits-malformed", test_limits_and_malformed);
  g_test_add_func ("/server/tls-versions", test_tls_versions);
  g_test_add_func ("/server/issue-verify", test_issue_and_verify);
  g_test_add_func ("/server/order-status", test_order_status);
  g_test_add_func ("/server/rate-limit", test_rate_limit);
  g_test_add_func ("/server/issue-signed", test_issue_signed);

  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", g_getenv ("XDG_CACHE_HOME"));

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return status;
}
