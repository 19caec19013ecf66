/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <sqlite3.h>

#include "store/cb-store.h"
#include "store-test-util.h"
#include "store/cb-store-audit.h"
#include "store/cb-store-customers.h"
#include "store/cb-store-find.h"
#include "store/cb-store-orders.h"
#include "store/cb-store-private.h"
#include "store/cb-store-samples.h"
#include "store/cb-store-staff.h"
#include "store/cb-store-tasks.h"

/* The reception and bench work: orders with quotations, contracts and
 * fees; samples with labels, history, anomalies and photos; tasks, delays
 * and the "my tasks" counts. */

typedef struct
{
  char    *dir;
  CbStore *store;
  gint64   customer, order;
  gint64   reception, performer, checker, approver;
} Fixture;

static gint64
add_person (CbStore    *store,
            const char *login,
            const char *name,
            const char *role,
            const char *kind)
{
  g_autoptr(GError) error = NULL;
  gint64 staff = cb_store_staff_add (store, login, name, NULL, &error);

  g_assert_no_error (error);
  cb_store_staff_add_role (store, staff, role, &error);
  if (kind != NULL)
    cb_store_authorisation_add (store, staff, "一般压力表", kind, "2020-01-01", "2099-12-31", &error);
  g_assert_no_error (error);
  return staff;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = store_test_make_dir ();
  path = g_build_filename (fixture->dir, "lab.db", NULL);
  fixture->store = cb_store_open (path, &error);
  g_assert_no_error (error);
  cb_store_set_actor (fixture->store, "liu.min", "reception-1");

  fixture->reception = add_person (fixture->store, "liu.min", "刘敏", "reception", NULL);
  fixture->performer = add_person (fixture->store, "zhang.wei", "张伟", "metrologist", "perform");
  fixture->checker = add_person (fixture->store, "sun.li", "孙丽", "checker", "check");
  fixture->approver = add_person (fixture->store, "wu.hong", "吴红", "approver", "approve");
  fixture->customer = cb_store_customer_add (fixture->store, "唐山钢铁集团有限责任公司", NULL, NULL, NULL, &error);
  fixture->order = cb_store_order_add (fixture->store, NULL, fixture->customer, "2026-11-20", "2026-11-30",
                                       "检定后出具检定证书", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_store_audit_verify (fixture->store, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_audit_verify_rows (fixture->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&fixture->store, cb_store_close);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static void
assert_error (GError     *error,
              int         code,
              const char *expected)
{
  g_assert_nonnull (error);
  g_assert_error (error, CB_STORE_ERROR, code);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);
}

static void
test_orders (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbOrder) order = cb_store_order_get (fixture->store, fixture->order, &error);
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *next = NULL;
  gint64 second;

  g_assert_no_error (error);
  g_assert_cmpstr (order->number, ==, "WT20261120-0001");
  g_assert_cmpstr (order->state, ==, "received");
  next = cb_store_order_next_number (fixture->store, "2026-11-20", &error);
  g_assert_cmpstr (next, ==, "WT20261120-0002");
  second = cb_store_order_add (fixture->store, NULL, fixture->customer, "2026-11-20", NULL, NULL, "简单接受", &error);
  g_assert_no_error (error);
  orders = cb_store_order_list (fixture->store, fixture->customer, &error);
  g_assert_cmpuint (orders->len, ==, 2);
  g_assert_cmpint (((CbOrder *) orders->pdata[0])->id, ==, second);

  g_assert_true (cb_store_order_set_state (fixture->store, fixture->order, "in-progress", "开始检定", &error));
  g_assert_no_error (error);
  g_assert_false (cb_store_order_set_state (fixture->store, fixture->order, "lost", "?", &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "order state: expected one of");
  g_clear_error (&error);

  g_assert_cmpint (cb_store_order_line_add (fixture->store, fixture->order, 0, "一般压力表", 3, "接头 3 个", 9000, &error), >, 0);
  g_assert_cmpint (cb_store_order_line_add (fixture->store, fixture->order, 0, "精密压力表", 1, NULL, -1, &error), >, 0);
  g_assert_no_error (error);
  lines = cb_store_order_line_list (fixture->store, fixture->order, &error);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpint (((CbOrderLine *) lines->pdata[0])->quantity, ==, 3);
  g_assert_cmpint (((CbOrderLine *) lines->pdata[1])->fee_cents, ==, -1);

  g_assert_cmpint (cb_store_order_line_add (fixture->store, fixture->order, 0, "一般压力表", 0, NULL, -1, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "order line quantity: expected 1 or more");
  g_clear_error (&error);
  g_assert_cmpint (cb_store_order_add (fixture->store, NULL, fixture->customer, "2026-11-20", "2026-11-01", NULL, NULL,
                                       &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "order due");
}

static void
test_quotations_contracts_fees (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) quotations = NULL;
  g_autoptr(GPtrArray) contracts = NULL;
  g_autoptr(GPtrArray) fees = NULL;
  gint64 quotation, rejected, contract, fee;

  quotation = cb_store_quotation_add (fixture->store, fixture->order, 12000, &error);
  g_assert_no_error (error);
  /* Approval comes after review, and from someone else. */
  g_assert_false (cb_store_quotation_approve (fixture->store, quotation, fixture->approver, &error));
  assert_error (error, CB_STORE_ERROR_RULE, "only a reviewed quotation");
  g_clear_error (&error);
  g_assert_true (cb_store_quotation_review (fixture->store, quotation, fixture->reception, &error));
  g_assert_false (cb_store_quotation_approve (fixture->store, quotation, fixture->reception, &error));
  assert_error (error, CB_STORE_ERROR_RULE, "someone other than its reviewer");
  g_clear_error (&error);
  g_assert_true (cb_store_quotation_approve (fixture->store, quotation, fixture->approver, &error));
  g_assert_no_error (error);

  rejected = cb_store_quotation_add (fixture->store, fixture->order, 99000, &error);
  g_assert_false (cb_store_quotation_reject (fixture->store, rejected, fixture->approver, "", &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "quotation rejection reason");
  g_clear_error (&error);
  g_assert_true (cb_store_quotation_reject (fixture->store, rejected, fixture->approver, "报价高于价目表", &error));
  g_assert_false (cb_store_quotation_reject (fixture->store, quotation, fixture->approver, "太贵", &error));
  assert_error (error, CB_STORE_ERROR_RULE, "only a draft or reviewed quotation");
  g_clear_error (&error);

  quotations = cb_store_quotation_list (fixture->store, fixture->order, &error);
  g_assert_cmpuint (quotations->len, ==, 2);
  g_assert_cmpstr (((CbQuotation *) quotations->pdata[0])->state, ==, "approved");
  g_assert_cmpint (((CbQuotation *) quotations->pdata[0])->reviewed_by, ==, fixture->reception);
  g_assert_cmpint (((CbQuotation *) quotations->pdata[0])->approved_by, ==, fixture->approver);
  g_assert_cmpstr (((CbQuotation *) quotations->pdata[1])->state, ==, "rejected");

  contract = cb_store_contract_add (fixture->store, fixture->customer, "HT-2026-018", "2026-01-05", 5000000, &error);
  g_assert_no_error (error);
  contracts = cb_store_contract_list (fixture->store, fixture->customer, &error);
  g_assert_cmpuint (contracts->len, ==, 1);
  g_assert_cmpstr (((CbContract *) contracts->pdata[0])->signed_on, ==, "2026-01-05");

  fee = cb_store_fee_add (fixture->store, fixture->order, contract, 12000, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_fee_set_paid (fixture->store, fee, "银行转账 2026-12-01", &error));
  fees = cb_store_fee_list (fixture->store, 0, contract, &error);
  g_assert_cmpuint (fees->len, ==, 1);
  g_assert_true (((CbFee *) fees->pdata[0])->paid);

  g_assert_cmpint (cb_store_fee_add (fixture->store, 0, 0, 100, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "fee: expected an order, a contract or both");
  g_clear_error (&error);
  g_assert_cmpint (cb_store_contract_add (fixture->store, fixture->customer, "", NULL, -1, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "contract number");
}

static gint64
add_sample (Fixture    *fixture,
            const char *serial,
            char      **label)
{
  g_autoptr(GError) error = NULL;
  CbSample sample = { 0 };
  gint64 id;

  sample.order_id = fixture->order;
  sample.name = (char *) "一般压力表";
  sample.model = (char *) "Y-100";
  sample.serial = (char *) serial;
  sample.received_by = fixture->reception;
  sample.received_at = (char *) "2026-11-20T09:30:00+08:00";
  sample.due = (char *) "2026-11-30";
  sample.location = (char *) "收样室";
  id = cb_store_sample_add (fixture->store, &sample, label, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_samples (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first_label = NULL;
  g_autofree char *second_label = NULL;
  g_autoptr(CbSample) sample = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) anomalies = NULL;
  gint64 first = add_sample (fixture, "P-20419", &first_label);
  gint64 second = add_sample (fixture, "P-20420", &second_label);

  /* Unique labels from the receipt date (Beijing time, 01:30 UTC). */
  g_assert_cmpstr (first_label, ==, "YP20261120-0001");
  g_assert_cmpstr (second_label, ==, "YP20261120-0002");
  g_assert_cmpint (cb_store_sample_find (fixture->store, second_label, NULL), ==, second);
  g_assert_cmpint (cb_store_find_sample (fixture->store, first_label, NULL), ==, first);

  sample = cb_store_sample_get (fixture->store, first, &error);
  g_assert_cmpstr (sample->received_at, ==, "2026-11-20T01:30:00Z");
  g_assert_cmpstr (sample->state, ==, "received");
  {
    g_autoptr(GPtrArray) samples = cb_store_sample_list (fixture->store, fixture->order, NULL);

    g_assert_cmpuint (samples->len, ==, 2);
  }

  g_assert_true (cb_store_sample_move (fixture->store, first, "waiting", "压力室 1 待检架", "2026-11-20T10:00:00+08:00",
                                       NULL, &error));
  g_assert_true (cb_store_sample_move (fixture->store, first, "in-measurement", NULL, "2026-11-21T08:40:00+08:00",
                                       "开始检定", &error));
  g_assert_no_error (error);
  g_clear_pointer (&sample, cb_sample_free);
  sample = cb_store_sample_get (fixture->store, first, &error);
  g_assert_cmpstr (sample->state, ==, "in-measurement");
  g_assert_cmpstr (sample->location, ==, "压力室 1 待检架");
  history = cb_store_sample_history (fixture->store, first, &error);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpstr (((CbSampleEvent *) history->pdata[0])->state, ==, "received");
  g_assert_cmpstr (((CbSampleEvent *) history->pdata[0])->location, ==, "收样室");
  g_assert_null (((CbSampleEvent *) history->pdata[2])->location);
  g_assert_cmpstr (((CbSampleEvent *) history->pdata[2])->actor, ==, "liu.min");

  g_assert_false (cb_store_sample_move (fixture->store, first, "lost", NULL, NULL, NULL, &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "sample state");
  g_clear_error (&error);
  g_assert_false (cb_store_sample_move (fixture->store, first, NULL, NULL, NULL, NULL, &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "sample move");
  g_clear_error (&error);

  g_assert_cmpint (cb_store_sample_anomaly_add (fixture->store, first, "表玻璃破裂，指针可动", NULL, &error), >, 0);
  g_assert_no_error (error);
  anomalies = cb_store_sample_anomaly_list (fixture->store, first, &error);
  g_assert_cmpuint (anomalies->len, ==, 1);
  g_assert_cmpint (cb_store_sample_anomaly_add (fixture->store, first, " ", NULL, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "anomaly description");
  g_clear_error (&error);

  {
    CbSample bad = { 0 };

    bad.order_id = 404;
    bad.name = (char *) "压力表";
    g_assert_cmpint (cb_store_sample_add (fixture->store, &bad, NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_NOT_FOUND, "sample order: expected an existing order");
    g_clear_error (&error);
    bad.order_id = fixture->order;
    bad.received_at = (char *) "yesterday";
    g_assert_cmpint (cb_store_sample_add (fixture->store, &bad, NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "sample received at: expected a time");
    g_clear_error (&error);
    /* A label given twice is refused by the schema, and nothing is written. */
    bad.received_at = NULL;
    bad.label = first_label;
    g_assert_cmpint (cb_store_sample_add (fixture->store, &bad, NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_CONSTRAINT, "samples");
  }
}

/* A 1×1 PNG. */
static GBytes *
small_png (guint8 shade)
{
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0,
    0x3a, 0x7e, 0x9b, 0x55, 0, 0, 0, 10, 'I', 'D', 'A', 'T', 0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0,
    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
  };
  guint8 *copy = g_memdup2 (png, sizeof png);

  copy[sizeof png - 20] = shade;  /* differs per photo; decoders need not agree */
  return g_bytes_new_take (copy, sizeof png);
}

static void
test_photos_never_replaced (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first_png = small_png (1);
  g_autoptr(GBytes) second_png = small_png (2);
  g_autoptr(GPtrArray) photos = NULL;
  g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, first_png);
  gint64 sample = add_sample (fixture, "P-20419", NULL);
  gint64 photo, second;

  photo = cb_store_sample_photo_add (fixture->store, sample, first_png, "2026-11-20T09:31:00+08:00", &error);
  g_assert_no_error (error);
  second = cb_store_sample_photo_add (fixture->store, sample, second_png, NULL, &error);
  g_assert_no_error (error);
  photos = cb_store_sample_photo_list (fixture->store, sample, &error);
  g_assert_cmpuint (photos->len, ==, 2);
  g_assert_cmpstr (((CbSamplePhoto *) photos->pdata[0])->sha256, ==, expected);
  g_assert_true (g_bytes_equal (((CbSamplePhoto *) photos->pdata[0])->content, first_png));
  g_assert_true (cb_store_sample_photo_verify (fixture->store, photo, &error));
  g_assert_no_error (error);

  /* The trail holds the digest of the bytes, not the bytes. */
  {
    g_autoptr(GPtrArray) history = cb_store_audit_history (fixture->store, "sample_photos", photo, "content", NULL);
    g_autofree char *digest = g_strconcat ("sha256:", expected, NULL);

    g_assert_cmpuint (history->len, ==, 1);
    g_assert_cmpstr (((CbAuditEntry *) history->pdata[0])->new_value, ==, digest);
  }

  /* Neither the bytes nor the digest are ever replaced, even through the store. */
  g_assert_false (cb_store_update (fixture->store, "sample_photos", photo, "content", "x", "更清晰的照片", &error));
  assert_error (error, CB_STORE_ERROR_CONSTRAINT, "never replaced");
  g_clear_error (&error);
  g_assert_false (cb_store_update (fixture->store, "sample_photos", second, "sha256", expected, "?", &error));
  assert_error (error, CB_STORE_ERROR_CONSTRAINT, "never replaced");
  g_clear_error (&error);
  g_assert_true (cb_store_sample_photo_verify (fixture->store, second, NULL));

  /* Bytes changed behind the store's back are found. */
  g_assert_true (cb_store_exec (fixture->store, "DROP TRIGGER sample_photos_never_replaced;"
                                "UPDATE sample_photos SET content = x'89504e470d0a1a0a00' WHERE id = 2", NULL));
  g_assert_false (cb_store_sample_photo_verify (fixture->store, second, &error));
  assert_error (error, CB_STORE_ERROR_TAMPERED, "SHA-256");
  g_clear_error (&error);
  g_assert_false (cb_store_audit_verify_rows (fixture->store, &error));
  assert_error (error, CB_STORE_ERROR_TAMPERED, "sample_photos row 2, field content");
  g_clear_error (&error);
  /* Put back, so that the fixture's final check holds. */
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (fixture->store->db, "UPDATE sample_photos SET content = ?1 WHERE id = 2", -1, &stmt, NULL);
    sqlite3_bind_blob (stmt, 1, g_bytes_get_data (second_png, NULL), g_bytes_get_size (second_png), SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
  }

  {
    g_autoptr(GBytes) text = g_bytes_new_static ("not an image", 12);

    g_assert_cmpint (cb_store_sample_photo_add (fixture->store, sample, text, NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "sample photo: expected a JPEG or PNG");
  }
}

static gint64
add_task (Fixture    *fixture,
          gint64      sample,
          const char *due,
          const char *state,
          gint64      assignee)
{
  g_autoptr(GError) error = NULL;
  gint64 task = cb_store_task_add (fixture->store, sample, "一般压力表", 0, due, &error);

  g_assert_no_error (error);
  if (assignee != 0)
    g_assert_true (cb_store_task_assign (fixture->store, task, assignee, "压力台 2", &error));
  if (state != NULL)
    g_assert_true (cb_store_task_set_state (fixture->store, task, state, "测试", &error));
  g_assert_no_error (error);
  return task;
}

static void
test_tasks_and_delays (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTask) task = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  gint64 sample = add_sample (fixture, "P-20419", NULL);
  gint64 id = add_task (fixture, sample, "2026-11-30", NULL, 0);
  gint64 request, refused;

  /* Only someone authorised to perform the item gets it. */
  g_assert_false (cb_store_task_assign (fixture->store, id, fixture->reception, NULL, &error));
  assert_error (error, CB_STORE_ERROR_PERMISSION, "刘敏");
  g_clear_error (&error);
  g_assert_true (cb_store_task_assign (fixture->store, id, fixture->performer, "压力台 2", &error));
  task = cb_store_task_get (fixture->store, id, &error);
  g_assert_cmpint (task->assignee_id, ==, fixture->performer);
  g_assert_cmpstr (task->bench, ==, "压力台 2");
  g_assert_cmpstr (task->state, ==, "to-measure");
  g_assert_cmpstr (task->sample_label, ==, "YP20261120-0001");
  mine = cb_store_task_list_for_staff (fixture->store, fixture->performer, "to-measure", &error);
  g_assert_cmpuint (mine->len, ==, 1);

  g_assert_cmpint (cb_store_delay_request_add (fixture->store, id, "标准器送检未归", "2026-11-25", &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "delay new due date: expected a date after the current due date");
  g_clear_error (&error);
  request = cb_store_delay_request_add (fixture->store, id, "标准器送检未归", "2026-12-10", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_delay_request_add (fixture->store, id, "再延", "2026-12-20", &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_RULE, "already has a delay request");
  g_clear_error (&error);

  /* The assignee does not decide their own delay. */
  g_assert_false (cb_store_delay_request_decide (fixture->store, request, fixture->performer, TRUE, &error));
  assert_error (error, CB_STORE_ERROR_RULE, "the assignee cannot decide");
  g_clear_error (&error);
  g_assert_true (cb_store_delay_request_decide (fixture->store, request, fixture->approver, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&task, cb_task_free);
  task = cb_store_task_get (fixture->store, id, &error);
  g_assert_cmpstr (task->due, ==, "2026-12-10");
  g_assert_false (cb_store_delay_request_decide (fixture->store, request, fixture->approver, FALSE, &error));
  assert_error (error, CB_STORE_ERROR_RULE, "already approved");
  g_clear_error (&error);

  refused = cb_store_delay_request_add (fixture->store, id, "人手不足", "2026-12-31", &error);
  g_assert_true (cb_store_delay_request_decide (fixture->store, refused, fixture->approver, FALSE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&task, cb_task_free);
  task = cb_store_task_get (fixture->store, id, &error);
  g_assert_cmpstr (task->due, ==, "2026-12-10");
  requests = cb_store_delay_request_list (fixture->store, id, NULL, &error);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (((CbDelayRequest *) requests->pdata[0])->state, ==, "approved");
  g_assert_cmpint (((CbDelayRequest *) requests->pdata[0])->decided_by, ==, fixture->approver);
  g_assert_cmpstr (((CbDelayRequest *) requests->pdata[1])->state, ==, "refused");

  g_assert_false (cb_store_task_set_state (fixture->store, id, "done", "完成", &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "task state: expected one of to-measure");
}

static void
test_my_tasks (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 sample = add_sample (fixture, "P-20419", NULL);
  CbMyTasks counts = { 0 };

  /* Today is Wednesday 2026-11-25; its week ends on Sunday 2026-11-29. */
  add_task (fixture, sample, "2026-11-20", NULL, fixture->performer);             /* overdue, to measure */
  add_task (fixture, sample, "2026-11-25", "measuring", fixture->performer);      /* due this week */
  add_task (fixture, sample, "2026-11-29", "returned", fixture->performer);       /* due this week */
  add_task (fixture, sample, "2026-11-30", "to-check", fixture->performer);       /* next week */
  add_task (fixture, sample, "2026-11-10", "approved", fixture->performer);       /* finished: never overdue */
  add_task (fixture, sample, "2026-12-05", "to-approve", fixture->performer);
  add_task (fixture, sample, "2026-12-05", "cancelled", fixture->performer);

  g_assert_true (cb_store_my_tasks (fixture->store, fixture->performer, "2026-11-25", &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.to_measure, ==, 2);
  g_assert_cmpuint (counts.returned, ==, 1);
  g_assert_cmpuint (counts.to_check, ==, 0);    /* their own task, and no check authorisation */
  g_assert_cmpuint (counts.to_approve, ==, 0);
  g_assert_cmpuint (counts.overdue, ==, 1);
  g_assert_cmpuint (counts.due_this_week, ==, 2);

  g_assert_true (cb_store_my_tasks (fixture->store, fixture->checker, "2026-11-25", &counts, &error));
  g_assert_cmpuint (counts.to_measure, ==, 0);
  g_assert_cmpuint (counts.to_check, ==, 1);
  g_assert_cmpuint (counts.to_approve, ==, 0);
  g_assert_cmpuint (counts.overdue, ==, 0);

  g_assert_true (cb_store_my_tasks (fixture->store, fixture->approver, "2026-11-25", &counts, &error));
  g_assert_cmpuint (counts.to_check, ==, 0);
  g_assert_cmpuint (counts.to_approve, ==, 1);

  /* On Sunday the week holds only Sunday. */
  g_assert_true (cb_store_my_tasks (fixture->store, fixture->performer, "2026-11-29", &counts, &error));
  g_assert_cmpuint (counts.overdue, ==, 2);
  g_assert_cmpuint (counts.due_this_week, ==, 1);

  g_assert_false (cb_store_my_tasks (fixture->store, fixture->performer, "25/11/2026", &counts, &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "my tasks date");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/orders/orders-and-lines", test_orders);
  ADD ("/store/orders/quotations-contracts-fees", test_quotations_contracts_fees);
  ADD ("/store/samples/labels-history-anomalies", test_samples);
  ADD ("/store/samples/photos-never-replaced", test_photos_never_replaced);
  ADD ("/store/tasks/assign-and-delay", test_tasks_and_delays);
  ADD ("/store/tasks/my-tasks", test_my_tasks);
#undef ADD

  return g_test_run ();
}
