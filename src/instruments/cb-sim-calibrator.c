/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "cb-sim-private.h"

/*
 * A Fluke 5520A multifunction calibrator on its remote interface: OUT with
 * a value, unit and frequency, OPER, STBY, OUT?, OPER?, *OPC?, ERR?.  As the
 * real one, it drops to standby when a new output crosses 33 V, and refuses
 * outputs beyond its limits with an error in the queue.
 */

typedef struct
{
  CbQuantity quantity;
  double     value;
  double     frequency;
  gboolean   operate;
} CalibratorState;

static const struct
{
  const char *word;
  double      factor;
  CbQuantity  quantity;    /* CB_N_QUANTITIES for frequency */
} units[] = {
  /* Longest first: "MV" before "V".  As on the 5520A, "MOHM" is megohm. */
  { "KOHM", 1e3, CB_QUANTITY_RESISTANCE }, { "MOHM", 1e6, CB_QUANTITY_RESISTANCE },
  { "GOHM", 1e9, CB_QUANTITY_RESISTANCE }, { "OHM", 1, CB_QUANTITY_RESISTANCE },
  { "KHZ", 1e3, CB_N_QUANTITIES }, { "MHZ", 1e6, CB_N_QUANTITIES }, { "HZ", 1, CB_N_QUANTITIES },
  { "UV", 1e-6, CB_QUANTITY_DC_VOLTAGE }, { "MV", 1e-3, CB_QUANTITY_DC_VOLTAGE },
  { "KV", 1e3, CB_QUANTITY_DC_VOLTAGE }, { "V", 1, CB_QUANTITY_DC_VOLTAGE },
  { "UA", 1e-6, CB_QUANTITY_DC_CURRENT }, { "MA", 1e-3, CB_QUANTITY_DC_CURRENT },
  { "A", 1, CB_QUANTITY_DC_CURRENT },
};

static gpointer
calibrator_state_new (CbSim *sim)
{
  CalibratorState *state = g_new0 (CalibratorState, 1);

  state->quantity = CB_QUANTITY_DC_VOLTAGE;
  return state;
}

/* "100 MV" or "1.5e3OHM": a number and a unit word. */
static gboolean
parse_amount (const char *text,
              double     *value,
              CbQuantity *quantity)
{
  char *end = NULL;
  double v;

  while (g_ascii_isspace (*text))
    text++;
  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (end == text || errno != 0 || !isfinite (v))
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      gsize n = strlen (units[i].word);
      const char *rest = end + n;

      if (g_ascii_strncasecmp (end, units[i].word, n) != 0)
        continue;
      while (g_ascii_isspace (*rest))
        rest++;
      if (*rest != '\0')
        continue;
      *value = v * units[i].factor;
      *quantity = units[i].quantity;
      return TRUE;
    }
  return FALSE;
}

static gboolean
within_limits (CbQuantity quantity,
               double     value,
               double     frequency)
{
  switch (quantity)
    {
    case CB_QUANTITY_DC_VOLTAGE:
      return fabs (value) <= 1020;
    case CB_QUANTITY_AC_VOLTAGE:
      return value >= 0 && value <= 1020 && frequency >= 10 && frequency <= 500e3;
    case CB_QUANTITY_DC_CURRENT:
      return fabs (value) <= 20.5;
    case CB_QUANTITY_AC_CURRENT:
      return value >= 0 && value <= 20.5 && frequency >= 10 && frequency <= 30e3;
    case CB_QUANTITY_RESISTANCE:
      return value >= 0 && value <= 1.1e9;
    default:
      return FALSE;
    }
}

static gboolean
is_voltage (CbQuantity quantity)
{
  return quantity == CB_QUANTITY_DC_VOLTAGE || quantity == CB_QUANTITY_AC_VOLTAGE;
}

