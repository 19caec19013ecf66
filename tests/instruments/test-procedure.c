/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "instruments/cb-procedure.h"
#include "store/cb-store-environment.h"
#include "store/cb-store-readings.h"
#include "store/cb-store-records.h"
#include "../store/store-test-util.h"
#include "sim-fixture.h"

/* A JJF 1587 multimeter record's DC voltage block measured by a simulated
 * 34461A on a simulated 5520A's output, each on its own pty, the DMM's input
 * wired to the calibrator's output. */

#define N_POINTS 6
#define N_REPEATS 10
#define ROOM "电学室"

typedef struct
{
  SimPty       *calibrator_pty;
  SimPty       *dmm_pty;
  CbInstrument *calibrator;
  CbInstrument *dmm;
  CbTemplate   *tmpl;
  CbRecord     *record;
  CbProcedure  *procedure;
  GCancellable *cancellable;
  gboolean      done;
  GError       *error;
  guint         n_done;
  guint         last_point;
  guint         pause_at;      /* pause after this point is done */
  guint         cancel_at;     /* cancel after this point is done */
  guint         failed_point;
  guint         n_failed;
  GError       *failure;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (TEMPLATE_DIR, "jjf1587-2016-digital-multimeter.json", NULL);
  g_autoptr(GHashTable) instruments = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  int dmm_timeout = GPOINTER_TO_INT (data) > 0 ? GPOINTER_TO_INT (data) : 2000;

  fixture->calibrator_pty = sim_pty_start (CB_SIM_CALIBRATOR, 11);
  fixture->dmm_pty = sim_pty_start (CB_SIM_DMM, 12);
  cb_sim_connect (fixture->dmm_pty->sim, fixture->calibrator_pty->sim);
  fixture->calibrator = sim_pty_open (fixture->calibrator_pty, "calibrator", 2000);
  fixture->dmm = sim_pty_open (fixture->dmm_pty, "dmm", dmm_timeout);

  fixture->tmpl = cb_template_new_from_file (path, &error);
  g_assert_no_error (error);
  fixture->record = cb_record_new (fixture->tmpl);
  g_hash_table_insert (instruments, (gpointer) "calibrator", fixture->calibrator);
  g_hash_table_insert (instruments, (gpointer) "uut", fixture->dmm);
  fixture->procedure = cb_procedure_new (fixture->record, "dcv", instruments, &error);
  g_assert_no_error (error);
  fixture->cancellable = g_cancellable_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->procedure);
  g_clear_pointer (&fixture->dmm, cb_instrument_unref);
  g_clear_pointer (&fixture->calibrator, cb_instrument_unref);
  /* The DMM reads the calibrator's output: it stops first. */
  sim_pty_stop (fixture->dmm_pty);
  sim_pty_stop (fixture->calibrator_pty);
  cb_record_free (fixture->record);
  cb_template_unref (fixture->tmpl);
  g_clear_object (&fixture->cancellable);
  g_clear_error (&fixture->error);
  g_clear_error (&fixture->failure);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *fixture = user_data;

  cb_procedure_run_finish (CB_PROCEDURE (object), result, &fixture->error);
  fixture->done = TRUE;
}

static void
on_point_done (CbProcedure *procedure,
               const char  *block,
               guint        point,
               gpointer     user_data)
{
  Fixture *fixture = user_data;

  g_assert_cmpstr (block, ==, "dcv");
  fixture->n_done++;
  if (point == fixture->pause_at)
    cb_procedure_pause (procedure);
  if (point == fixture->cancel_at)
    g_cancellable_cancel (fixture->cancellable);
}

static CbProcedureAction
on_point_failed (CbProcedure  *procedure,
                 const char   *block,
                 guint         point,
                 const GError *error,
                 gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->n_failed++;
  fixture->failed_point = point;
  g_clear_error (&fixture->failure);
  fixture->failure = g_error_copy (error);
  return CB_PROCEDURE_ACTION_SKIP;
}

