/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cb-sim-private.h"

/*
 * A Druck PACE5000 pressure controller, 20 bar gauge, SCPI as the PACE
 * speaks it: replies repeat the command's header (":SENS:PRES 1.0000123").
 * The pressure follows the set point with a first-order lag while
 * controlling, falls to atmosphere when vented, and holds with a small leak
 * otherwise.  In-limits ("stable") means controlling within 0.01 % of full
 * scale of the set point.
 */

#define FULL_SCALE 20.0
#define MIN_SETPOINT -1.0
#define IN_LIMITS (1e-4 * FULL_SCALE)
#define CONTROL_TAU 2.0    /* seconds */
#define VENT_TAU 1.5
#define LEAK_RATE 1e-5     /* bar per second, towards atmosphere */

typedef enum
{
  VENT_IDLE = 0,
  VENT_RUNNING = 1,
  VENT_DONE = 2,
} VentStatus;

typedef struct
{
  double     setpoint;
  double     pressure;
  gboolean   control;
  VentStatus vent;
  double     updated;    /* simulated time of the last update */
} PressureState;

static gpointer
pressure_state_new (CbSim *sim)
{
  return g_new0 (PressureState, 1);
}

static void
update (CbSim *sim)
{
  PressureState *state = sim->state;
  double now = cb_sim_now (sim);
  double dt = MAX (now - state->updated, 0);

  state->updated = now;
  if (state->vent == VENT_RUNNING)
    {
      state->pressure *= exp (-dt / VENT_TAU);
      if (fabs (state->pressure) < 1e-3)
        {
          state->pressure = 0;
          state->vent = VENT_DONE;
        }
    }
  else if (state->control)
    state->pressure = state->setpoint + (state->pressure - state->setpoint) * exp (-dt / CONTROL_TAU);
  else if (state->pressure > 0)
    state->pressure = MAX (state->pressure - LEAK_RATE * dt, 0);
}

static double
measured (CbSim *sim)
{
  PressureState *state = sim->state;

  /* 20 ppm of full scale noise, and a zero drift of 2 ppm of full scale an hour. */
  return state->pressure + FULL_SCALE * 2e-6 * cb_sim_now (sim) / 3600.0 +
         cb_sim_gauss (sim, FULL_SCALE * 2e-5);
}

static void
append_number (GString *reply,
               double   value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (reply, g_ascii_formatd (text, sizeof text, "%.7f", value));
}

static gboolean
parse_on_off (const char *text,
              gboolean   *on)
{
  if (g_ascii_strcasecmp (text, "ON") == 0 || g_strcmp0 (text, "1") == 0)
    *on = TRUE;
  else if (g_ascii_strcasecmp (text, "OFF") == 0 || g_strcmp0 (text, "0") == 0)
    *on = FALSE;
  else
    return FALSE;
  return TRUE;
}

static void
pressure_command (CbSim      *sim,
                  const char *command,
                  GString    *reply)
{
  PressureState *state = sim->state;
  g_autofree char *header = NULL;
  g_autofree char *arguments = NULL;

  cb_sim_scpi_split (command, &header, &arguments);
  update (sim);

  if (cb_sim_scpi_match (header, "*IDN?"))
    g_string_append (reply, "GE Druck,PACE5000,3101234,02.05.04");
  else if (cb_sim_scpi_match (header, "*RST"))
    {
      state->control = FALSE;
      state->setpoint = 0;
      state->vent = VENT_IDLE;
    }
  else if (cb_sim_scpi_match (header, "*CLS"))
    g_queue_clear_full (&sim->errors, g_free);
  else if (cb_sim_scpi_match (header, "*OPC?"))
    g_string_append (reply, "1");
  else if (cb_sim_scpi_match (header, "SYSTem:ERRor[:NEXT]?"))
    {
      g_autofree char *entry = cb_sim_pop_error (sim, "0,\"No error\"");

      g_string_append_printf (reply, ":SYST:ERR %s", entry[0] == '+' ? entry + 1 : entry);
    }
  else if (cb_sim_scpi_match (header, "[SENSe]:PRESsure[:READing]?"))
    {
      g_string_append (reply, ":SENS:PRES ");
      append_number (reply, measured (sim));
    }
  else if (cb_sim_scpi_match (header, "[SENSe]:PRESsure:INLimits?"))
    {
      gboolean stable = state->control && fabs (state->pressure - state->setpoint) < IN_LIMITS;

      g_string_append (reply, ":SENS:PRES:INL ");
      append_number (reply, measured (sim));
      g_string_append_printf (reply, ",%d", stable ? 1 : 0);
    }
  else if (cb_sim_scpi_match (header, "SOURce:PRESsure[:LEVel][:IMMediate][:AMPLitude]"))
    {
      double setpoint;

      if (!cb_sim_scpi_number (arguments, MIN_SETPOINT, FULL_SCALE, 0, &setpoint))
        cb_sim_push_error (sim, -104, "Data type error");
      else if (setpoint < MIN_SETPOINT || setpoint > FULL_SCALE)
        cb_sim_push_error (sim, -222, "Data out of range");
      else
        state->setpoint = setpoint;
    }
  else if (cb_sim_scpi_match (header, "SOURce:PRESsure[:LEVel][:IMMediate][:AMPLitude]?"))
    {
      g_string_append (reply, ":SOUR:PRES ");
      append_number (reply, state->setpoint);
    }
  else if (cb_sim_scpi_match (header, "SOURce:PRESsure:LEVel:IMMediate:AMPLitude:VENT"))
    {
      gboolean on;

      if (!parse_on_off (arguments, &on))
        cb_sim_push_error (sim, -104, "Data type error");
      else if (on)
        {
          state->control = FALSE;
          state->vent = VENT_RUNNING;
        }
    }
  else if (cb_sim_scpi_match (header, "SOURce:PRESsure:LEVel:IMMediate:AMPLitude:VENT?"))
    g_string_append_printf (reply, ":SOUR:PRES:LEV:IMM:AMPL:VENT %d", state->vent);
  else if (cb_sim_scpi_match (header, "OUTPut[:STATe]"))
    {
      gboolean on;

      if (!parse_on_off (arguments, &on))
        cb_sim_push_error (sim, -104, "Data type error");
      else
        {
          state->control = on;
          if (on)
            state->vent = VENT_IDLE;
        }
    }
  else if (cb_sim_scpi_match (header, "OUTPut[:STATe]?"))
    g_string_append_printf (reply, ":OUTP:STAT %d", state->control ? 1 : 0);
  else if (cb_sim_scpi_match (header, "UNIT[:PRESsure]?"))
    g_string_append (reply, ":UNIT:PRES BAR");
  else
    cb_sim_push_error (sim, -113, "Undefined header");
}

static gboolean
pressure_output_on (CbSim *sim)
{
  return ((PressureState *) sim->state)->control;
}

static double
pressure_output_value (CbSim *sim)
{
  return ((PressureState *) sim->state)->setpoint;
}

const CbSimModel cb_sim_pressure_model = {
  .name = "pressure",
  .reply_terminator = "\r\n",
  .state_new = pressure_state_new,
  .state_free = g_free,
  .command = pressure_command,
  .output_on = pressure_output_on,
  .output_value = pressure_output_value,
};
