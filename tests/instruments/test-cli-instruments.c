/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <glib/gstdio.h>

#include <sqlite3.h>

#include "../cli/cli-runner.h"
#include "store/cb-store-private.h"
#include "store/cb-store-readings.h"
#include "store/cb-store-records.h"

/* End to end: calbench-sim as a program on a pty or TCP port, and
 * calbench-cli reading from the path or port it printed. */

typedef struct
{
  GSubprocess *process;
  char        *where;     /* the pty path or TCP port it printed */
} Sim;

static void
sim_start (Sim        *sim,
           const char *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) CALBENCH_SIM);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  sim->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                    &error);
  g_assert_no_error (error);
  /* The first line comes as soon as the line is ready; end of file would
   * mean the simulator died, which fails here rather than hangs. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  sim->where = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim->where);
}

static void
sim_stop (Sim *sim)
{
  g_autoptr(GError) error = NULL;

  /* End of file on its stdin ends the simulator. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (sim->process), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (sim->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&sim->process);
  g_clear_pointer (&sim->where, g_free);
}

static void
run (Run        *result,
     const char *command,
     const char *first_arg,
     ...)
{
  va_list args;

  va_start (args, first_arg);
  run_cli_v (result, command, first_arg, args);
  va_end (args);
}

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_ref (json_node_get_array (root));
}

static void
test_acquire_pty (void)
{
  Sim sim = { 0 };
  g_auto(Run) result = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonArray) readings = NULL;

  sim_start (&sim, "--instrument", "dmm", "--seed", "5", "--input", "2.5", NULL);
  g_assert_true (g_str_has_prefix (sim.where, "/dev/"));

  run (&result, "acquire", "--port", sim.where, "--driver", "dmm", "--count", "3", NULL);
  g_assert_cmpint (result.status, ==, 0);
  lines = g_strsplit (g_strchomp (result.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *number = strstr (lines[i], "Z  ");

      /* "2026-…Z  +2.50000012E+00 V" */
      g_assert_nonnull (number);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (number + 3, NULL), 2.5, 1e-3);
      g_assert_true (g_str_has_suffix (lines[i], "E+00 V"));
    }

  run (&result, "acquire", "--port", sim.where, "--driver", "dmm", "--count", "2", "--json",
       "--function", "dcv", "--range", "1", NULL);
  g_assert_cmpint (result.status, ==, 0);
  readings = parse_array (result.out);
  g_assert_cmpuint (json_array_get_length (readings), ==, 2);
  /* 2.5 V on the 1 V range: overload, and no number for it. */
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (readings, 0), "overload"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (readings, 0), "value"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (readings, 1), "text"),
                   ==, "+9.90000000E+37");

  run (&result, "instruments", "probe", sim.where, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "dmm"));
  g_assert_nonnull (strstr (result.out, "Keysight Technologies,34461A,"));

  /* The wrong driver: a failure naming the port and what was expected. */
  run (&result, "acquire", "--port", sim.where, "--driver", "calibrator", "--timeout", "300", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, sim.where));
  g_assert_nonnull (strstr (result.err, "calibrator"));

  sim_stop (&sim);
}

static void
test_acquire_tcp (void)
{
  Sim sim = { 0 };
  g_auto(Run) result = { 0 };
  g_autofree char *port = NULL;
  g_autoptr(JsonArray) readings = NULL;

  sim_start (&sim, "--instrument", "thermohygrometer", "--tcp", "0", NULL);
  port = g_strdup_printf ("tcp:127.0.0.1:%s", sim.where);
  run (&result, "acquire", "--port", port, "--driver", "thermohygrometer", "--json",
       "--function", "humidity", NULL);
  g_assert_cmpint (result.status, ==, 0);
  readings = parse_array (result.out);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (readings, 0), "unit"), ==, "%RH");
  sim_stop (&sim);
}

static void
test_timeout (void)
{
  Sim sim = { 0 };
  g_auto(Run) result = { 0 };

  /* Every reply after the identification stalls. */
  sim_start (&sim, "--instrument", "dmm", "--fault", "stall", "--fault-after", "1", NULL);
  run (&result, "acquire", "--port", sim.where, "--driver", "dmm", "--timeout", "200", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, sim.where));
  g_assert_nonnull (strstr (result.err, "READ?"));
  sim_stop (&sim);
}

