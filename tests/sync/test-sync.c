/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <glib/gstdio.h>

#include "server/server-test-util.h"
#include "store/cb-store-accounts.h"
#include "store/cb-store-audit.h"
#include "store/cb-store-staff.h"
#include "store/cb-store-sync.h"
#include "sync/cb-sync-apply.h"

static void
add_customers (CbStore    *store,
               const char *prefix,
               guint       n)
{
  g_autoptr(GError) error = NULL;
  const char *fields[] = { "name", "phone" };

  g_assert_true (cb_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u", prefix, i);
      const char *values[] = { name, "0311-1234567" };

      g_assert_cmpint (cb_store_insert (store, "customers", fields, values, 2, NULL, &error), >, 0);
    }
  g_assert_true (cb_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
assert_chain (CbStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_store_audit_verify (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_audit_verify_rows (store, &error));
  g_assert_no_error (error);
}

static void
sync_ok (CbSyncClient *client)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (test_sync (client, NULL, &error));
  g_assert_no_error (error);
}

/* A bench's inserts reach the server with their references mapped, and
 * another bench pulls them. */
static void
test_push_pull (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  CbStore *a, *b;
  g_autoptr(CbSyncClient) client_a = NULL;
  g_autoptr(CbSyncClient) client_b = NULL;
  const char *customer_fields[] = { "name" };
  const char *contact_fields[] = { "customer_id", "name", "phone" };
  g_autofree char *customer_text = NULL;
  gint64 customer;
  CbStore *server;

  test_lab_start (lab);
  server = cb_server_get_store (lab->server);
  a = test_lab_open_bench (lab, "bench-a");
  b = test_lab_open_bench (lab, "bench-b");

  /* Bench A's own rows first, so that its ids differ from the server's. */
  add_customers (a, "offline", 2);
  customer = cb_store_insert (a, "customers", customer_fields, (const char *[]) { "河北某计量所" }, 1, NULL, &error);
  customer_text = g_strdup_printf ("%" G_GINT64_FORMAT, customer);
  g_assert_cmpint (cb_store_insert (a, "contacts", contact_fields,
                                    (const char *[]) { customer_text, "刘工", "13800000000" }, 3, NULL, &error), >, 0);
  g_assert_no_error (error);

  client_a = test_client_new (lab, a, "zhang.wei");
  g_assert_cmpint (cb_sync_client_get_state (client_a), ==, CB_SYNC_STATE_PENDING);
  g_assert_cmpint (cb_sync_client_get_pending (client_a), >, 0);
  sync_ok (client_a);
  g_assert_cmpint (cb_sync_client_get_state (client_a), ==, CB_SYNC_STATE_SYNCED);
  g_assert_cmpint (cb_sync_client_get_pending (client_a), ==, 0);

  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM customers"), ==, 3);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM contacts c JOIN customers u ON u.id = c.customer_id"
                                       " WHERE u.name = '河北某计量所' AND c.name = '刘工'"), ==, 1);

  client_b = test_client_new (lab, b, "li.na");
  sync_ok (client_b);
  g_assert_cmpint (test_count (b, "SELECT COUNT(*) FROM customers"), ==, 3);
  g_assert_cmpint (test_count (b, "SELECT COUNT(*) FROM contacts c JOIN customers u ON u.id = c.customer_id"
                                  " WHERE u.name = '河北某计量所' AND c.name = '刘工'"), ==, 1);
  /* The staff came too: the server's master data. */
  g_assert_cmpint (cb_store_staff_find (b, "wang.fang", NULL), >, 0);
  /* Bench B's echoes go back once and are not applied again. */
  sync_ok (client_b);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM customers"), ==, 3);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM sync_changes WHERE workstation = 'bench-b'"
                                       " AND status <> 'echo'"), ==, 0);

  assert_chain (a);
  assert_chain (b);
  assert_chain (server);
  g_clear_object (&client_a);
  g_clear_object (&client_b);
  cb_store_close (a);
  cb_store_close (b);
}

