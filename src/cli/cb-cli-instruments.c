/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "instruments/cb-instrument.h"

/*
 * calbench-cli instruments list | probe PORT, and acquire: readings from an
 * instrument on a serial port, a pty, tcp:HOST:PORT or /dev/usbtmcN.
 */

/* Errors always name the port, whichever layer raised them. */
static int
fail_on_port (const char   *port,
              const GError *error)
{
  CbCliExit status = g_error_matches (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID)
                     ? CB_CLI_EXIT_BAD_INPUT : CB_CLI_EXIT_FAILURE;

  if (strstr (error->message, port) != NULL)
    return cb_cli_fail_error (status, error);
  return cb_cli_fail (status, "%s: %s", port, error->message);
}

static gboolean
serial_settings (CbSerialSettings  *settings,
                 int                baud,
                 const char        *format,
                 const char        *flow,
                 GError           **error)
{
  if (baud != 0)
    settings->baud = baud;
  if (format != NULL && !cb_serial_settings_parse_format (settings, format, error))
    return FALSE;
  if (flow != NULL && !cb_serial_settings_parse_flow (settings, flow, error))
    return FALSE;
  return TRUE;
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static int
instruments_list (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ports = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the ports as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list serial ports with their description and USB VID:PID"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;

  ports = cb_transport_list_ports (&error);
  if (ports == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < ports->len; i++)
        {
          CbPortInfo *info = g_ptr_array_index (ports, i);
          g_autofree char *vid_pid = info->vid >= 0 ? g_strdup_printf ("%04x:%04x", info->vid, info->pid) : NULL;

          json_builder_begin_object (builder);
          add_string_or_null (builder, "port", info->name);
          add_string_or_null (builder, "description", info->description);
          add_string_or_null (builder, "transport", info->kind);
          add_string_or_null (builder, "vid_pid", vid_pid);
          add_string_or_null (builder, "serial", info->serial);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
      return CB_CLI_EXIT_OK;
    }

  if (ports->len == 0)
    printf ("%s\n", _("No serial ports found. Ptys, tcp:HOST:PORT and /dev/usbtmcN can be given directly."));
  for (guint i = 0; i < ports->len; i++)
    {
      CbPortInfo *info = g_ptr_array_index (ports, i);
      g_autofree char *name = cb_cli_pad (info->name, -20);
      g_autofree char *vid_pid = info->vid >= 0 ? g_strdup_printf ("%04x:%04x", info->vid, info->pid) : g_strdup ("-");

      printf ("%s %-9s %-9s %s\n", name, info->kind, vid_pid,
              info->description != NULL ? info->description : "");
    }
  return CB_CLI_EXIT_OK;
}

static int
instruments_probe (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbInstrument) instrument = NULL;
  g_autofree char *format = NULL;
  g_autofree char *flow = NULL;
  CbSerialSettings settings = CB_SERIAL_SETTINGS_DEFAULT;
  CbTransport *transport;
  const char *port;
  const CbDriver *driver;
  gboolean json = FALSE;
  int timeout = 1000;
  int baud = 0;
  GOptionEntry entries[] = {
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Milliseconds to wait for each reply (default 1000)"), "MS" },
    { "baud", 0, 0, G_OPTION_ARG_INT, &baud, N_("Baud rate of a serial port (default 9600)"), "RATE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Data bits, parity, stop bits (default 8N1)"), "8N1" },
    { "flow", 0, 0, G_OPTION_ARG_STRING, &flow, N_("Flow control: none, xonxoff or rtscts"), "FLOW" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("PORT — identify the instrument on a port"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 1, "PORT"))
    return CB_CLI_EXIT_BAD_INPUT;
  port = argv[1];
  if (timeout <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--timeout: expected a positive number of milliseconds"));
  if (!serial_settings (&settings, baud, format, flow, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  transport = cb_transport_open (port, &settings, NULL, &error);
  if (transport == NULL)
    return fail_on_port (port, error);
  cb_transport_set_timeout (transport, timeout);
  instrument = cb_instrument_open (transport, NULL, NULL, &error);
  if (instrument == NULL)
    return fail_on_port (port, error);
  driver = cb_instrument_get_driver (instrument);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_string_or_null (builder, "port", port);
      add_string_or_null (builder, "driver", cb_driver_get_name (driver));
      add_string_or_null (builder, "model", cb_instrument_get_model (instrument));
      add_string_or_null (builder, "identity", cb_instrument_get_identity (instrument));
      add_string_or_null (builder, "transport", cb_transport_get_description (transport));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
      return CB_CLI_EXIT_OK;
    }

  printf ("%s %s (%s)\n", _("Driver:"), cb_driver_get_name (driver), cb_driver_get_summary (driver));
  printf ("%s %s\n", _("Model:"), cb_instrument_get_model (instrument));
  printf ("%s %s\n", _("Identity:"), cb_instrument_get_identity (instrument));
  printf ("%s %s\n", _("Transport:"), cb_transport_get_description (transport));
  return CB_CLI_EXIT_OK;
}

int
cb_cli_instruments (int    argc,
                    char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return instruments_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "probe"))
    return instruments_probe (argc - 1, argv + 1);
  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("instruments: expected “list” or “probe PORT”"));
}

