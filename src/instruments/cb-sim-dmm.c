/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cb-sim-private.h"

/*
 * A Keysight 34461A on its SCPI interface: CONFigure, MEASure?, READ?,
 * NPLC, ranges with 120 % overrange (beyond it the meter reads 9.9E37), an
 * error queue.  Readings are the input plus a slow drift and noise that
 * shrinks with the integration time.
 */

#define OVERLOAD "+9.90000000E+37"

typedef struct
{
  CbQuantity quantity;
  double     range;      /* 0: autorange */
  double     nplc;
} DmmState;

static const double voltage_ranges[] = { 0.1, 1, 10, 100, 1000, 0 };
static const double current_ranges[] = { 1e-4, 1e-3, 1e-2, 0.1, 1, 3, 0 };
static const double resistance_ranges[] = { 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 0 };
static const double nplc_values[] = { 0.02, 0.2, 1, 10, 100 };

static const struct
{
  const char *configure;
  const char *measure;
  const char *nplc;
  const char *range;
  CbQuantity  quantity;
  const char *scpi_name;
} functions[] = {
  { "CONFigure:VOLTage[:DC]", "MEASure:VOLTage[:DC]?", "[SENSe:]VOLTage[:DC]:NPLCycles",
    "[SENSe:]VOLTage[:DC]:RANGe", CB_QUANTITY_DC_VOLTAGE, "VOLT" },
  { "CONFigure:VOLTage:AC", "MEASure:VOLTage:AC?", "[SENSe:]VOLTage:AC:NPLCycles",
    "[SENSe:]VOLTage:AC:RANGe", CB_QUANTITY_AC_VOLTAGE, "VOLT:AC" },
  { "CONFigure:CURRent[:DC]", "MEASure:CURRent[:DC]?", "[SENSe:]CURRent[:DC]:NPLCycles",
    "[SENSe:]CURRent[:DC]:RANGe", CB_QUANTITY_DC_CURRENT, "CURR" },
  { "CONFigure:CURRent:AC", "MEASure:CURRent:AC?", "[SENSe:]CURRent:AC:NPLCycles",
    "[SENSe:]CURRent:AC:RANGe", CB_QUANTITY_AC_CURRENT, "CURR:AC" },
  { "CONFigure:RESistance", "MEASure:RESistance?", "[SENSe:]RESistance:NPLCycles",
    "[SENSe:]RESistance:RANGe", CB_QUANTITY_RESISTANCE, "RES" },
};

static const double *
ranges_for (CbQuantity quantity)
{
  switch (quantity)
    {
    case CB_QUANTITY_DC_CURRENT:
    case CB_QUANTITY_AC_CURRENT:
      return current_ranges;
    case CB_QUANTITY_RESISTANCE:
      return resistance_ranges;
    default:
      return voltage_ranges;
    }
}

static double
max_range (CbQuantity quantity)
{
  const double *ranges = ranges_for (quantity);
  guint i = 0;

  while (ranges[i + 1] != 0)
    i++;
  return ranges[i];
}

/* The smallest range holding @value, as autorange picks it. */
static double
auto_range (CbQuantity quantity,
            double     value)
{
  const double *ranges = ranges_for (quantity);

  for (guint i = 0; ranges[i] != 0; i++)
    if (fabs (value) <= 1.2 * ranges[i])
      return ranges[i];
  return max_range (quantity);
}

/* The range a requested value selects: the smallest that holds it. */
static gboolean
pick_range (CbQuantity  quantity,
            double      requested,
            double     *range)
{
  const double *ranges = ranges_for (quantity);

  for (guint i = 0; ranges[i] != 0; i++)
    if (fabs (requested) <= ranges[i] * (1 + 1e-9))
      {
        *range = ranges[i];
        return TRUE;
      }
  return FALSE;
}

static gpointer
dmm_state_new (CbSim *sim)
{
  DmmState *state = g_new0 (DmmState, 1);

  state->quantity = CB_QUANTITY_DC_VOLTAGE;
  state->nplc = 10;
  return state;
}

static void
append_reading (CbSim   *sim,
                GString *reply)
{
  DmmState *state = sim->state;
  double t = cb_sim_now (sim);
  double input = cb_sim_input (sim);
  double range = state->range > 0 ? state->range : auto_range (state->quantity, input);
  /* 1 ppm of range at 1 NPLC, less with longer integration; a drift of
   * 0.5 ppm of range per hour. */
  double value = input + range * 0.5e-6 * t / 3600.0 +
                 cb_sim_gauss (sim, range * 1e-6 / sqrt (state->nplc));
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (fabs (value) > 1.2 * range)
    {
      g_string_append (reply, OVERLOAD);
      return;
    }
  g_string_append (reply, g_ascii_formatd (text, sizeof text, "%+.8E", value));
}

