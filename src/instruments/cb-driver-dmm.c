/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "cb-instrument-private.h"

/*
 * SCPI digital multimeters of the Keysight (Agilent, HP) 34401A and
 * 34460-series family: CONFigure, NPLC, READ?, SYSTem:ERRor?.  An overload
 * reads as 9.9E37, which becomes the overload flag, never a number.
 */

#define OVERLOAD_THRESHOLD 9.8e37

static const CbModelQuirks dmm_models[] = {
  /* The 34401A answers on RS-232 only in remote. */
  { "HEWLETT-PACKARD,34401A,*", "34401A", "SYST:REM;*CLS", 100, FALSE, 0 },
  { "Agilent Technologies,34401A,*", "34401A", "SYST:REM;*CLS", 100, FALSE, 0 },
  { "Keysight Technologies,34401A,*", "34401A", "SYST:REM;*CLS", 100, FALSE, 0 },
  { "*,34460A,*", "34460A", "*CLS", 100, FALSE, 0 },
  { "*,34461A,*", "34461A", "*CLS", 100, FALSE, 0 },
  { "*,34465A,*", "34465A", "*CLS", 100, FALSE, 0 },
  { "*,34470A,*", "34470A", "*CLS", 100, FALSE, 0 },
  { NULL },
};

static const char *
function_for (CbQuantity quantity)
{
  switch (quantity)
    {
    case CB_QUANTITY_DC_VOLTAGE: return "VOLT:DC";
    case CB_QUANTITY_AC_VOLTAGE: return "VOLT:AC";
    case CB_QUANTITY_DC_CURRENT: return "CURR:DC";
    case CB_QUANTITY_AC_CURRENT: return "CURR:AC";
    case CB_QUANTITY_RESISTANCE: return "RES";
    default: return NULL;
    }
}

static gboolean
dmm_probe (CbInstrument  *instrument,
           GCancellable  *cancellable,
           GError       **error)
{
  if (!cb_instrument_scpi_identify (instrument, cancellable, error))
    return FALSE;
  instrument->settings.quantity = CB_QUANTITY_DC_VOLTAGE;
  return TRUE;
}

static gboolean
dmm_configure (CbInstrument             *instrument,
               const CbMeasureSettings  *settings,
               GCancellable             *cancellable,
               GError                  **error)
{
  const char *function = function_for (settings->quantity);
  g_autofree char *command = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (function == NULL)
    {
      cb_instrument_set_unsupported (instrument, error, cb_quantity_describe (settings->quantity));
      return FALSE;
    }
  if (settings->nplc < 0 || settings->nplc > instrument->quirks->max_nplc || settings->range < 0)
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID,
                   _("%s: the %s takes an NPLC up to %g and a range of 0 (auto) or more"),
                   cb_transport_get_port (instrument->transport), instrument->quirks->model,
                   instrument->quirks->max_nplc);
      return FALSE;
    }

  if (settings->range > 0)
    command = g_strdup_printf ("CONF:%s %s", function,
                               g_ascii_formatd (number, sizeof number, "%.6G", settings->range));
  else
    command = g_strdup_printf ("CONF:%s AUTO", function);
  if (!cb_instrument_scpi_send (instrument, command, cancellable, error))
    return FALSE;
  if (settings->nplc > 0)
    {
      g_autofree char *nplc = g_strdup_printf ("%s:NPLC %s", function,
                                               g_ascii_formatd (number, sizeof number, "%.6G",
                                                                settings->nplc));

      if (!cb_instrument_scpi_send (instrument, nplc, cancellable, error))
        return FALSE;
    }
  return cb_instrument_scpi_check (instrument, "SYST:ERR?", command, cancellable, error);
}

static gboolean
dmm_measure (CbInstrument  *instrument,
             GPtrArray     *readings,
             GCancellable  *cancellable,
             GError       **error)
{
  CbQuantity quantity = instrument->settings.quantity;
  g_autofree char *reply = cb_instrument_scpi_query (instrument, "READ?", cancellable, error);
  g_autofree char *text = NULL;
  CbReading *reading;
  double value;

  if (reply == NULL)
    return FALSE;
  text = g_strstrip (g_strdup (reply));
  if (!cb_instrument_parse_number (instrument, "READ?", text, &value, error))
    return FALSE;

  reading = cb_reading_new (quantity, text, value, cb_quantity_unit (quantity), reply);
  if (fabs (value) >= OVERLOAD_THRESHOLD)
    {
      reading->overload = TRUE;
      reading->value = NAN;
    }
  g_ptr_array_add (readings, reading);
  return TRUE;
}

static GPtrArray *
dmm_query_errors (CbInstrument  *instrument,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return cb_instrument_scpi_errors (instrument, "SYST:ERR?", cancellable, error);
}

const CbDriver cb_driver_dmm = {
  .name = "dmm",
  .summary = N_("SCPI digital multimeter (Keysight 34401A, 34461A and family)"),
  .models = dmm_models,
  .serial = { 9600, 8, CB_PARITY_NONE, 2, CB_FLOW_NONE },
  .terminator = "\n",
  .probe = dmm_probe,
  .configure = dmm_configure,
  .measure = dmm_measure,
  .query_errors = dmm_query_errors,
};
