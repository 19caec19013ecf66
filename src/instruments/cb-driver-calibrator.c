/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-instrument-private.h"

/*
 * Fluke 5500A/5520A/5522A multifunction calibrators: OUT value unit[,
 * frequency], OPER, STBY, *OPC?, ERR?.  The driver is flagged so that any
 * error, cancellation or close puts the calibrator in standby first.
 */

static const CbModelQuirks calibrator_models[] = {
  { "FLUKE,5520A,*", "5520A", "*CLS", 0, FALSE, 0 },
  { "FLUKE,5522A,*", "5522A", "*CLS", 0, FALSE, 0 },
  { "FLUKE,5500A,*", "5500A", "*CLS", 0, FALSE, 0 },
  { NULL },
};

static gboolean
calibrator_probe (CbInstrument  *instrument,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return cb_instrument_scpi_identify (instrument, cancellable, error);
}

static const char *
unit_word (CbQuantity quantity)
{
  switch (quantity)
    {
    case CB_QUANTITY_DC_VOLTAGE:
    case CB_QUANTITY_AC_VOLTAGE:
      return "V";
    case CB_QUANTITY_DC_CURRENT:
    case CB_QUANTITY_AC_CURRENT:
      return "A";
    case CB_QUANTITY_RESISTANCE:
      return "OHM";
    default:
      return NULL;
    }
}

static gboolean
expect_reply (CbInstrument  *instrument,
              const char    *query,
              const char    *expected,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *reply = cb_instrument_scpi_query (instrument, query, cancellable, error);

  if (reply == NULL)
    return FALSE;
  if (!g_str_equal (g_strstrip (reply), expected))
    {
      g_autofree char *quoted = cb_instrument_quote_bytes ((const guint8 *) reply, strlen (reply), 64);

      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                   _("%s: expected “%s” in reply to “%s”, received “%s”"),
                   cb_transport_get_port (instrument->transport), expected, query, quoted);
      return FALSE;
    }
  return TRUE;
}

static gboolean
calibrator_source (CbInstrument            *instrument,
                   const CbSourceSettings  *settings,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  const char *unit = unit_word (settings->quantity);
  gboolean ac = settings->quantity == CB_QUANTITY_AC_VOLTAGE || settings->quantity == CB_QUANTITY_AC_CURRENT;
  char value[G_ASCII_DTOSTR_BUF_SIZE], frequency[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *command = NULL;

  if (unit == NULL)
    {
      cb_instrument_set_unsupported (instrument, error, cb_quantity_describe (settings->quantity));
      return FALSE;
    }
  if (!isfinite (settings->value) || (ac && !(settings->frequency > 0)) || (!ac && settings->frequency != 0))
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID,
                   _("%s: %s needs a finite value, and a frequency for AC only"),
                   cb_transport_get_port (instrument->transport), cb_quantity_describe (settings->quantity));
      return FALSE;
    }

  g_ascii_formatd (value, sizeof value, "%.8G", settings->value);
  if (ac)
    command = g_strdup_printf ("OUT %s %s, %s HZ", value, unit,
                               g_ascii_formatd (frequency, sizeof frequency, "%.8G", settings->frequency));
  else
    command = g_strdup_printf ("OUT %s %s", value, unit);

  /* The output is checked before it is switched on. */
  return cb_instrument_scpi_send (instrument, command, cancellable, error) &&
         cb_instrument_scpi_check (instrument, "ERR?", command, cancellable, error) &&
         cb_instrument_scpi_send (instrument, "OPER", cancellable, error) &&
         expect_reply (instrument, "*OPC?", "1", cancellable, error) &&
         cb_instrument_scpi_check (instrument, "ERR?", "OPER", cancellable, error);
}

static gboolean
calibrator_standby (CbInstrument  *instrument,
                    GCancellable  *cancellable,
                    GError       **error)
{
  /* Confirmed, not assumed: the reply comes after STBY was carried out. */
  return cb_instrument_scpi_send (instrument, "STBY", cancellable, error) &&
         expect_reply (instrument, "OPER?", "0", cancellable, error);
}

/* The output as the calibrator reports it: "1.500000E+00,V,0.00E+00,0,6.00E+01". */
static gboolean
calibrator_measure (CbInstrument  *instrument,
                    GPtrArray     *readings,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *reply = cb_instrument_scpi_query (instrument, "OUT?", cancellable, error);
  g_auto(GStrv) fields = NULL;
  CbQuantity quantity;
  double value, frequency = 0;

  if (reply == NULL)
    return FALSE;
  fields = g_strsplit (reply, ",", -1);
  if (g_strv_length (fields) < 2 ||
      !cb_instrument_parse_number (instrument, "OUT?", fields[0], &value, error) ||
      (g_strv_length (fields) >= 5 &&
       !cb_instrument_parse_number (instrument, "OUT?", fields[4], &frequency, error)))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                     _("%s: expected “value,unit,…” in reply to “OUT?”"),
                     cb_transport_get_port (instrument->transport));
      return FALSE;
    }

  if (g_str_equal (fields[1], "V"))
    quantity = frequency > 0 ? CB_QUANTITY_AC_VOLTAGE : CB_QUANTITY_DC_VOLTAGE;
  else if (g_str_equal (fields[1], "A"))
    quantity = frequency > 0 ? CB_QUANTITY_AC_CURRENT : CB_QUANTITY_DC_CURRENT;
  else if (g_str_equal (fields[1], "OHM"))
    quantity = CB_QUANTITY_RESISTANCE;
  else
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                   _("%s: unknown unit “%s” in reply to “OUT?”"),
                   cb_transport_get_port (instrument->transport), fields[1]);
      return FALSE;
    }
  g_ptr_array_add (readings, cb_reading_new (quantity, fields[0], value, cb_quantity_unit (quantity), reply));
  return TRUE;
}

static GPtrArray *
calibrator_query_errors (CbInstrument  *instrument,
                         GCancellable  *cancellable,
                         GError       **error)
{
  return cb_instrument_scpi_errors (instrument, "ERR?", cancellable, error);
}

const CbDriver cb_driver_calibrator = {
  .name = "calibrator",
  .summary = N_("Multifunction calibrator (Fluke 5500A, 5520A, 5522A)"),
  .models = calibrator_models,
  .serial = { 9600, 8, CB_PARITY_NONE, 1, CB_FLOW_XONXOFF },
  .terminator = "\n",
  .flags = CB_DRIVER_STANDBY_ON_ERROR,
  .probe = calibrator_probe,
  .measure = calibrator_measure,
  .source = calibrator_source,
  .standby = calibrator_standby,
  .query_errors = calibrator_query_errors,
};