/* The same batch ten times: acknowledged ten times, applied once. */
static void
test_replay (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncBatch) batch = NULL;
  g_autoptr(CbSyncClient) client = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *first = NULL;
  CbStore *a;

  test_lab_start (lab);
  a = test_lab_open_bench (lab, "bench-a");
  add_customers (a, "replay", 5);
  token = test_login (lab, "zhang.wei", "bench-a");
  batch = cb_sync_outbox_take (a, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->changes->len, ==, 10);
  body = cb_sync_batch_encode (batch);
  for (int i = 0; i < 10; i++)
    {
      guint status = 0;
      g_autofree char *answer = test_request (lab, "POST", "/api/v1/sync/push", token, body, &status);

      g_assert_cmpuint (status, ==, 200);
      /* The same acks every time, the server's sequence unchanged. */
      if (first == NULL)
        first = g_strdup (answer);
      else
        g_assert_cmpstr (answer, ==, first);
    }
  g_assert_cmpint (test_count (cb_server_get_store (lab->server), "SELECT COUNT(*) FROM customers"), ==, 5);

  /* The bench, which never heard the answers, sends it an eleventh time. */
  client = cb_sync_client_new (a, lab->url);
  g_assert_true (cb_sync_client_set_ca_file (client, lab->config->tls_certificate, &error));
  cb_sync_client_set_token (client, token);
  sync_ok (client);
  g_assert_cmpint (cb_sync_client_get_pending (client), ==, 0);
  g_assert_cmpint (test_count (cb_server_get_store (lab->server), "SELECT COUNT(*) FROM customers"), ==, 5);
  assert_chain (cb_server_get_store (lab->server));
  g_clear_object (&client);
  cb_store_close (a);
}

/* Two benches work offline, then sync: everything everywhere once; the
 * same master data edited on both is kept as a conflict for an admin. */
static void
test_two_benches_offline (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncClient) client_a = NULL;
  g_autoptr(CbSyncClient) client_b = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  CbSyncConflict *conflict;
  CbStore *a, *b, *server;
  guint status = 0;

  test_lab_start (lab);
  server = cb_server_get_store (lab->server);
  a = test_lab_open_bench (lab, "bench-a");
  b = test_lab_open_bench (lab, "bench-b");
  cb_store_set_actor (a, "admin", "bench-a");
  cb_store_set_actor (b, "admin", "bench-b");
  client_a = test_client_new (lab, a, "admin");
  client_b = test_client_new (lab, b, "admin");
  sync_ok (client_a);
  sync_ok (client_b);

  /* Offline. */
  add_customers (a, "a", 3);
  add_customers (b, "b", 2);
  g_assert_true (cb_store_update (a, "staff", cb_store_staff_find (a, "zhang.wei", NULL), "name", "张 伟",
                                  "按身份证更正", &error));
  g_assert_true (cb_store_update (b, "staff", cb_store_staff_find (b, "zhang.wei", NULL), "name", "张玮",
                                  "按资质证书更正", &error));
  g_assert_no_error (error);

  sync_ok (client_a);
  sync_ok (client_b);
  g_assert_cmpint (cb_sync_client_get_state (client_a), ==, CB_SYNC_STATE_SYNCED);
  g_assert_cmpint (cb_sync_client_get_state (client_b), ==, CB_SYNC_STATE_CONFLICT);
  sync_ok (client_a);

  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM customers"), ==, 5);
  g_assert_cmpint (test_count (a, "SELECT COUNT(*) FROM customers"), ==, 5);
  g_assert_cmpint (test_count (b, "SELECT COUNT(*) FROM customers"), ==, 5);
  g_assert_cmpint (test_count (server, "SELECT COUNT(DISTINCT name) FROM customers"), ==, 5);

  /* Both versions kept; nobody's edit silently lost. */
  conflicts = cb_store_sync_conflict_list (server, FALSE, &error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->server_value, ==, "张 伟");
  g_assert_cmpstr (conflict->bench_value, ==, "张玮");
  g_assert_cmpstr (conflict->workstation, ==, "bench-b");

  /* An admin resolves it with a reason; the benches follow. */
  admin = test_login (lab, "admin", "office");
  path = g_strdup_printf ("/api/v1/conflicts/%" G_GINT64_FORMAT "/resolve", conflict->id);
  answer = test_request (lab, "POST", path, admin, "{\"resolution\":\"bench\",\"reason\":\"\"}", &status);
  g_assert_cmpuint (status, ==, 409);
  g_clear_pointer (&answer, g_free);
  answer = test_request (lab, "POST", path, admin, "{\"resolution\":\"bench\",\"reason\":\"以资质证书为准\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  name = cb_store_get_field (server, "staff", cb_store_staff_find (server, "zhang.wei", NULL), "name", NULL);
  g_assert_cmpstr (name, ==, "张玮");
  g_clear_pointer (&name, g_free);
  sync_ok (client_a);
  name = cb_store_get_field (a, "staff", cb_store_staff_find (a, "zhang.wei", NULL), "name", NULL);
  g_assert_cmpstr (name, ==, "张玮");

  assert_chain (a);
  assert_chain (b);
  assert_chain (server);
  g_clear_object (&client_a);
  g_clear_object (&client_b);
  cb_store_close (a);
  cb_store_close (b);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, &error));
  g_assert_true (g_file_set_contents (to, contents, length, &error));
  g_assert_no_error (error);
}

