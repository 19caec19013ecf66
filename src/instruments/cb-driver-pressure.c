/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-instrument-private.h"

/*
 * Pressure controllers with a SCPI interface, Druck PACE and Mensor CPC
 * style: set point, control on and off, measured pressure with the
 * in-limits ("stable") flag, vent.  The PACE repeats each command's header
 * in its replies; that is a quirk of the model.
 */

static const CbModelQuirks pressure_models[] = {
  { "*Druck,PACE1000,*", "PACE1000", "*CLS", 0, TRUE, 0 },
  { "*Druck,PACE5000,*", "PACE5000", "*CLS", 0, TRUE, 0 },
  { "*Druck,PACE6000,*", "PACE6000", "*CLS", 0, TRUE, 0 },
  { "Mensor*,CPC6000,*", "CPC6000", "*CLS", 0, FALSE, 0 },
  { "Mensor*,CPC8000,*", "CPC8000", "*CLS", 0, FALSE, 0 },
  { NULL },
};

static const struct
{
  const char *scpi;
  const char *unit;
} units[] = {
  { "BAR", "bar" }, { "MBAR", "mbar" }, { "KPA", "kPa" }, { "MPA", "MPa" }, { "PA", "Pa" },
  { "PSI", "psi" }, { "INHG", "inHg" }, { "MMHG", "mmHg" },
};

static gboolean
pressure_probe (CbInstrument  *instrument,
                GCancellable  *cancellable,
                GError       **error)
{
  if (!cb_instrument_scpi_identify (instrument, cancellable, error))
    return FALSE;
  instrument->settings.quantity = CB_QUANTITY_PRESSURE;
  return TRUE;
}

static gboolean
pressure_configure (CbInstrument             *instrument,
                    const CbMeasureSettings  *settings,
                    GCancellable             *cancellable,
                    GError                  **error)
{
  g_autofree char *reply = NULL;

  if (settings->quantity != CB_QUANTITY_PRESSURE)
    {
      cb_instrument_set_unsupported (instrument, error, cb_quantity_describe (settings->quantity));
      return FALSE;
    }

  /* Readings carry the unit the controller is set to. */
  reply = cb_instrument_scpi_query (instrument, ":UNIT:PRES?", cancellable, error);
  if (reply == NULL)
    return FALSE;
  g_strstrip (reply);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (reply, units[i].scpi) == 0)
      {
        g_free (instrument->unit);
        instrument->unit = g_strdup (units[i].unit);
        return TRUE;
      }
  g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
               _("%s: unknown pressure unit “%s” in reply to “:UNIT:PRES?”"),
               cb_transport_get_port (instrument->transport), reply);
  return FALSE;
}

static gboolean
pressure_measure (CbInstrument  *instrument,
                  GPtrArray     *readings,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const char *command = ":SENS:PRES:INL?";
  g_autofree char *reply = cb_instrument_scpi_query (instrument, command, cancellable, error);
  g_auto(GStrv) fields = NULL;
  CbReading *reading;
  double value, flag;

  if (reply == NULL)
    return FALSE;
  /* "1.0000123,1": the pressure and whether it is within the set limits. */
  fields = g_strsplit (reply, ",", -1);
  if (g_strv_length (fields) != 2)
    {
      g_autofree char *quoted = cb_instrument_quote_bytes ((const guint8 *) reply, strlen (reply), 64);

      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                   _("%s: expected “pressure,in-limits” in reply to “%s”, received “%s”"),
                   cb_transport_get_port (instrument->transport), command, quoted);
      return FALSE;
    }
  g_strstrip (fields[0]);
  if (!cb_instrument_parse_number (instrument, command, fields[0], &value, error) ||
      !cb_instrument_parse_number (instrument, command, fields[1], &flag, error))
    return FALSE;

  reading = cb_reading_new (CB_QUANTITY_PRESSURE, fields[0], value,
                            instrument->unit != NULL ? instrument->unit : "bar", reply);
  reading->stable = flag != 0;
  g_ptr_array_add (readings, reading);
  return TRUE;
}

static gboolean
pressure_source (CbInstrument            *instrument,
                 const CbSourceSettings  *settings,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  char value[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *command = NULL;

  if (settings->quantity != CB_QUANTITY_PRESSURE)
    {
      cb_instrument_set_unsupported (instrument, error, cb_quantity_describe (settings->quantity));
      return FALSE;
    }
  command = g_strdup_printf (":SOUR:PRES %s", g_ascii_formatd (value, sizeof value, "%.8G", settings->value));
  return cb_instrument_scpi_send (instrument, command, cancellable, error) &&
         cb_instrument_scpi_check (instrument, ":SYST:ERR?", command, cancellable, error) &&
         cb_instrument_scpi_send (instrument, ":OUTP:STAT ON", cancellable, error) &&
         cb_instrument_scpi_check (instrument, ":SYST:ERR?", ":OUTP:STAT ON", cancellable, error);
}

static gboolean
pressure_standby (CbInstrument  *instrument,
                  GCancellable  *cancellable,
                  GError       **error)
{
  /* Control off: the controller holds what it has, in measure mode. */
  return cb_instrument_scpi_send (instrument, ":OUTP:STAT OFF", cancellable, error) &&
         cb_instrument_scpi_check (instrument, ":SYST:ERR?", ":OUTP:STAT OFF", cancellable, error);
}

static gboolean
pressure_vent (CbInstrument  *instrument,
               GCancellable  *cancellable,
               GError       **error)
{
  const char *command = ":SOUR:PRES:LEV:IMM:AMPL:VENT 1";

  return cb_instrument_scpi_send (instrument, command, cancellable, error) &&
         cb_instrument_scpi_check (instrument, ":SYST:ERR?", command, cancellable, error);
}

static GPtrArray *
pressure_query_errors (CbInstrument  *instrument,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return cb_instrument_scpi_errors (instrument, ":SYST:ERR?", cancellable, error);
}

const CbDriver cb_driver_pressure = {
  .name = "pressure",
  .summary = N_("Pressure controller (Druck PACE, Mensor CPC)"),
  .models = pressure_models,
  .serial = { 9600, 8, CB_PARITY_NONE, 1, CB_FLOW_NONE },
  .terminator = "\n",
  .probe = pressure_probe,
  .configure = pressure_configure,
  .measure = pressure_measure,
  .source = pressure_source,
  .standby = pressure_standby,
  .vent = pressure_vent,
  .query_errors = pressure_query_errors,
};