static void
on_notify_point (CbProcedure *procedure,
                 GParamSpec  *pspec,
                 gpointer     user_data)
{
  Fixture *fixture = user_data;
  const char *block = NULL;
  guint point = 0;

  /* Points only go forward. */
  g_assert_cmpuint (cb_procedure_get_point (procedure), >=, fixture->last_point);
  fixture->last_point = cb_procedure_get_point (procedure);
  /* One block here: the run's point is the block's. */
  if (fixture->last_point > 0)
    {
      g_assert_true (cb_procedure_get_step (procedure, &block, &point));
      g_assert_cmpstr (block, ==, "dcv");
      g_assert_cmpuint (point, ==, fixture->last_point);
    }
  else
    g_assert_false (cb_procedure_get_step (procedure, &block, &point));
}

static void
start (Fixture *fixture)
{
  g_signal_connect (fixture->procedure, "point-done", G_CALLBACK (on_point_done), fixture);
  g_signal_connect (fixture->procedure, "point-failed", G_CALLBACK (on_point_failed), fixture);
  g_signal_connect (fixture->procedure, "notify::point", G_CALLBACK (on_notify_point), fixture);
  cb_procedure_run_async (fixture->procedure, fixture->cancellable, on_run_done, fixture);
}

static void
run_to_end (Fixture *fixture)
{
  while (!fixture->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (cb_procedure_get_state (fixture->procedure), ==, CB_PROCEDURE_STATE_FINISHED);
}

static gboolean
point_filled (Fixture *fixture,
              guint    point)
{
  guint n = 0;

  for (guint r = 1; r <= N_REPEATS; r++)
    {
      g_autofree char *cell = g_strdup_printf ("dcv/%u/r/%u", point, r);
      CbCell out;

      g_assert_true (cb_record_get_cell (fixture->record, cell, &out, NULL));
      if (out.text != NULL)
        n++;
    }
  g_assert_true (n == 0 || n == N_REPEATS);
  return n == N_REPEATS;
}

/* Inserts a row from name, value pairs ending with NULL. */
static gint64
add (CbStore    *store,
     const char *table,
     ...)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *field;
  va_list args;
  gint64 row;

  va_start (args, table);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      g_ptr_array_add (fields, (gpointer) field);
      g_ptr_array_add (values, va_arg (args, char *));
    }
  va_end (args);

  row = cb_store_insert (store, table, (const char * const *) fields->pdata,
                         (const char * const *) values->pdata, fields->len, NULL, &error);
  g_assert_no_error (error);
  return row;
}

static char *
id (gint64 row)
{
  return g_strdup_printf ("%lld", (long long) row);
}

/* The least a stored record needs. */
static gint64
add_record (CbStore *store)
{
  g_autofree char *staff = id (add (store, "staff", "login", "zhang.wei", "name", "张伟", NULL));
  g_autofree char *approver = id (add (store, "staff", "login", "wang.qiang", "name", "王强", NULL));
  g_autofree char *customer = id (add (store, "customers", "name", "北京市计量检测科学研究院", NULL));
  g_autofree char *order = id (add (store, "orders", "number", "WT2026-00031", "customer_id", customer,
                                   "received", "2026-11-20", NULL));
  g_autofree char *sample = id (add (store, "samples", "label", "S2026-000311", "order_id", order,
                                     "name", "数字多用表", "serial", "MY53207382", NULL));
  g_autofree char *task = id (add (store, "tasks", "sample_id", sample, "item", "数字多用表", NULL));
  g_autofree char *tmpl = id (add (store, "templates", "name", "数字多用表校准记录", "item", "数字多用表", NULL));
  g_autofree char *version = id (add (store, "template_versions", "template_id", tmpl, "version", "1",
                                      "document", "{}", "state", "approved", "author_id", staff,
                                      "approved_by", approver, NULL));

  return add (store, "records", "task_id", task, "template_version_id", version, "performer_id", staff,
              "state", "draft", NULL);
}

