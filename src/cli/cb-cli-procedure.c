/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "store/cb-store-records.h"
#include "instruments/cb-procedure.h"

/*
 * calbench-cli procedure run: a record's points measured headless on a
 * calibrator and a unit under test, progress on stderr, the computed record
 * on stdout.  Ctrl-C cancels, with the calibrator in standby.
 */

typedef struct
{
  GMainLoop      *loop;
  GCancellable   *cancellable;
  CbProcedureAction on_failure;
  GError         *error;
  guint           n_failed;
} Run;

static CbInstrument *
open_instrument (const char  *option,
                 const char  *port,
                 const char  *driver_name,
                 int          timeout,
                 GError     **error)
{
  const CbDriver *driver = cb_driver_find (driver_name);
  CbSerialSettings settings = CB_SERIAL_SETTINGS_DEFAULT;
  CbTransport *transport;
  CbInstrument *instrument;

  cb_driver_get_serial_settings (driver, &settings);
  transport = cb_transport_open (port, &settings, NULL, error);
  if (transport == NULL)
    {
      g_prefix_error (error, "%s %s: ", option, port);
      return NULL;
    }
  cb_transport_set_timeout (transport, timeout);
  instrument = cb_instrument_open (transport, driver, NULL, error);
  if (instrument == NULL)
    g_prefix_error (error, "%s %s: ", option, port);
  return instrument;
}

static void
on_point (CbProcedure *procedure,
          GParamSpec  *pspec,
          gpointer     user_data)
{
  if (cb_procedure_get_point (procedure) == 0)
    return;
  fprintf (stderr, _("point %u of %u\n"), cb_procedure_get_point (procedure),
           cb_procedure_get_n_points (procedure));
}

static void
on_point_done (CbProcedure *procedure,
               const char  *block,
               guint        point,
               gpointer     user_data)
{
  fprintf (stderr, _("  %s point %u measured\n"), block, point);
}

static CbProcedureAction
on_point_failed (CbProcedure  *procedure,
                 const char   *block,
                 guint         point,
                 const GError *error,
                 gpointer      user_data)
{
  Run *run = user_data;

  run->n_failed++;
  fprintf (stderr, _("  %s point %u failed: %s\n"), block, point, error->message);
  if (run->on_failure == CB_PROCEDURE_ACTION_SKIP)
    fprintf (stderr, _("  %s point %u skipped\n"), block, point);
  return run->on_failure;
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  cb_procedure_run_finish (CB_PROCEDURE (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  Run *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static int
procedure_run (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = NULL;
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(CbInstrument) calibrator = NULL;
  g_autoptr(CbInstrument) uut = NULL;
  g_autoptr(CbProcedure) procedure = NULL;
  g_autoptr(GHashTable) instruments = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *template_path = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *calibrator_port = NULL;
  g_autofree char *uut_port = NULL;
  g_autofree char *block = NULL;
  g_autofree char *on_failure = NULL;
  g_autofree char *db = NULL;
  g_autoptr(CbStore) store = NULL;
  gint64 record_id = 0;
  gboolean json = FALSE;
  int timeout = 2000;
  guint sigint, sigterm;
  Run run = { 0 };
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database holding the record (with --record)"), "FILE" },
    { "record", 0, 0, G_OPTION_ARG_INT64, &record_id, N_("The stored record to measure; its readings are stored as taken"), "ID" },
    { "template", 0, 0, G_OPTION_ARG_FILENAME, &template_path, N_("The record template"), "FILE" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_path, N_("Entered data and points (JSON; default: the template's)"), "FILE" },
    { "calibrator", 0, 0, G_OPTION_ARG_FILENAME, &calibrator_port, N_("Port of the calibrator (role “calibrator”)"), "PORT" },
    { "uut", 0, 0, G_OPTION_ARG_FILENAME, &uut_port, N_("Port of the multimeter under test (role “uut”)"), "PORT" },
    { "block", 0, 0, G_OPTION_ARG_STRING, &block, N_("Only this block (default: every block with a procedure)"), "NAME" },
    { "on-failure", 0, 0, G_OPTION_ARG_STRING, &on_failure, N_("After a failed point: abort (default) or skip"), "ACTION" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Milliseconds to wait for each reply (default 2000)"), "MS" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print every computed cell as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— measure a record's points on a calibrator and a multimeter"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if ((template_path == NULL) == (record_id == 0) || calibrator_port == NULL || uut_port == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                        _("--calibrator, --uut and either --template (with --data) or --db with --record are required"));
  if (record_id != 0 && db == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--record needs --db"));
  if (timeout <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--timeout: expected a positive number of milliseconds"));
  if (on_failure == NULL || g_str_equal (on_failure, "abort"))
    run.on_failure = CB_PROCEDURE_ACTION_ABORT;
  else if (g_str_equal (on_failure, "skip"))
    run.on_failure = CB_PROCEDURE_ACTION_SKIP;
  else
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--on-failure: expected abort or skip, found “%s”"), on_failure);

  if (record_id != 0)
    {
      /* A record of the lab: each value goes to its readings as taken. */
      if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db %s: no such database file"), db);
      store = cb_store_open (db, &error);
      if (store == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
      cb_store_set_actor (store, g_get_user_name (), g_get_host_name ());
      record = cb_store_record_load (store, record_id, &error);
      if (record == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
    }
  else if ((tmpl = cb_template_new_from_file (template_path, &error)) == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  else if (data_path != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_file (parser, data_path, &error))
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--data %s: %s"), data_path, error->message);
      record = cb_record_new_from_json (tmpl, json_parser_get_root (parser), &error);
      if (record == NULL)
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--data %s: %s"), data_path, error->message);
    }
  else
    record = cb_record_new (tmpl);

  calibrator = open_instrument ("--calibrator", calibrator_port, "calibrator", timeout, &error);
  if (calibrator == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  uut = open_instrument ("--uut", uut_port, "dmm", timeout, &error);
  if (uut == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);

  instruments = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (instruments, (gpointer) "calibrator", calibrator);
  g_hash_table_insert (instruments, (gpointer) "uut", uut);
  procedure = cb_procedure_new (record, block, instruments, &error);
  if (procedure == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  if (store != NULL)
    cb_procedure_set_store (procedure, store, record_id);

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;
  g_signal_connect (procedure, "notify::point", G_CALLBACK (on_point), &run);
  g_signal_connect (procedure, "point-done", G_CALLBACK (on_point_done), &run);
  g_signal_connect (procedure, "point-failed", G_CALLBACK (on_point_failed), &run);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &run);
  cb_procedure_run_async (procedure, cancellable, on_run_done, &run);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (run.error != NULL)
    {
      g_autoptr(GError) run_error = g_steal_pointer (&run.error);

      return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, run_error);
    }
  cb_cli_print_record (record, json);
  if (run.n_failed > 0)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%u point failed and was skipped\n",
                                  "%u points failed and were skipped\n", run.n_failed), run.n_failed);
  return run.n_failed > 0 ? CB_CLI_EXIT_FAILURE : CB_CLI_EXIT_OK;
}

int
cb_cli_procedure (int    argc,
                  char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "run"))
    return procedure_run (argc - 1, argv + 1);

  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                      _("procedure: expected a subcommand: run (--template FILE | --db FILE --record ID) "
                        "--calibrator PORT --uut PORT"));
}