static void
test_bad_input (void)
{
  g_auto(Run) result = { 0 };

  run (&result, "acquire", "--driver", "dmm", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "--port"));
  run (&result, "acquire", "--port", "/dev/null", "--driver", "voltmeter", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "voltmeter"));
  run (&result, "acquire", "--port", "/dev/null", "--count", "0", NULL);
  g_assert_cmpint (result.status, ==, 2);
  run (&result, "acquire", "--port", "COM1", "--driver", "dmm", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "COM1"));
  run (&result, "acquire", "--port", "/nonexistent/ttyUSB7", "--driver", "dmm", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "/nonexistent/ttyUSB7"));
  run (&result, "instruments", "frobnicate", NULL);
  g_assert_cmpint (result.status, ==, 2);
  run (&result, "instruments", "list", "--json", NULL);
  g_assert_cmpint (result.status, ==, 0);
}

static char *
write_points (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "points.json", NULL);
  g_autoptr(GError) error = NULL;
  /* Points the simulated multimeter's fixed 1 V input passes. */
  const char *data =
    "{\"points\": {\"dcv\": ["
    " {\"nominal\": \"1\", \"range\": \"1\", \"res\": \"0.000001\", \"cal_ppm\": \"11\","
    "  \"cal_floor\": \"0.000002\", \"spec_rdg\": \"0.0040\", \"spec_rng\": \"0.0007\"},"
    " {\"nominal\": \"1\", \"range\": \"10\", \"res\": \"0.00001\", \"cal_ppm\": \"12\","
    "  \"cal_floor\": \"0.00002\", \"spec_rdg\": \"0.0035\", \"spec_rng\": \"0.0005\"}]}}";

  g_file_set_contents (path, data, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static JsonObject *
dcv_point (JsonObject *root,
           guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (
           json_object_get_object_member (root, "blocks"), "dcv"), index);
}

/* calbench-sim --bench: a calibrator and a multimeter wired to it, so that a
 * whole DCV block measures what the calibrator sources. */
static void
test_bench (void)
{
  g_autofree char *tmpl = g_build_filename (TEMPLATE_DIR, "jjf1587-2016-digital-multimeter.json", NULL);
  const char *argv[] = { CALBENCH_SIM, "--bench", "--seed", "7", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_auto(Run) result = { 0 };

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  first = g_data_input_stream_read_line (out, NULL, NULL, &error);
  second = g_data_input_stream_read_line (out, NULL, NULL, &error);
  third = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (first, "calibrator /"));
  g_assert_true (g_str_has_prefix (second, "multimeter /"));
  g_assert_true (g_str_has_prefix (third, "sensor /"));

  /* The bench's room is at 20 °C, within the methods' limits. */
  run (&result, "acquire", "--port", third + strlen ("sensor "), "--driver", "thermohygrometer",
       "--function", "temperature", "--json", NULL);
  g_assert_cmpint (result.status, ==, 0);
  {
    g_autoptr(JsonArray) readings = parse_array (result.out);
    JsonObject *reading = json_array_get_object_element (readings, 0);

    g_assert_cmpstr (json_object_get_string_member (reading, "unit"), ==, "°C");
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (reading, "value"), 20.0, 0.6);
  }

  run (&result, "procedure", "run", "--template", tmpl, "--calibrator", first + strlen ("calibrator "),
       "--uut", second + strlen ("multimeter "), "--block", "dcv", "--json", NULL);
  g_assert_cmpint (result.status, ==, 0);
  root = parse_json (result.out);
  /* Six points from 0.1 V to 1000 V, each within the specification. */
  for (guint p = 0; p < 6; p++)
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                       json_object_get_object_member (dcv_point (root, p), "checks"), "spec"), "decision"),
                     ==, "pass");

  /* A stored record: the readings go to the lab database as they are taken. */
  {
    g_autofree char *dir = g_dir_make_tmp ("calbench-bench-XXXXXX", NULL);
    g_autofree char *db = g_build_filename (dir, "lab.db", NULL);
    g_autofree char *record_text = NULL;
    g_autoptr(GPtrArray) history = NULL;
    CbStore *store;
    CbRecord *record;
    gint64 record_id, performer;
    sqlite3_stmt *stmt = NULL;

    run (&result, "demo", "init", "--db", db, NULL);
    g_assert_cmpint (result.status, ==, 0);
    store = cb_store_open (db, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_prepare_v2 (store->db, "SELECT r.id, r.performer_id FROM records r"
                                                    " JOIN template_versions v ON v.id = r.template_version_id"
                                                    " WHERE v.document LIKE '%jjf1587%' AND r.state = 'draft'"
                                                    " ORDER BY r.id LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    record_id = sqlite3_column_int64 (stmt, 0);
    performer = sqlite3_column_int64 (stmt, 1);
    sqlite3_finalize (stmt);
    /* The 1 V point is to be measured again. */
    record = cb_store_record_load (store, record_id, &error);
    g_assert_no_error (error);
    for (guint k = 1; k <= 10; k++)
      {
        g_autofree char *cell = g_strdup_printf ("dcv/2/r/%u", k);

        g_assert_true (cb_store_record_enter (store, record_id, performer, record, cell, "", NULL, "重测", &error));
        g_assert_no_error (error);
      }
    cb_record_free (record);
    cb_store_close (store);

    record_text = g_strdup_printf ("%lld", (long long) record_id);
    run (&result, "procedure", "run", "--db", db, "--record", record_text, "--calibrator",
         first + strlen ("calibrator "), "--uut", second + strlen ("multimeter "), "--block", "dcv", NULL);
    g_assert_cmpint (result.status, ==, 0);
    if (strstr (result.err, "dcv point 2 measured") == NULL)
      g_error ("stderr: %s", result.err);

    store = cb_store_open (db, &error);
    g_assert_no_error (error);
    history = cb_store_reading_history (store, record_id, "dcv/2/r/5", &error);
    g_assert_no_error (error);
    /* The demo's reading, voided to be measured again, then the new one. */
    g_assert_cmpuint (history->len, ==, 2);
    g_assert_true (((CbStoredReading *) g_ptr_array_index (history, 0))->voided);
    g_assert_false (((CbStoredReading *) g_ptr_array_index (history, 1))->voided);
    g_assert_cmpstr (((CbStoredReading *) g_ptr_array_index (history, history->len - 1))->source, ==, "instrument");
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (((CbStoredReading *) g_ptr_array_index (history, history->len - 1))->value, NULL),
                                    1.0, 0.001);
    cb_store_close (store);

    run (&result, "procedure", "run", "--record", record_text, "--calibrator", "x", "--uut", "y", NULL);
    g_assert_cmpint (result.status, ==, 2);
    g_assert_nonnull (strstr (result.err, "--db"));
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

          g_unlink (path);
        }
      g_rmdir (dir);
    }
  }

  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