static void
test_whole_block (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = store_test_make_dir ();
  g_autofree char *db = g_build_filename (dir, "lab.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = cb_store_open (db, &error);
  g_autoptr(GPtrArray) readings = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) before = g_date_time_add_minutes (now, -5);
  g_autofree char *measured_at = g_date_time_format_iso8601 (before);
  const CbProvenance *provenance;
  CbStoredReading *stored;
  gint64 record_id;
  CbCell cell;

  g_assert_no_error (error);
  record_id = add_record (store);
  cb_store_environment_add (store, ROOM, "RS-WS-N01", measured_at, "20.4", "48.5", NULL, &error);
  g_assert_no_error (error);
  cb_procedure_set_store (fixture->procedure, store, record_id);
  cb_procedure_set_environment (fixture->procedure, store, ROOM);

  /* A typed value stays. */
  g_assert_true (cb_record_set_value (fixture->record, "dcv/1/r/1", "0.1000001", NULL));

  g_assert_cmpuint (cb_procedure_get_n_points (fixture->procedure), ==, N_POINTS);
  start (fixture);
  run_to_end (fixture);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_done, ==, N_POINTS);
  g_assert_cmpuint (fixture->n_failed, ==, 0);
  g_assert_cmpuint (fixture->last_point, ==, N_POINTS);
  g_assert_false (cb_sim_get_output_on (fixture->calibrator_pty->sim));

  for (guint p = 1; p <= N_POINTS; p++)
    {
      g_autofree char *e = g_strdup_printf ("dcv/%u/e", p);
      g_autofree char *u = g_strdup_printf ("dcv/%u/U", p);
      CbDecisionResult result;

      g_assert_true (point_filled (fixture, p));
      g_assert_true (cb_record_get_cell (fixture->record, e, &cell, NULL));
      g_assert_cmpint (cell.state, ==, CB_CELL_OK);
      g_assert_true (cb_record_get_cell (fixture->record, u, &cell, NULL));
      g_assert_cmpint (cell.state, ==, CB_CELL_OK);
      g_assert_nonnull (cell.text);
      g_assert_true (cb_record_get_check (fixture->record, "dcv", p, "spec", &result));
      g_assert_cmpint (result.decision, ==, CB_DECISION_PASS);
    }
  /* The 10 V point read about 10 V, with the meter's digits. */
  g_assert_true (cb_record_get_cell (fixture->record, "dcv/3/r", &cell, NULL));
  g_assert_cmpfloat_with_epsilon (cell.value, 10.0, 1e-4);
  g_assert_true (cb_record_get_cell (fixture->record, "dcv/4/r/5", &cell, NULL));
  g_assert_true (g_str_has_prefix (cell.text, "-"));
  g_assert_true (g_str_has_suffix (cell.text, "E+00") || g_str_has_suffix (cell.text, "E+01"));

  g_assert_true (cb_record_get_cell (fixture->record, "dcv/1/r/1", &cell, NULL));
  g_assert_cmpstr (cell.text, ==, "0.1000001");
  g_assert_null (cb_procedure_get_provenance (fixture->procedure, "dcv/1/r/1"));
  provenance = cb_procedure_get_provenance (fixture->procedure, "dcv/3/r/7");
  g_assert_nonnull (provenance);
  g_assert_cmpstr (provenance->role, ==, "uut");
  g_assert_nonnull (strstr (provenance->instrument, "34461A"));
  g_assert_cmpstr (provenance->serial, ==, "MY53207382");
  g_assert_true (g_str_has_prefix (provenance->raw, provenance->value));
  g_assert_nonnull (provenance->time);
  g_assert_nonnull (strstr (provenance->environment, "\"20.4\""));
  g_assert_nonnull (strstr (provenance->environment, ROOM));

  readings = cb_store_reading_list (store, record_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (readings->len, ==, N_POINTS * N_REPEATS - 1);
  stored = g_ptr_array_index (readings, 0);
  g_assert_cmpstr (stored->cell, ==, "dcv/1/r/2");
  g_assert_cmpstr (stored->source, ==, "instrument");
  for (guint i = 0; i < readings->len; i++)
    {
      stored = g_ptr_array_index (readings, i);
      if (g_str_equal (stored->cell, "dcv/3/r/7"))
        {
          g_assert_cmpstr (stored->value, ==, provenance->value);
          g_assert_cmpstr (stored->instrument, ==, provenance->instrument);
          g_assert_cmpstr (stored->raw_reply, ==, provenance->raw);
          g_assert_cmpstr (stored->environment, ==, provenance->environment);
        }
    }

  g_clear_pointer (&store, cb_store_close);
  store_test_remove_dir (dir);
}

static void
on_notify_state (CbProcedure *procedure,
                 GParamSpec  *pspec,
                 gpointer     user_data)
{
  CbProcedureState *state = user_data;

  *state = cb_procedure_get_state (procedure);
}

