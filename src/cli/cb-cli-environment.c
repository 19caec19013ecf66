/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "cb-cli-private.h"
#include "instruments/cb-environment-logger.h"
#include "store/cb-store-environment.h"

/* A logger failing this many times in a row ends a run of --count readings;
 * without --count the logger keeps trying, as a service does. */
#define MAX_FAILURES 3

typedef struct
{
  GMainLoop *loop;
  int        count;        /* readings wanted; 0: until interrupted */
  guint      n_failures;   /* in a row */
  int        status;
} LogRun;

static void
on_logged (CbEnvironmentLogger *logger,
           gint64               row,
           const char          *temperature,
           const char          *humidity,
           LogRun              *run)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  run->n_failures = 0;
  g_print ("%s\t%s\t%s °C\t%s %%RH\n", time, cb_environment_logger_get_room (logger),
           temperature != NULL ? temperature : "—", humidity != NULL ? humidity : "—");
  if (run->count > 0 && cb_environment_logger_get_n_logged (logger) >= (guint) run->count)
    g_main_loop_quit (run->loop);
}

static void
on_alarm (CbEnvironmentLogger *logger,
          int                  quantity,
          double               value,
          double               min,
          double               max,
          const char          *message,
          LogRun              *run)
{
  /* TRANSLATORS: an environment alarm on the terminal; the message follows */
  g_printerr (_("calbench-cli: alarm: %s\n"), message);
}

static void
on_failed (CbEnvironmentLogger *logger,
           const GError        *error,
           LogRun              *run)
{
  const char *port = cb_environment_logger_get_port (logger);

  if (strstr (error->message, port) != NULL)
    g_printerr ("calbench-cli: %s\n", error->message);
  else
    /* TRANSLATORS: the port of the sensor, then why it gave no reading */
    g_printerr (_("calbench-cli: %s: %s\n"), port, error->message);
  if (run->count > 0 && ++run->n_failures >= MAX_FAILURES)
    {
      run->status = CB_CLI_EXIT_FAILURE;
      g_main_loop_quit (run->loop);
    }
}

static gboolean
on_interrupt (gpointer user_data)
{
  LogRun *run = user_data;

  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

/* "MIN:MAX", either side may be empty. */
static gboolean
parse_limits (const char  *text,
              const char  *option,
              double      *min,
              double      *max,
              GError     **error)
{
  g_auto(GStrv) sides = NULL;

  *min = *max = NAN;
  if (text == NULL)
    return TRUE;
  sides = g_strsplit (text, ":", -1);
  if (g_strv_length (sides) != 2 || (*sides[0] == '\0' && *sides[1] == '\0'))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: expected MIN:MAX (either may be left out), found “%s”"), option, text);
      return FALSE;
    }
  if ((*sides[0] != '\0' && !cb_cli_parse_number (sides[0], option, min, error)) ||
      (*sides[1] != '\0' && !cb_cli_parse_number (sides[1], option, max, error)))
    return FALSE;
  if (!isnan (*min) && !isnan (*max) && *min > *max)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: the lower limit %s is above the upper %s"), option, sides[0], sides[1]);
      return FALSE;
    }
  return TRUE;
}