static gboolean
configure (CbSim      *sim,
           CbQuantity  quantity,
           const char *arguments)
{
  DmmState *state = sim->state;
  double range = 0;

  if (arguments[0] != '\0' && g_ascii_strncasecmp (arguments, "AUTO", 4) != 0)
    {
      double requested;

      if (!cb_sim_scpi_number (arguments, ranges_for (quantity)[0], max_range (quantity), 0, &requested) ||
          (requested != 0 && !pick_range (quantity, requested, &range)))
        {
          cb_sim_push_error (sim, -222, "Data out of range");
          return FALSE;
        }
    }
  state->quantity = quantity;
  state->range = range;
  return TRUE;
}

static void
dmm_command (CbSim      *sim,
             const char *command,
             GString    *reply)
{
  DmmState *state = sim->state;
  g_autofree char *header = NULL;
  g_autofree char *arguments = NULL;

  cb_sim_scpi_split (command, &header, &arguments);

  if (cb_sim_scpi_match (header, "*IDN?"))
    {
      g_string_append (reply, "Keysight Technologies,34461A,MY53207382,A.02.17-02.40-02.17-00.52-04-01");
      return;
    }
  if (cb_sim_scpi_match (header, "*RST"))
    {
      state->quantity = CB_QUANTITY_DC_VOLTAGE;
      state->range = 0;
      state->nplc = 10;
      return;
    }
  if (cb_sim_scpi_match (header, "*CLS"))
    {
      g_queue_clear_full (&sim->errors, g_free);
      return;
    }
  if (cb_sim_scpi_match (header, "*OPC?"))
    {
      g_string_append (reply, "1");
      return;
    }
  if (cb_sim_scpi_match (header, "SYSTem:REMote") || cb_sim_scpi_match (header, "SYSTem:LOCal"))
    return;
  if (cb_sim_scpi_match (header, "SYSTem:ERRor[:NEXT]?"))
    {
      g_autofree char *entry = cb_sim_pop_error (sim, "+0,\"No error\"");

      g_string_append (reply, entry);
      return;
    }
  if (cb_sim_scpi_match (header, "READ?") || cb_sim_scpi_match (header, "FETCh?"))
    {
      append_reading (sim, reply);
      return;
    }
  if (cb_sim_scpi_match (header, "INITiate[:IMMediate]"))
    return;
  if (cb_sim_scpi_match (header, "CONFigure?"))
    {
      char range[G_ASCII_DTOSTR_BUF_SIZE];
      const char *name = "VOLT";

      for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
        if (functions[i].quantity == state->quantity)
          name = functions[i].scpi_name;
      g_ascii_formatd (range, sizeof range, "%+.6E",
                       state->range > 0 ? state->range : auto_range (state->quantity, cb_sim_input (sim)));
      g_string_append_printf (reply, "\"%s %s\"", name, range);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      g_autofree char *nplc_query = g_strconcat (functions[i].nplc, "?", NULL);

      if (cb_sim_scpi_match (header, functions[i].configure))
        {
          configure (sim, functions[i].quantity, arguments);
          return;
        }
      if (cb_sim_scpi_match (header, functions[i].measure))
        {
          if (configure (sim, functions[i].quantity, arguments))
            append_reading (sim, reply);
          return;
        }
      if (cb_sim_scpi_match (header, functions[i].nplc))
        {
          double nplc = 0;
          gboolean valid = FALSE;

          if (cb_sim_scpi_number (arguments, 0.02, 100, 10, &nplc))
            for (guint k = 0; k < G_N_ELEMENTS (nplc_values); k++)
              valid |= fabs (nplc - nplc_values[k]) < 1e-9;
          if (!valid)
            cb_sim_push_error (sim, -222, "Data out of range");
          else if (state->quantity == functions[i].quantity)
            state->nplc = nplc;
          return;
        }
      if (cb_sim_scpi_match (header, nplc_query))
        {
          char text[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (reply, g_ascii_formatd (text, sizeof text, "%+.8E", state->nplc));
          return;
        }
      if (cb_sim_scpi_match (header, functions[i].range))
        {
          if (state->quantity == functions[i].quantity)
            configure (sim, functions[i].quantity, arguments);
          return;
        }
    }

  cb_sim_push_error (sim, -113, "Undefined header");
}

const CbSimModel cb_sim_dmm_model = {
  .name = "dmm",
  .reply_terminator = "\n",
  .state_new = dmm_state_new,
  .state_free = g_free,
  .command = dmm_command,
};
