/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>

#include "sim-fixture.h"

/* The pressure controller driver against the simulated PACE5000: set
 * point, settling on the simulator's clock, vent, limits. */

typedef struct
{
  SimPty       *pty;
  CbInstrument *instrument;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbMeasureSettings settings = { CB_QUANTITY_PRESSURE, 0, 0 };

  fixture->pty = sim_pty_start (CB_SIM_PRESSURE, 99);
  fixture->instrument = sim_pty_open (fixture->pty, NULL, 500);
  cb_instrument_configure (fixture->instrument, &settings, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->instrument, cb_instrument_unref);
  sim_pty_stop (fixture->pty);
}

static CbReading *
measure (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CbReading *reading = cb_instrument_measure (fixture->instrument, NULL, &error);

  g_assert_no_error (error);
  return reading;
}

static void
test_identify (Fixture       *fixture,
               gconstpointer  data)
{
  g_assert_cmpstr (cb_driver_get_name (cb_instrument_get_driver (fixture->instrument)), ==, "pressure");
  g_assert_cmpstr (cb_instrument_get_model (fixture->instrument), ==, "PACE5000");
}

static void
test_settling (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) early = NULL;
  g_autoptr(CbReading) settled = NULL;
  CbSourceSettings settings = { CB_QUANTITY_PRESSURE, 5.0, 0 };

  g_assert_true (cb_instrument_source (fixture->instrument, &settings, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_sim_get_output_on (fixture->pty->sim));
  g_assert_cmpfloat (cb_sim_get_output_value (fixture->pty->sim), ==, 5.0);

  /* Right after the change the controller is far off and says so. */
  early = measure (fixture);
  g_assert_false (early->stable);
  g_assert_cmpfloat (early->value, <, 4.0);
  g_assert_cmpstr (early->unit, ==, "bar");

  /* A minute later on the simulator's clock: at the set point, in limits. */
  cb_sim_advance (fixture->pty->sim, 60);
  settled = measure (fixture);
  g_assert_true (settled->stable);
  g_assert_cmpfloat_with_epsilon (settled->value, 5.0, 0.005);
  /* The header the PACE echoes is gone; the digits are as sent. */
  g_assert_true (g_str_has_prefix (settled->raw, "5.") || g_str_has_prefix (settled->raw, "4.9"));
  g_assert_cmpfloat (settled->value, ==, g_ascii_strtod (settled->text, NULL));
}

static void
test_out_of_range (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbSourceSettings settings = { CB_QUANTITY_PRESSURE, 30.0, 0 };

  g_assert_false (cb_instrument_source (fixture->instrument, &settings, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INSTRUMENT);
  g_assert_nonnull (strstr (error->message, "-222"));
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
}

static void
test_vent (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) vented = NULL;
  CbSourceSettings settings = { CB_QUANTITY_PRESSURE, 10.0, 0 };

  g_assert_true (cb_instrument_source (fixture->instrument, &settings, NULL, &error));
  cb_sim_advance (fixture->pty->sim, 60);
  g_assert_true (cb_instrument_vent (fixture->instrument, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
  cb_sim_advance (fixture->pty->sim, 60);
  vented = measure (fixture);
  g_assert_cmpfloat (fabs (vented->value), <, 0.01);
  g_assert_false (vented->stable);
}

static void
test_standby (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbSourceSettings settings = { CB_QUANTITY_PRESSURE, 2.0, 0 };

  g_assert_true (cb_instrument_source (fixture->instrument, &settings, NULL, &error));
  g_assert_true (cb_instrument_standby (fixture->instrument, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbSimFault fault = { CB_SIM_FAULT_STALL, 0, 1.0, 0 };

  cb_sim_set_fault (fixture->pty->sim, &fault);
  cb_transport_set_timeout (cb_instrument_get_transport (fixture->instrument), 200);
  g_assert_null (cb_instrument_measure (fixture->instrument, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/instruments/pressure/identify", test_identify);
  ADD ("/instruments/pressure/settling", test_settling);
  ADD ("/instruments/pressure/out-of-range", test_out_of_range);
  ADD ("/instruments/pressure/vent", test_vent);
  ADD ("/instruments/pressure/standby", test_standby);
  ADD ("/instruments/pressure/stall", test_stall);
#undef ADD

  return g_test_run ();
}