test_procedure_run (void)
{
  g_autofree char *tmpl = g_build_filename (TEMPLATE_DIR, "jjf1587-2016-digital-multimeter.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("calbench-procedure-XXXXXX", NULL);
  g_autofree char *data = write_points (dir);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonObject) stalled = NULL;
  g_auto(Run) result = { 0 };
  Sim calibrator = { 0 }, dmm = { 0 };
  JsonObject *cells;

  sim_start (&calibrator, "--instrument", "calibrator", "--seed", "3", NULL);
  sim_start (&dmm, "--instrument", "dmm", "--seed", "4", "--input", "1", NULL);
  run (&result, "procedure", "run", "--template", tmpl, "--data", data, "--calibrator", calibrator.where,
       "--uut", dmm.where, "--block", "dcv", "--json", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.err, "point 1 of 2"));
  g_assert_nonnull (strstr (result.err, "point 2 of 2"));
  g_assert_nonnull (strstr (result.err, "dcv point 2 measured"));
  root = parse_json (result.out);
  for (guint p = 0; p < 2; p++)
    {
      cells = json_object_get_object_member (dcv_point (root, p), "cells");
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (json_object_get_string_member (
                                        json_object_get_object_member (cells, "r"), "text"), NULL), 1.0, 1e-4);
      g_assert_true (json_object_has_member (json_object_get_object_member (cells, "U"), "text"));
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                         json_object_get_object_member (dcv_point (root, p), "checks"), "spec"), "decision"),
                       ==, "pass");
    }
  sim_stop (&dmm);

  /* The multimeter stalls once in point 1 (after *IDN?, SYST:ERR? and 3
   * readings to settle): reported, skipped, point 2 measured. */
  sim_start (&dmm, "--instrument", "dmm", "--seed", "4", "--input", "1", "--fault", "stall",
             "--fault-after", "5", "--fault-count", "1", NULL);
  run (&result, "procedure", "run", "--template", tmpl, "--data", data, "--calibrator", calibrator.where,
       "--uut", dmm.where, "--block", "dcv", "--json", "--timeout", "300", "--on-failure", "skip", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "dcv point 1 failed"));
  g_assert_nonnull (strstr (result.err, "dcv point 1 skipped"));
  g_assert_nonnull (strstr (result.err, "dcv point 2 measured"));
  stalled = parse_json (result.out);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (dcv_point (stalled, 0), "cells"), "r"));
  g_assert_false (json_object_get_null_member (json_object_get_object_member (dcv_point (stalled, 1), "cells"), "r"));
  sim_stop (&dmm);

  /* Without --on-failure the first failure ends the run. */
  sim_start (&dmm, "--instrument", "dmm", "--seed", "4", "--input", "1", "--fault", "stall",
             "--fault-after", "5", "--fault-count", "1", NULL);
  run (&result, "procedure", "run", "--template", tmpl, "--data", data, "--calibrator", calibrator.where,
       "--uut", dmm.where, "--block", "dcv", "--timeout", "300", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "aborted at dcv point 1"));
  g_assert_cmpstr (result.out, ==, "");
  sim_stop (&dmm);

  run (&result, "procedure", "run", "--template", tmpl, "--calibrator", calibrator.where, NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "--uut"));
  sim_stop (&calibrator);

  g_unlink (data);
  g_rmdir (dir);
}