static int
environment_log (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbEnvironmentLogger) logger = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *db = NULL;
  g_autofree char *port = NULL;
  g_autofree char *room = NULL;
  g_autofree char *sensor = NULL;
  g_autofree char *temperature = NULL;
  g_autofree char *humidity = NULL;
  g_autofree char *template_file = NULL;
  int interval = 60;
  int count = 0;
  double t_min, t_max, h_min, h_max;
  CbStore *store;
  LogRun run = { NULL, 0, 0, CB_CLI_EXIT_OK };
  guint sigint, sigterm;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database the log goes to"), "FILE" },
    { "port", 0, 0, G_OPTION_ARG_FILENAME, &port, N_("The sensor's port: a device path or tcp:HOST:PORT"), "PORT" },
    { "room", 0, 0, G_OPTION_ARG_STRING, &room, N_("The room the sensor stands in"), "ROOM" },
    { "sensor", 0, 0, G_OPTION_ARG_STRING, &sensor, N_("The sensor's name in the log (default: its model)"), "NAME" },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, N_("Seconds between readings (default 60)"), "S" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("Stop after this many readings (default: until interrupted)"), "N" },
    { "temperature", 0, 0, G_OPTION_ARG_STRING, &temperature, N_("Alarm outside these temperature limits, °C"), "MIN:MAX" },
    { "humidity", 0, 0, G_OPTION_ARG_STRING, &humidity, N_("Alarm outside these humidity limits, %RH"), "MIN:MAX" },
    { "limits-from", 0, 0, G_OPTION_ARG_FILENAME, &template_file, N_("Alarm outside the environment limits of this record template"), "FILE" },
    { NULL }
  };

  context = g_option_context_new (_("— log a room's temperature and humidity from its sensor"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (db == NULL || port == NULL || room == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db, --port and --room are required"));
  if (*g_strstrip (room) == '\0')
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--room: expected the room's name, found nothing"));
  if (interval <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--interval: expected a positive number of seconds"));
  if (count < 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--count: expected a positive number of readings"));
  if (!parse_limits (temperature, "--temperature", &t_min, &t_max, &error) ||
      !parse_limits (humidity, "--humidity", &h_min, &h_max, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db %s: no such file"), db);

  store = cb_store_open (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  logger = cb_environment_logger_new_for_port (port, store, room);
  if (sensor != NULL)
    cb_environment_logger_set_sensor_name (logger, sensor);
  if (template_file != NULL)
    {
      g_autoptr(CbTemplate) tmpl = cb_template_new_from_file (template_file, &error);

      if (tmpl == NULL)
        {
          g_clear_object (&logger);
          cb_store_close (store);
          return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
        }
      cb_environment_logger_set_limits_from_template (logger, tmpl);
    }
  if (temperature != NULL)
    cb_environment_logger_set_limits (logger, CB_QUANTITY_TEMPERATURE, t_min, t_max);
  if (humidity != NULL)
    cb_environment_logger_set_limits (logger, CB_QUANTITY_HUMIDITY, h_min, h_max);

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.count = count;
  g_signal_connect (logger, "logged", G_CALLBACK (on_logged), &run);
  g_signal_connect (logger, "alarm", G_CALLBACK (on_alarm), &run);
  g_signal_connect (logger, "failed", G_CALLBACK (on_failed), &run);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &run);
  cb_environment_logger_start (logger, interval);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  /* A reading under way finishes or is cancelled before the store closes. */
  cb_environment_logger_stop (logger);
  g_signal_handlers_disconnect_by_data (logger, &run);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&logger);
  cb_store_close (store);
  return run.status;
}

static int
environment_show (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = NULL;
  g_autofree char *db = NULL;
  g_autofree char *room = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  int hours = 24;
  CbStore *store;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database"), "FILE" },
    { "room", 0, 0, G_OPTION_ARG_STRING, &room, N_("The room"), "ROOM" },
    { "hours", 0, 0, G_OPTION_ARG_INT, &hours, N_("How far back, in hours (default 24)"), "H" },
    { NULL }
  };

  context = g_option_context_new (_("— the environment log of a room"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (db == NULL || room == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db and --room are required"));
  if (hours <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--hours: expected a positive number of hours"));
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db %s: no such file"), db);

  store = cb_store_open (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  since = g_date_time_add_hours (now, -hours);
  from = g_date_time_format_iso8601 (since);
  to = g_date_time_format_iso8601 (now);
  log = cb_store_environment_list (store, room, from, to, &error);
  cb_store_close (store);
  if (log == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  for (guint i = 0; i < log->len; i++)
    {
      CbEnvironmentReading *reading = g_ptr_array_index (log, i);

      g_print ("%s\t%s\t%s °C\t%s %%RH\t%s\n", reading->measured_at, reading->sensor,
               reading->temperature != NULL ? reading->temperature : "—",
               reading->humidity != NULL ? reading->humidity : "—",
               reading->pressure != NULL ? reading->pressure : "");
    }
  if (log->len == 0)
    /* TRANSLATORS: the room, then the number of hours looked back */
    g_printerr (_("calbench-cli: nothing logged in %s in the last %d hours\n"), room, hours);
  return CB_CLI_EXIT_OK;
}

int
cb_cli_environment (int    argc,
                    char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "log"))
    return environment_log (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return environment_show (argc - 1, argv + 1);
  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("environment: expected log or show, found “%s”"),
                      argc >= 2 ? argv[1] : "");
}