static void
print_reading (const CbReading *reading)
{
  g_autofree char *time = cb_reading_format_time (reading);

  if (reading->overload)
    printf ("%s  %s %s  %s\n", time, reading->text, reading->unit, _("OVERLOAD"));
  else if (!reading->stable)
    printf ("%s  %s %s  %s\n", time, reading->text, reading->unit, _("settling"));
  else
    printf ("%s  %s %s\n", time, reading->text, reading->unit);
}

static void
add_reading (JsonBuilder     *builder,
             const CbReading *reading)
{
  g_autofree char *time = cb_reading_format_time (reading);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "time", time);
  add_string_or_null (builder, "quantity", cb_quantity_to_name (reading->quantity));
  add_string_or_null (builder, "text", reading->text);
  json_builder_set_member_name (builder, "value");
  if (reading->overload || isnan (reading->value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, reading->value);
  add_string_or_null (builder, "unit", reading->unit);
  json_builder_set_member_name (builder, "overload");
  json_builder_add_boolean_value (builder, reading->overload);
  json_builder_set_member_name (builder, "stable");
  json_builder_add_boolean_value (builder, reading->stable);
  add_string_or_null (builder, "raw", reading->raw);
  json_builder_end_object (builder);
}

int
cb_cli_acquire (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbInstrument) instrument = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *port = NULL;
  g_autofree char *driver_name = NULL;
  g_autofree char *function = NULL;
  g_autofree char *format = NULL;
  g_autofree char *flow = NULL;
  const CbDriver *driver = NULL;
  CbSerialSettings settings = CB_SERIAL_SETTINGS_DEFAULT;
  CbMeasureSettings measure = { CB_QUANTITY_DC_VOLTAGE, 0, 0 };
  CbTransport *transport;
  gboolean json = FALSE;
  int count = 1;
  int timeout = 2000;
  int baud = 0;
  double range = 0, nplc = 0;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_FILENAME, &port, N_("A device path, tcp:HOST:PORT or /dev/usbtmcN"), "PORT" },
    { "driver", 0, 0, G_OPTION_ARG_STRING, &driver_name, N_("dmm, calibrator, pressure or thermohygrometer (default: probe)"), "DRIVER" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("Number of readings (default 1)"), "N" },
    { "function", 0, 0, G_OPTION_ARG_STRING, &function, N_("dcv, acv, dci, aci, res, pressure, temperature or humidity"), "F" },
    { "range", 0, 0, G_OPTION_ARG_DOUBLE, &range, N_("Measurement range (default: autorange)"), "R" },
    { "nplc", 0, 0, G_OPTION_ARG_DOUBLE, &nplc, N_("Integration time in power line cycles"), "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Milliseconds to wait for each reply (default 2000)"), "MS" },
    { "baud", 0, 0, G_OPTION_ARG_INT, &baud, N_("Baud rate of a serial port (default: the driver's)"), "RATE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Data bits, parity, stop bits (default: the driver's)"), "8N1" },
    { "flow", 0, 0, G_OPTION_ARG_STRING, &flow, N_("Flow control: none, xonxoff or rtscts"), "FLOW" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the readings as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— take readings from an instrument"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (port == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--port is required: a device path, tcp:HOST:PORT or /dev/usbtmcN"));
  if (driver_name != NULL && (driver = cb_driver_find (driver_name)) == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                        _("--driver: expected dmm, calibrator, pressure or thermohygrometer, found “%s”"),
                        driver_name);
  if (count <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--count: expected a positive number of readings"));
  if (timeout <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--timeout: expected a positive number of milliseconds"));
  if (function != NULL && !cb_quantity_from_name (function, &measure.quantity))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                        _("--function: expected dcv, acv, dci, aci, res, pressure, temperature or humidity, found “%s”"),
                        function);
  if (!isfinite (range) || range < 0 || !isfinite (nplc) || nplc < 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--range and --nplc: expected a number of 0 or more"));
  measure.range = range;
  measure.nplc = nplc;
  if (driver != NULL)
    cb_driver_get_serial_settings (driver, &settings);
  if (!serial_settings (&settings, baud, format, flow, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);

  transport = cb_transport_open (port, &settings, NULL, &error);
  if (transport == NULL)
    return fail_on_port (port, error);
  cb_transport_set_timeout (transport, timeout);
  instrument = cb_instrument_open (transport, driver, NULL, &error);
  if (instrument == NULL)
    return fail_on_port (port, error);

  /* Without --function the instrument measures what its driver starts with. */
  if ((function != NULL || range > 0 || nplc > 0) &&
      !cb_instrument_configure (instrument, &measure, NULL, &error))
    return fail_on_port (port, error);
  if (function == NULL && g_str_equal (cb_driver_get_name (cb_instrument_get_driver (instrument)), "pressure"))
    {
      CbMeasureSettings pressure = { CB_QUANTITY_PRESSURE, 0, 0 };

      if (!cb_instrument_configure (instrument, &pressure, NULL, &error))
        return fail_on_port (port, error);
    }

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  for (int i = 0; i < count; i++)
    {
      g_autoptr(CbReading) reading = cb_instrument_measure (instrument, NULL, &error);

      if (reading == NULL)
        return fail_on_port (port, error);
      if (json)
        add_reading (builder, reading);
      else
        {
          print_reading (reading);
          fflush (stdout);
        }
    }
  if (json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      cb_cli_print_json (root);
    }
  return CB_CLI_EXIT_OK;
}