static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  CbProcedureState state = CB_PROCEDURE_STATE_IDLE;

  fixture->pause_at = 2;
  g_signal_connect (fixture->procedure, "notify::state", G_CALLBACK (on_notify_state), &state);
  start (fixture);
  while (state != CB_PROCEDURE_STATE_PAUSED && !fixture->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (fixture->done);

  /* Paused after point 2, with the calibrator in standby. */
  g_assert_false (cb_sim_get_output_on (fixture->calibrator_pty->sim));
  g_assert_true (point_filled (fixture, 2));
  g_assert_false (point_filled (fixture, 3));
  g_assert_cmpuint (fixture->n_done, ==, 2);
  /* Nothing moves while paused: whatever is pending runs, and still nothing. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (fixture->n_done, ==, 2);
  g_assert_cmpint (cb_procedure_get_state (fixture->procedure), ==, CB_PROCEDURE_STATE_PAUSED);

  cb_procedure_resume (fixture->procedure);
  run_to_end (fixture);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_done, ==, N_POINTS);
  for (guint p = 1; p <= N_POINTS; p++)
    g_assert_true (point_filled (fixture, p));
  g_assert_false (cb_sim_get_output_on (fixture->calibrator_pty->sim));
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  fixture->cancel_at = 2;
  start (fixture);
  run_to_end (fixture);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->n_done, ==, 2);
  g_assert_true (point_filled (fixture, 2));
  g_assert_false (point_filled (fixture, 3));
  /* The calibrator was left in standby, and said so when asked. */
  g_assert_false (cb_sim_get_output_on (fixture->calibrator_pty->sim));
}

/* The multimeter stops answering once in point 3's settling: the point is
 * reported, skipped, and the others are measured. */
static void
test_stall_skipped (Fixture       *fixture,
                    gconstpointer  data)
{
  /* *IDN?, then 15 replies a point: SYST:ERR? and 3 readings to settle,
   * SYST:ERR? and 10 readings. */
  CbSimFault fault = { CB_SIM_FAULT_STALL, 1 + 15 * 2 + 2, 1.0, 1 };

  cb_sim_set_fault (fixture->dmm_pty->sim, &fault);
  start (fixture);
  run_to_end (fixture);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_failed, ==, 1);
  g_assert_cmpuint (fixture->failed_point, ==, 3);
  g_assert_error (fixture->failure, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
  g_assert_cmpuint (cb_sim_get_n_faults (fixture->dmm_pty->sim), ==, 1);
  g_assert_cmpuint (fixture->n_done, ==, N_POINTS - 1);
  for (guint p = 1; p <= N_POINTS; p++)
    g_assert_true (point_filled (fixture, p) == (p != 3));
  g_assert_false (cb_sim_get_output_on (fixture->calibrator_pty->sim));
}

static CbProcedureAction
on_point_failed_wait (CbProcedure  *procedure,
                      const char   *block,
                      guint         point,
                      const GError *error,
                      gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->n_failed++;
  fixture->failed_point = point;
  return CB_PROCEDURE_ACTION_WAIT;
}

/* The caller decides later, here to retry: the point is measured again. */
static void
test_stall_retried (Fixture       *fixture,
                    gconstpointer  data)
{
  CbSimFault fault = { CB_SIM_FAULT_STALL, 1 + 15 * 2 + 2, 1.0, 1 };
  CbProcedureState state = CB_PROCEDURE_STATE_IDLE;

  cb_sim_set_fault (fixture->dmm_pty->sim, &fault);
  g_signal_connect (fixture->procedure, "point-failed", G_CALLBACK (on_point_failed_wait), fixture);
  g_signal_connect (fixture->procedure, "notify::state", G_CALLBACK (on_notify_state), &state);
  start (fixture);
  while (state != CB_PROCEDURE_STATE_WAITING && !fixture->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (fixture->done);
  g_assert_cmpuint (fixture->failed_point, ==, 3);
  g_assert_false (cb_sim_get_output_on (fixture->calibrator_pty->sim));

  cb_procedure_resolve (fixture->procedure, CB_PROCEDURE_ACTION_RETRY);
  run_to_end (fixture);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_failed, ==, 1);
  for (guint p = 1; p <= N_POINTS; p++)
    g_assert_true (point_filled (fixture, p));
}