/* The room's sensor logged into a lab database: readings on stdout and in
 * the store, an alarm outside the limits, a garbled reply reported and the
 * port opened again, a missing port failing after three tries. */
static void
test_environment_log (void)
{
  g_autofree char *dir = g_dir_make_tmp ("calbench-environment-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "lab.db", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-port", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) result = { 0 };
  g_auto(GStrv) lines = NULL;
  Sim sensor = { 0 };
  CbStore *store;

  store = cb_store_open (db, &error);
  g_assert_no_error (error);
  cb_store_close (store);

  /* The simulated room is at 23 °C: above 20:22. */
  sim_start (&sensor, "--instrument", "thermohygrometer", "--seed", "5",
             "--fault", "bad-crc", "--fault-after", "2", "--fault-count", "1", NULL);
  run (&result, "environment", "log", "--db", db, "--port", sensor.where, "--room", "电学室",
       "--sensor", "TH-07", "--interval", "1", "--count", "2", "--temperature", "20:22", NULL);
  g_assert_cmpint (result.status, ==, 0);
  lines = g_strsplit (g_strstrip (result.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_nonnull (strstr (lines[0], "电学室\t23."));
  g_assert_nonnull (strstr (lines[0], " %RH"));
  g_assert_nonnull (strstr (result.err, "alarm: temperature 23."));
  g_assert_nonnull (strstr (result.err, "outside its limits 20 to 22 °C"));
  g_assert_nonnull (strstr (result.err, "Modbus CRC mismatch"));
  /* One alarm while the room stays outside. */
  g_assert_null (strstr (strstr (result.err, "alarm:") + 1, "alarm:"));
  sim_stop (&sensor);

  run (&result, "environment", "show", "--db", db, "--room", "电学室", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (g_strstrip (result.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_nonnull (strstr (lines[1], "\tTH-07\t23."));

  run (&result, "environment", "show", "--db", db, "--room", "力学室", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "nothing logged in 力学室"));

  run (&result, "environment", "log", "--db", db, "--port", missing, "--room", "电学室",
       "--interval", "1", "--count", "1", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, missing));

  run (&result, "environment", "log", "--db", db, "--port", missing, "--room", "电学室",
       "--humidity", "60:30", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "--humidity: the lower limit 60 is above the upper 30"));
  run (&result, "environment", "log", "--db", db, "--port", missing, "--room", "电学室",
       "--temperature", "warm", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "--temperature"));
  run (&result, "environment", "log", "--db", db, "--room", "电学室", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "--port"));

  g_remove (db);
  g_remove (missing);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/instruments/cli/acquire-pty", test_acquire_pty);
  g_test_add_func ("/instruments/cli/acquire-tcp", test_acquire_tcp);
  g_test_add_func ("/instruments/cli/timeout", test_timeout);
  g_test_add_func ("/instruments/cli/bad-input", test_bad_input);
  g_test_add_func ("/instruments/cli/procedure-run", test_procedure_run);
  g_test_add_func ("/instruments/cli/bench", test_bench);
  g_test_add_func ("/instruments/cli/environment-log", test_environment_log);

  return g_test_run ();
}