/* An old copy of a bench's database, restored: its chain goes backwards. */
static void
test_restored_database (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncClient) client = NULL;
  g_autofree char *path = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *token = NULL;
  g_autofree char *wal = NULL, *shm = NULL;
  CbStore *a;

  test_lab_start (lab);
  a = test_lab_open_bench (lab, "bench-a");
  path = g_strdup (cb_store_get_path (a));
  backup = g_strconcat (path, ".backup", NULL);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  add_customers (a, "before", 3);
  client = test_client_new (lab, a, "zhang.wei");
  token = g_strdup (cb_sync_client_get_token (client));
  sync_ok (client);
  g_clear_object (&client);
  cb_store_close (a);
  copy_file (path, backup);

  a = cb_store_open (path, &error);
  cb_store_set_actor (a, "zhang.wei", "bench-a");
  add_customers (a, "after", 2);
  client = cb_sync_client_new (a, lab->url);
  cb_sync_client_set_ca_file (client, lab->config->tls_certificate, NULL);
  cb_sync_client_set_token (client, token);
  sync_ok (client);
  g_clear_object (&client);
  cb_store_close (a);

  /* The old copy back, as after a disk failure. */
  g_unlink (wal);
  g_unlink (shm);
  copy_file (backup, path);
  a = cb_store_open (path, &error);
  g_assert_no_error (error);
  cb_store_set_actor (a, "zhang.wei", "bench-a");
  client = cb_sync_client_new (a, lab->url);
  cb_sync_client_set_ca_file (client, lab->config->tls_certificate, NULL);
  cb_sync_client_set_token (client, token);
  g_assert_false (test_sync (client, NULL, &error));
  g_assert_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_DIVERGED);
  g_assert_cmpint (cb_sync_client_get_state (client), ==, CB_SYNC_STATE_CONFLICT);
  g_clear_error (&error);

  /* And with new work on it, its changes are not the ones received. */
  add_customers (a, "diverged", 4);
  g_assert_false (test_sync (client, NULL, &error));
  g_assert_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_DIVERGED);
  g_assert_cmpint (test_count (cb_server_get_store (lab->server), "SELECT COUNT(*) FROM customers"), ==, 5);
  g_clear_object (&client);
  cb_store_close (a);
}

/* A change that does not hash to the chain, a batch after a gap, and
 * another bench's batch are refused. */
static void
test_refusals (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncBatch) batch = NULL;
  g_autoptr(CbSyncClient) client = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  CbSyncChange *change;
  CbStore *a;
  guint status = 0;

  test_lab_start (lab);
  a = test_lab_open_bench (lab, "bench-a");
  add_customers (a, "x", 3);
  token = test_login (lab, "zhang.wei", "bench-a");
  batch = cb_sync_outbox_take (a, 100, &error);

  change = g_ptr_array_index (batch->changes, 1);
  g_free (change->entry->new_value);
  change->entry->new_value = g_strdup ("改过的");
  body = cb_sync_batch_encode (batch);
  answer = test_request (lab, "POST", "/api/v1/sync/push", token, body, &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_nonnull (strstr (answer, "tampered"));
  g_clear_pointer (&answer, g_free);
  g_clear_pointer (&body, g_free);

  g_clear_pointer (&batch, cb_sync_batch_free);
  batch = cb_sync_outbox_take (a, 100, &error);
  g_ptr_array_remove_range (batch->changes, 0, 2);
  body = cb_sync_batch_encode (batch);
  answer = test_request (lab, "POST", "/api/v1/sync/push", token, body, &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_nonnull (strstr (answer, "gap"));
  g_clear_pointer (&answer, g_free);
  g_clear_pointer (&body, g_free);

  g_free (batch->workstation);
  batch->workstation = g_strdup ("bench-b");
  body = cb_sync_batch_encode (batch);
  answer = test_request (lab, "POST", "/api/v1/sync/push", token, body, &status);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&answer, g_free);
  g_assert_cmpint (test_count (cb_server_get_store (lab->server), "SELECT COUNT(*) FROM customers"), ==, 0);

  /* A metrologist's edit of master data is refused, and the bench says so. */
  client = test_client_new (lab, a, "zhang.wei");
  sync_ok (client);
  g_assert_true (cb_store_update (a, "staff", cb_store_staff_find (a, "wang.fang", NULL), "name", "王 芳", "改名",
                                  &error));
  sync_ok (client);
  g_assert_cmpint (cb_sync_client_get_state (client), ==, CB_SYNC_STATE_CONFLICT);
  g_assert_cmpint (test_count (a, "SELECT COUNT(*) FROM sync_outcomes WHERE status = 'refused'"
                                  " AND detail LIKE '%admin%'"), ==, 1);
  g_assert_cmpint (test_count (cb_server_get_store (lab->server),
                               "SELECT COUNT(*) FROM staff WHERE name = '王芳'"), ==, 1);
  g_clear_object (&client);
  cb_store_close (a);
}