static void
set_output (CbSim      *sim,
            const char *arguments)
{
  CalibratorState *state = sim->state;
  g_auto(GStrv) parts = g_strsplit (arguments, ",", 3);
  CbQuantity quantity, frequency_unit;
  double value, frequency = 0;

  if (parts[0] == NULL || !parse_amount (parts[0], &value, &quantity) || quantity == CB_N_QUANTITIES ||
      (parts[1] != NULL && (!parse_amount (parts[1], &frequency, &frequency_unit) ||
                            frequency_unit != CB_N_QUANTITIES)) ||
      (parts[1] != NULL && parts[2] != NULL))
    {
      cb_sim_push_error (sim, -224, "Illegal parameter value");
      return;
    }
  if (frequency > 0 && quantity == CB_QUANTITY_DC_VOLTAGE)
    quantity = CB_QUANTITY_AC_VOLTAGE;
  else if (frequency > 0 && quantity == CB_QUANTITY_DC_CURRENT)
    quantity = CB_QUANTITY_AC_CURRENT;
  if (!within_limits (quantity, value, frequency))
    {
      cb_sim_push_error (sim, -222, "Data out of range");
      return;
    }

  /* Safety, as the instrument does it: crossing 33 V needs OPER again. */
  if (state->operate && is_voltage (quantity) && fabs (value) > 33 &&
      !(is_voltage (state->quantity) && fabs (state->value) > 33))
    state->operate = FALSE;
  state->quantity = quantity;
  state->value = value;
  state->frequency = frequency;
}

static void
calibrator_command (CbSim      *sim,
                    const char *command,
                    GString    *reply)
{
  CalibratorState *state = sim->state;
  g_autofree char *header = NULL;
  g_autofree char *arguments = NULL;

  cb_sim_scpi_split (command, &header, &arguments);

  if (cb_sim_scpi_match (header, "*IDN?"))
    g_string_append (reply, "FLUKE,5520A,9325011,1.8+1.3+2.0+*");
  else if (cb_sim_scpi_match (header, "*RST"))
    {
      state->operate = FALSE;
      state->quantity = CB_QUANTITY_DC_VOLTAGE;
      state->value = 0;
      state->frequency = 0;
    }
  else if (cb_sim_scpi_match (header, "*CLS"))
    g_queue_clear_full (&sim->errors, g_free);
  else if (cb_sim_scpi_match (header, "*OPC?"))
    g_string_append (reply, "1");
  else if (cb_sim_scpi_match (header, "ERR?"))
    {
      g_autofree char *entry = cb_sim_pop_error (sim, "0,\"No Error\"");

      g_string_append (reply, entry[0] == '+' ? entry + 1 : entry);
    }
  else if (cb_sim_scpi_match (header, "OUT"))
    set_output (sim, arguments);
  else if (cb_sim_scpi_match (header, "OUT?"))
    {
      static const char * const unit_names[] = {
        [CB_QUANTITY_DC_VOLTAGE] = "V", [CB_QUANTITY_AC_VOLTAGE] = "V",
        [CB_QUANTITY_DC_CURRENT] = "A", [CB_QUANTITY_AC_CURRENT] = "A",
        [CB_QUANTITY_RESISTANCE] = "OHM",
      };
      char value[G_ASCII_DTOSTR_BUF_SIZE], frequency[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (reply, "%s,%s,0.00E+00,0,%s",
                              g_ascii_formatd (value, sizeof value, "%.6E", state->value),
                              unit_names[state->quantity],
                              g_ascii_formatd (frequency, sizeof frequency, "%.2E", state->frequency));
    }
  else if (cb_sim_scpi_match (header, "OPER"))
    state->operate = TRUE;
  else if (cb_sim_scpi_match (header, "STBY"))
    state->operate = FALSE;
  else if (cb_sim_scpi_match (header, "OPER?"))
    g_string_append (reply, state->operate ? "1" : "0");
  else
    cb_sim_push_error (sim, -113, "Undefined header");
}

static gboolean
calibrator_output_on (CbSim *sim)
{
  return ((CalibratorState *) sim->state)->operate;
}

static double
calibrator_output_value (CbSim *sim)
{
  return ((CalibratorState *) sim->state)->value;
}

const CbSimModel cb_sim_calibrator_model = {
  .name = "calibrator",
  .reply_terminator = "\r\n",
  .state_new = calibrator_state_new,
  .state_free = g_free,
  .command = calibrator_command,
  .output_on = calibrator_output_on,
  .output_value = calibrator_output_value,
};