/* Each look at the clock is a second later. */
static gint64
fake_clock (gpointer user_data)
{
  gint64 *now = user_data;

  *now += G_USEC_PER_SEC;
  return *now;
}

static CbProcedureAction
on_point_failed_abort (CbProcedure  *procedure,
                       const char   *block,
                       guint         point,
                       const GError *error,
                       gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->n_failed++;
  g_clear_error (&fixture->failure);
  fixture->failure = g_error_copy (error);
  return CB_PROCEDURE_ACTION_ABORT;
}

/* No two readings agree with a tolerance of 0: the 30 s of the template's
 * settling pass on the procedure's clock, and the caller aborts. */
static void
test_settle_timeout (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (TEMPLATE_DIR, "jjf1587-2016-digital-multimeter.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) instruments = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) strict = NULL;
  g_autoptr(CbRecord) record = NULL;
  JsonObject *block;
  gint64 now = 0;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  block = json_array_get_object_element (json_object_get_array_member (
            json_node_get_object (json_parser_get_root (parser)), "blocks"), 0);
  json_object_set_double_member (json_object_get_object_member (json_object_get_object_member (block, "procedure"),
                                                                "settle"), "tolerance", 0.0);
  strict = cb_template_new_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  record = cb_record_new (strict);

  g_clear_object (&fixture->procedure);
  g_hash_table_insert (instruments, (gpointer) "calibrator", fixture->calibrator);
  g_hash_table_insert (instruments, (gpointer) "uut", fixture->dmm);
  fixture->procedure = cb_procedure_new (record, "dcv", instruments, &error);
  g_assert_no_error (error);
  cb_procedure_set_clock (fixture->procedure, fake_clock, &now);
  g_signal_connect (fixture->procedure, "point-failed", G_CALLBACK (on_point_failed_abort), fixture);
  cb_procedure_run_async (fixture->procedure, fixture->cancellable, on_run_done, fixture);
  run_to_end (fixture);

  g_assert_cmpuint (fixture->n_failed, ==, 1);
  g_assert_error (fixture->failure, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_SETTLE);
  g_assert_nonnull (strstr (fixture->failure->message, "30 s"));
  g_assert_error (fixture->error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_SETTLE);
  g_assert_nonnull (strstr (fixture->error->message, "aborted at dcv point 1"));
  g_assert_cmpint (now, >, 30 * G_USEC_PER_SEC);
  g_assert_cmpint (now, <, 40 * G_USEC_PER_SEC);
  g_assert_false (cb_sim_get_output_on (fixture->calibrator_pty->sim));
  g_clear_object (&fixture->procedure);
}

static void
test_invalid (void)
{
  g_autofree char *path = g_build_filename (TEMPLATE_DIR, "jjf1587-2016-digital-multimeter.json", NULL);
  g_autoptr(GHashTable) instruments = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = cb_template_new_from_file (path, &error);
  g_autoptr(CbRecord) record = cb_record_new (tmpl);
  g_autoptr(CbProcedure) procedure = NULL;

  procedure = cb_procedure_new (record, "dcv", instruments, &error);
  g_assert_null (procedure);
  g_assert_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "calibrator"));
  g_clear_error (&error);
  procedure = cb_procedure_new (record, "dcx", instruments, &error);
  g_assert_null (procedure);
  g_assert_error (error, CB_PROCEDURE_ERROR, CB_PROCEDURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "dcx"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (data), fixture_set_up, func, fixture_tear_down)
  ADD ("/instruments/procedure/whole-block", 0, test_whole_block);
  ADD ("/instruments/procedure/pause-resume", 0, test_pause_resume);
  ADD ("/instruments/procedure/cancel", 0, test_cancel);
  ADD ("/instruments/procedure/stall-skipped", 300, test_stall_skipped);
  ADD ("/instruments/procedure/stall-retried", 300, test_stall_retried);
  ADD ("/instruments/procedure/settle-timeout", 0, test_settle_timeout);
#undef ADD
  g_test_add_func ("/instruments/procedure/invalid", test_invalid);

  return g_test_run ();
}