static gboolean
kill_server (gpointer user_data)
{
  TestLab *lab = user_data;

  if (lab->process != NULL)
    test_lab_kill (lab);
  return G_SOURCE_REMOVE;
}

static void
on_pending (GObject    *object,
            GParamSpec *pspec,
            gpointer    user_data)
{
  static gboolean scheduled = FALSE;

  /* After the first acknowledged batch the next one is on its way: the
   * server dies once the main loop has nothing more urgent, while it is
   * being written or read. */
  if (!scheduled)
    g_idle_add (kill_server, user_data);
  scheduled = TRUE;
}

/* The real server, killed with SIGKILL while a bench pushes, restarted: the
 * retry loses nothing and duplicates nothing. */
static void
test_kill_during_push (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncClient) client = NULL;
  g_autofree char *token = NULL;
  CbStore *a, *server;
  gint64 head;

  test_lab_spawn (lab);
  a = test_lab_open_bench (lab, "bench-a");
  add_customers (a, "k", 600);
  client = test_client_new (lab, a, "zhang.wei");
  token = g_strdup (cb_sync_client_get_token (client));
  cb_sync_client_set_batch_size (client, 100);
  g_signal_connect (client, "notify::pending", G_CALLBACK (on_pending), lab);
  g_assert_false (test_sync (client, NULL, &error));
  g_assert_cmpint (cb_sync_client_get_state (client), ==, CB_SYNC_STATE_OFFLINE);
  g_assert_cmpint (cb_sync_client_get_pending (client), >, 0);
  g_clear_error (&error);
  g_clear_object (&client);

  /* Restarted on another free port; the token is still good. */
  test_lab_spawn (lab);
  client = cb_sync_client_new (a, lab->url);
  g_assert_true (cb_sync_client_set_ca_file (client, lab->config->tls_certificate, &error));
  cb_sync_client_set_token (client, token);
  cb_sync_client_set_batch_size (client, 100);
  sync_ok (client);
  g_assert_cmpint (cb_sync_client_get_pending (client), ==, 0);
  test_lab_kill (lab);

  /* Every change of the bench once; what it pulled since goes next time. */
  head = test_count (a, "SELECT acked_seq FROM sync_state");
  g_assert_cmpint (head, ==, test_count (a, "SELECT COUNT(*) FROM audit WHERE workstation = 'bench-a'"));
  server = cb_store_open (lab->config->database, &error);
  g_assert_no_error (error);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM customers WHERE name LIKE 'k-%'"), ==, 600);
  g_assert_cmpint (test_count (server, "SELECT COUNT(DISTINCT name) FROM customers WHERE name LIKE 'k-%'"), ==, 600);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM sync_changes WHERE workstation = 'bench-a'"), ==, head);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM sync_changes WHERE workstation = 'bench-a'"
                                       " AND status = 'applied'"), ==, 1200);
  assert_chain (server);
  cb_store_close (server);
  g_clear_object (&client);
  cb_store_close (a);
}

/* A record is leased to the bench that made it: another bench's edit is a
 * conflict until an admin moves the lease. */
static void
test_lease (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncClient) client_a = NULL;
  g_autoptr(CbSyncClient) client_b = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *data = NULL;
  CbStore *a, *b, *server;
  gint64 record_a, record_b, record_server, ids[6];
  guint status = 0;

  test_lab_start (lab);
  server = cb_server_get_store (lab->server);
  a = test_lab_open_bench (lab, "bench-a");
  b = test_lab_open_bench (lab, "bench-b");
  cb_store_set_actor (a, "admin", "bench-a");
  cb_store_set_actor (b, "admin", "bench-b");
  client_a = test_client_new (lab, a, "admin");
  client_b = test_client_new (lab, b, "admin");
  sync_ok (client_a);

  /* Bench A makes a record, with everything it hangs from. */
  {
    g_autofree char *author = g_strdup_printf ("%" G_GINT64_FORMAT, cb_store_staff_find (a, "zhang.wei", NULL));
    char *t[6] = { NULL };

    ids[0] = cb_store_insert (a, "customers", (const char *[]) { "name" }, (const char *[]) { "租用测试" }, 1, NULL, &error);
    t[0] = g_strdup_printf ("%" G_GINT64_FORMAT, ids[0]);
    ids[1] = cb_store_insert (a, "orders", (const char *[]) { "number", "customer_id", "received" },
                              (const char *[]) { "WT-LEASE-1", t[0], "2026-11-23" }, 3, NULL, &error);
    t[1] = g_strdup_printf ("%" G_GINT64_FORMAT, ids[1]);
    ids[2] = cb_store_insert (a, "samples", (const char *[]) { "label", "order_id", "name" },
                              (const char *[]) { "S-LEASE-1", t[1], "压力表" }, 3, NULL, &error);
    t[2] = g_strdup_printf ("%" G_GINT64_FORMAT, ids[2]);
    ids[3] = cb_store_insert (a, "tasks", (const char *[]) { "sample_id", "item" },
                              (const char *[]) { t[2], "pressure" }, 2, NULL, &error);
    t[3] = g_strdup_printf ("%" G_GINT64_FORMAT, ids[3]);
    ids[4] = cb_store_insert (a, "templates", (const char *[]) { "name", "item" },
                              (const char *[]) { "压力表", "pressure" }, 2, NULL, &error);
    t[4] = g_strdup_printf ("%" G_GINT64_FORMAT, ids[4]);
    ids[5] = cb_store_insert (a, "template_versions", (const char *[]) { "template_id", "version", "document", "author_id" },
                              (const char *[]) { t[4], "1", "{}", author }, 4, NULL, &error);
    t[5] = g_strdup_printf ("%" G_GINT64_FORMAT, ids[5]);
    record_a = cb_store_insert (a, "records", (const char *[]) { "template_version_id", "task_id" },
                                (const char *[]) { t[5], t[3] }, 2, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 6; i++)
      g_free (t[i]);
  }
  sync_ok (client_a);
  g_assert_cmpint (cb_sync_client_get_state (client_a), ==, CB_SYNC_STATE_SYNCED);
  record_server = cb_store_sync_row_lookup (server, "bench-a", "records", record_a, &error);
  g_assert_cmpint (record_server, >, 0);

  /* Bench B has it too, but may not change it. */
  sync_ok (client_b);
  record_b = cb_store_sync_row_lookup (b, CB_SYNC_PEER_SERVER, "records", record_server, &error);
  g_assert_cmpint (record_b, >, 0);
  g_assert_true (cb_store_update (b, "records", record_b, "data", "{\"b\":1}", "B 的读数", &error));
  sync_ok (client_b);
  g_assert_cmpint (cb_sync_client_get_state (client_b), ==, CB_SYNC_STATE_CONFLICT);
  data = cb_store_get_field (server, "records", record_server, "data", NULL);
  g_assert_cmpstr (data, ==, "{}");
  g_clear_pointer (&data, g_free);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM sync_conflicts WHERE detail LIKE '%bench-a%'"), ==, 1);

  /* Moved to bench B, its next edit goes through. */
  admin = test_login (lab, "admin", "office");
  body = g_strdup_printf ("{\"record\":%" G_GINT64_FORMAT ",\"workstation\":\"bench-b\"}", record_server);
  answer = test_request (lab, "POST", "/api/v1/leases", admin, body, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, g_free);
  /* B's first edit, kept as a conflict, is taken with a reason. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conflicts/%" G_GINT64_FORMAT "/resolve",
                                             test_count (server, "SELECT MAX(id) FROM sync_conflicts"));

    answer = test_request (lab, "POST", path, admin, "{\"resolution\":\"bench\",\"reason\":\"改由 B 台测量\"}",
                           &status);
    g_assert_cmpuint (status, ==, 200);
  }
  g_assert_true (cb_store_update (b, "records", record_b, "data", "{\"b\":2}", "B 接手", &error));
  sync_ok (client_b);
  data = cb_store_get_field (server, "records", record_server, "data", NULL);
  g_assert_cmpstr (data, ==, "{\"b\":2}");

  assert_chain (server);
  g_clear_object (&client_a);
  g_clear_object (&client_b);
  cb_store_close (a);
  cb_store_close (b);
}

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  CbSyncState *state = user_data;

  *state = cb_sync_client_get_state (CB_SYNC_CLIENT (object));
}

/* In the background: synced with a server, offline without one; the state
 * is a property to watch. */
static void
test_background (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(CbSyncClient) client = NULL;
  g_autoptr(CbSyncClient) lost = NULL;
  CbSyncState state, lost_state;
  CbStore *a;

  test_lab_start (lab);
  a = test_lab_open_bench (lab, "bench-a");
  add_customers (a, "bg", 4);
  client = test_client_new (lab, a, "zhang.wei");
  state = cb_sync_client_get_state (client);
  g_assert_cmpint (state, ==, CB_SYNC_STATE_PENDING);
  g_signal_connect (client, "notify::state", G_CALLBACK (on_state), &state);
  cb_sync_client_start (client, 1, 4);
  while (state != CB_SYNC_STATE_SYNCED)
    g_main_context_iteration (NULL, TRUE);
  cb_sync_client_stop (client);
  g_assert_cmpint (test_count (cb_server_get_store (lab->server), "SELECT COUNT(*) FROM customers"), ==, 4);

  add_customers (a, "bg-offline", 1);
  lost = cb_sync_client_new (a, "https://127.0.0.1:1");
  cb_sync_client_set_token (lost, "0123456789abcdef0123456789abcdef");
  lost_state = cb_sync_client_get_state (lost);
  g_assert_cmpint (lost_state, ==, CB_SYNC_STATE_PENDING);
  g_signal_connect (lost, "notify::state", G_CALLBACK (on_state), &lost_state);
  cb_sync_client_start (lost, 1, 4);
  while (lost_state != CB_SYNC_STATE_OFFLINE)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (cb_sync_client_get_pending (lost), ==, 2);
  cb_sync_client_stop (lost);
  g_clear_object (&client);
  g_clear_object (&lost);
  cb_store_close (a);
}

static void
on_credentials_taken (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gssize
take_credentials (CbSyncClient  *client,
                  GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cb_sync_client_take_credentials_async (client, NULL, on_credentials_taken, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cb_sync_client_take_credentials_finish (client, result, error);
}

/* A new bench, empty, pulls the lab and takes the people's credentials
 * with an admin's token: then they log in there offline; a metrologist's
 * token does not get them. */
static void
test_enrol (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncClient) metrologist = NULL;
  g_autoptr(CbSyncClient) admin = NULL;
  CbStore *bench;

  test_lab_start (lab);
  bench = test_lab_open_bench (lab, "bench-new");
  g_assert_cmpint (cb_store_login (bench, "zhang.wei", "pw-zhang.wei", NULL), ==, 0);

  metrologist = test_client_new (lab, bench, "zhang.wei");
  sync_ok (metrologist);
  g_assert_cmpint (take_credentials (metrologist, &error), <, 0);
  g_assert_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_FORBIDDEN);
  g_clear_error (&error);

  admin = test_client_new (lab, bench, "admin");
  g_assert_cmpint (take_credentials (admin, &error), ==, 5);
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_login (bench, "zhang.wei", "pw-zhang.wei", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_login (bench, "li.na", "not her password", &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Work done on the new bench reaches the server. */
  add_customers (bench, "enrolled", 1);
  sync_ok (admin);
  g_assert_cmpint (cb_sync_client_get_state (admin), ==, CB_SYNC_STATE_SYNCED);
  g_assert_cmpint (test_count (cb_server_get_store (lab->server),
                               "SELECT count(*) FROM customers WHERE name = 'enrolled-0'"), ==, 1);
  assert_chain (bench);
  cb_store_close (bench);
}

/* A page of the server's chain never ends inside a row's insert: the
 * bench would get a row without its other fields. */
static void
test_page_keeps_rows_whole (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("calbench-page-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "lab.db", NULL);
  CbStore *store = cb_store_open (path, &error);
  const char *fields[] = { "name", "address", "phone", "credit_code" };
  const char *values[] = { "廊坊某仪表厂", "廊坊市广阳区", "0316-1234567", "91131000MA00000000" };
  g_autoptr(CbSyncPage) page = NULL;
  g_autoptr(CbSyncPage) rest = NULL;
  gint64 first;

  g_assert_no_error (error);
  cb_store_set_actor (store, "admin", "server");
  first = cb_store_audit_last_seq (store, &error) + 1;
  g_assert_cmpint (cb_store_insert (store, "customers", fields, values, 4, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_insert (store, "customers", fields, values, 4, NULL, &error), >, 0);
  g_assert_no_error (error);

  /* Two changes asked for: the first row's four come. */
  page = cb_sync_serve_page (store, first - 1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, 4);
  g_assert_cmpint (page->next, ==, first + 3);
  g_assert_true (page->more);
  rest = cb_sync_serve_page (store, page->next, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rest->changes->len, ==, 4);
  g_assert_false (rest->more);

  cb_store_close (store);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);

      g_remove (file);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
on_worker_synced (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* A workstation's sync reads and writes on a connection of its own, on a
 * worker thread, while the bench goes on writing on its connection: both
 * chains stay whole, every row arrives once, and a stopped sync touches
 * the store no more. */
static void
test_worker_thread (void)
{
  g_autoptr(TestLab) lab = test_lab_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSyncClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  CbSyncReport report = { 0 };
  CbStore *a, *server;
  guint n_during = 0;

  test_lab_start (lab);
  server = cb_server_get_store (lab->server);
  a = test_lab_open_bench (lab, "bench-a");
  add_customers (a, "before", 300);
  client = test_client_new (lab, a, "zhang.wei");
  g_assert_true (cb_sync_client_use_worker_thread (client, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_sync_client_get_pending (client), ==, 600);

  /* Small batches: many round trips, and the bench types between them. */
  cb_sync_client_set_batch_size (client, 50);
  cb_sync_client_sync_async (client, NULL, on_worker_synced, &result);
  /* One sync at a time. */
  {
    g_autoptr(GAsyncResult) second = NULL;

    cb_sync_client_sync_async (client, NULL, on_worker_synced, &second);
    while (second == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (cb_sync_client_sync_finish (client, second, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
    g_clear_error (&error);
  }
  /* The bench writes all the while: the sync still ends, with what was
   * there when it began. */
  while (result == NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("during-%u", n_during++);

      add_customers (a, prefix, 1);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (cb_sync_client_sync_finish (client, result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.pushed, >=, 600);
  g_assert_cmpuint (n_during, >, 0);
  assert_chain (a);

  /* What was typed during the sync goes with the next. */
  sync_ok (client);
  g_assert_cmpint (cb_sync_client_get_state (client), ==, CB_SYNC_STATE_SYNCED);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM customers"), ==, 300 + n_during);
  g_assert_cmpint (test_count (server, "SELECT COUNT(*) FROM customers WHERE name LIKE 'during-%'"), ==, n_during);
  assert_chain (server);
  assert_chain (a);

  /* Stopped in the middle: the client lets go; the store stays whole. */
  g_clear_object (&result);
  add_customers (a, "stopped", 200);
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    cb_sync_client_sync_async (client, cancellable, on_worker_synced, &result);
    g_cancellable_cancel (cancellable);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (cb_sync_client_sync_finish (client, result, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  g_clear_object (&client);
  assert_chain (a);
  cb_store_close (a);
}

int
main (int    argc,
      char **argv)
{
  cb_server_init_tls ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/push-pull", test_push_pull);
  g_test_add_func ("/sync/replay", test_replay);
  g_test_add_func ("/sync/two-benches-offline", test_two_benches_offline);
  g_test_add_func ("/sync/restored-database", test_restored_database);
  g_test_add_func ("/sync/refusals", test_refusals);
  g_test_add_func ("/sync/kill-during-push", test_kill_during_push);
  g_test_add_func ("/sync/background", test_background);
  g_test_add_func ("/sync/lease", test_lease);
  g_test_add_func ("/sync/page-keeps-rows-whole", test_page_keeps_rows_whole);
  g_test_add_func ("/sync/enrol", test_enrol);
  g_test_add_func ("/sync/worker-thread", test_worker_thread);

  return g_test_run ();
}
